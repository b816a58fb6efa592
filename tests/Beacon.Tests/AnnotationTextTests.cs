using System.Text.Json.Nodes;
using GenomeNode.Beacon.Store;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// A node with one SnpEff-annotated record whose transcript HGVS come with and without a transcript id, and
/// percent-escaped (a ',' and a '%' in them once decoded).
/// </summary>
public sealed class AnnotatedNode() : OneVcfNode("annotated",
    "##fileformat=VCFv4.2\n##contig=<ID=17,length=83257441>\n" +
    "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | " +
    "Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | " +
    "CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO'\">\n" +
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n" +
    "17\t43045712\t.\tG\tA\t50\tPASS\tANN=" +
    "A|stop_gained|HIGH|BRCA1|ENSG00000012048|transcript|ENST00000357654.9|protein_coding|17/23|c.5503C>T|p.Arg1835Ter|||||," +
    "A|stop_gained|HIGH|BRCA1|ENSG00000012048|transcript||protein_coding|17/23|c.5566C>T|p.(Arg1856Ter)|||||," +
    "A|stop_gained|HIGH|BRCA1|ENSG00000012048|transcript|ENST3.1|protein_coding|1/1|c.1%2C2del%25|p.X%2CY|||||" +
    "\tGT\t0|1\t0|0\n");

/// <summary>Transcript and protein HGVS are stored as texts (migration 0007) and come back as the VCF gave them.</summary>
public sealed class AnnotationTextTests(AnnotatedNode fixture) : IClassFixture<AnnotatedNode>
{
    [Fact]
    public async Task A_record_gives_each_transcript_and_protein_HGVS_as_the_VCF_gave_it_whatever_characters_it_holds()
    {
        var (status, json) = await fixture.Node.GetAsync(
            "/api/g_variants?referenceName=17&start=43045711&referenceBases=G&alternateBases=A&datasetIds=annotated&requestedGranularity=record");

        Assert.True(status == 200, $"{status}: {json}");
        var variant = Assert.Single(BeaconNode.Parse(json)["response"]!["resultSets"]![0]!["results"]!.AsArray())!;
        var identifiers = variant["identifiers"]!;
        Assert.Equal(["ENST00000357654.9:c.5503C>T", "c.5566C>T", "ENST3.1:c.1,2del%"], Strings(identifiers["transcriptHGVSIds"]));
        Assert.Equal(["p.Arg1835Ter", "p.(Arg1856Ter)", "p.X,Y"], Strings(identifiers["proteinHGVSIds"]));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("a,b")]
    [InlineData("%")]
    [InlineData("%2C")]
    [InlineData("%25,%2C%")]
    [InlineData("")]
    [InlineData("é,ü%")]
    public void A_list_joined_as_text_splits_into_the_same_values(string value)
    {
        string[] values = [value, "x", value + value];

        Assert.Equal(values, AnnotationText.Split(AnnotationText.Join(values)));
        Assert.Equal([value], AnnotationText.Split(AnnotationText.Join([value])));
        Assert.Null(AnnotationText.Join([]));
        Assert.Empty(AnnotationText.Split(null));
    }

    [Theory]
    [InlineData("ENST00000357654.9:c.5503C>T", 17)]
    [InlineData("NM_007294.4:c.68_69del:x", 11)]
    [InlineData("c.*812A>G", -1)]
    [InlineData(":c.1A>G", -1)]
    public void A_transcript_HGVS_splits_at_its_first_colon_with_text_before_it(string hgvs, int idLength)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(hgvs);

        Assert.Equal(idLength, AnnotationText.TranscriptIdLength(bytes));
        var id = idLength < 0 ? "" : hgvs[..idLength];
        var change = idLength < 0 ? hgvs : hgvs[(idLength + 1)..];
        Assert.Equal([hgvs], AnnotationText.TranscriptHgvs(AnnotationText.Join([id]), AnnotationText.Join([change])));
    }

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(item => (string)item!)];
}
