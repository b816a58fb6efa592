using System.Text;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Beacon.Vcf;

namespace GenomeNode.Beacon.Tests;

/// <summary>The pure VCF reader: bytes in, records out; no file and no database.</summary>
public sealed class VcfReaderTests
{
    private const string Header =
        "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000000>\n" +
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n";

    private const string AnnHeader =
        "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | " +
        "Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | " +
        "CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO'\">\n";

    private const string CsqHeader =
        "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. " +
        "Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp\">\n";

    private static string Columns(params string[] samples) =>
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO" + (samples.Length > 0 ? "\tFORMAT\t" + string.Join('\t', samples) : "") + "\n";

    /// <summary>Each record read from <paramref name="text"/>, described as it was when read (the reader reuses one record).</summary>
    private static List<string> Read(string text, Func<VcfRecord, string>? describe = null)
    {
        describe ??= Describe;
        var reader = new VcfReader("test.vcf");
        ReadOnlySpan<byte> lines = Encoding.UTF8.GetBytes(text);
        var records = new List<string>();
        while (reader.TryRead(ref lines))
        {
            records.Add(describe(reader.Record));
        }

        reader.Complete();
        return records;
    }

    private static string Describe(VcfRecord record) =>
        $"{record.Chromosome}:{record.Position} AN={record.AlleleNumber} " + string.Join(" | ", record.Alleles.ToArray().Select(allele =>
            allele.Stored
                ? $"{allele.Start}-{allele.End} {Text(allele.Ref)}>{Text(allele.Alt)} {allele.VariantType} AC={allele.Count} " +
                  $"het={allele.Heterozygous} hom={allele.Homozygous} hemi={allele.Hemizygous}"
                : "not stored"));

    private static string Annotation(VcfRecord record) => string.Join(" | ", record.Alleles.ToArray().Select(allele =>
        $"genes={allele.Annotation.Genes} effects={allele.Annotation.Effects} aa={allele.Annotation.AminoacidChanges} " +
        $"c={allele.Annotation.TranscriptHgvs} p={allele.Annotation.ProteinHgvs}"));

    private static string Text(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? "-" : Encoding.UTF8.GetString(bytes);

    private static VcfFormatException Malformed(string text) =>
        Assert.Throws<VcfFormatException>(() => Read(text));

    [Fact]
    public void Phased_and_unphased_calls_give_the_same_carriers_by_zygosity()
    {
        var records = Read(Header + Columns("S1", "S2", "S3", "S4") +
            "chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0|1\t1|0\t1|1\t0|0\n" +
            "chr1\t200\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t1/0\t1/1\t0/0\n");

        Assert.Equal(
        [
            "1:100 AN=8 99-100 A>G SNP AC=4 het=[0,1] hom=[2] hemi=[]",
            "1:200 AN=8 199-200 A>G SNP AC=4 het=[0,1] hom=[2] hemi=[]",
        ], records);
    }

    [Fact]
    public void Every_column_of_a_wide_phased_record_is_read_through_the_eight_column_compare()
    {
        // 19 samples: two blocks of eight lanes and a tail; carriers in lanes of both blocks and in the tail.
        string[] calls = ["0|0", "0|1", "0|0", "0|0", "0|0", "0|0", "0|0", "1|0", "0|0", "0|0", "0|0", "1|1", "0|0", "0|0", "0|0", "0|0", "0|0", "0|0", "1|0"];
        var samples = Enumerable.Range(1, calls.Length).Select(i => $"S{i}").ToArray();

        var records = Read(Header + Columns(samples) + "chr1\t100\t.\tC\tT\t50\tPASS\t.\tGT\t" + string.Join('\t', calls) + "\n");

        Assert.Equal(["1:100 AN=38 99-100 C>T SNP AC=5 het=[1,7,18] hom=[11] hemi=[]"], records);
    }

    [Fact]
    public void Missing_calls_count_no_allele_and_a_haploid_call_is_hemizygous()
    {
        var records = Read(Header + Columns("S1", "S2", "S3", "S4", "S5") +
            "chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t./.\t.|.\t.\t1\t./1\n");

        // ./1 has one called allele of two: heterozygous, as bcftools counts it.
        Assert.Equal(["1:100 AN=2 99-100 A>G SNP AC=2 het=[4] hom=[] hemi=[3]"], records);
    }

    [Fact]
    public void A_multi_allelic_record_gives_one_trimmed_allele_per_ALT_and_its_own_carriers()
    {
        var records = Read(Header + Columns("S1", "S2", "S3") +
            "chr1\t100\trs1\tGTC\tG,GTCT,*\t50\tPASS\t.\tGT\t1/2\t2|2\t0/3\n");

        Assert.Equal(
        [
            "1:100 AN=6 100-102 TC>- DEL AC=1 het=[0] hom=[] hemi=[] | 102-102 ->T INS AC=3 het=[0] hom=[1] hemi=[] | not stored",
        ], records);
    }

    [Fact]
    public void Genotype_fields_other_than_GT_are_skipped()
    {
        var records = Read(Header + Columns("S1", "S2") +
            "chr1\t100\t.\tA\tC\t50\tPASS\t.\tDP:GT:GQ\t12:0|1:99\t8:1/1\n");

        Assert.Equal(["1:100 AN=4 99-100 A>C SNP AC=3 het=[0] hom=[1] hemi=[]"], records);
    }

    [Fact]
    public void A_sites_only_record_takes_its_counts_from_INFO()
    {
        var records = Read(Header + Columns() + "chr1\t100\t.\tA\tC,T\t50\tPASS\tAC=3,1;AN=10\n");

        Assert.Equal(["1:100 AN=10 99-100 A>C SNP AC=3 het=[] hom=[] hemi=[] | 99-100 A>T SNP AC=1 het=[] hom=[] hemi=[]"], records);
    }

    [Fact]
    public void SnpEff_ANN_gives_each_allele_the_genes_effects_and_HGVS_of_its_transcripts()
    {
        var records = Read(Header + AnnHeader + Columns("S1") +
            "chr1\t100\t.\tA\tG,T\t50\tPASS\tAC=1,0;AN=2;ANN=" +
            "G|missense_variant|MODERATE|BRCA1|ENSG1|transcript|ENST1.4|protein_coding|10/23|c.1234A>G|p.Lys412Glu|1353/7088|1234/5592|412/1863||," +
            "G|missense_variant&splice_region_variant|MODERATE|BRCA1|ENSG1|transcript|ENST2.1|protein_coding|9/22|c.1111A>G|p.Lys371Glu|||||," +
            "G|downstream_gene_variant|MODIFIER|NBR2|ENSG2|transcript|ENST3.2|protein_coding||c.*812A>G|||||812|," +
            "T|stop_gained|HIGH|BRCA1|ENSG1|transcript|ENST1.4|protein_coding|10/23|c.1234A>T|p.Lys412*|||||WARNING_TRANSCRIPT_INCOMPLETE" +
            "\tGT\t0|1\n", Annotation);

        Assert.Equal(
        [
            "genes=BRCA1,NBR2 effects=missense_variant,splice_region_variant,downstream_gene_variant aa=K412E,K371E " +
            "c=ENST1.4:c.1234A>G,ENST2.1:c.1111A>G,ENST3.2:c.*812A>G p=p.Lys412Glu,p.Lys371Glu | " +
            "genes=BRCA1 effects=stop_gained aa=K412* c=ENST1.4:c.1234A>T p=p.Lys412*",
        ], records);
    }

    [Fact]
    public void VEP_CSQ_names_a_deletion_without_its_padding_base_and_wins_over_ANN()
    {
        var records = Read(Header + AnnHeader + CsqHeader + Columns("S1") +
            "chr1\t100\t.\tAT\tA,ATT\t50\tPASS\tANN=A|ignored|HIGH|IGNORED|x|transcript|t|protein_coding|1/1|c.1del||||||;CSQ=" +
            "-|frameshift_variant|HIGH|TP53|ENSG3|Transcript|ENST9.1|protein_coding|5/11||ENST9.1:c.215del|ENSP9.1:p.Pro72fs," +
            "TT|frameshift_variant|HIGH|TP53|ENSG3|Transcript|ENST9.1|protein_coding|5/11||ENST9.1:c.215dup|ENSP9.1:p.Pro72fs" +
            "\tGT\t1/2\n", Annotation);

        Assert.Equal(
        [
            "genes=TP53 effects=frameshift_variant aa=P72fs c=ENST9.1:c.215del p=ENSP9.1:p.Pro72fs | " +
            "genes=TP53 effects=frameshift_variant aa=P72fs c=ENST9.1:c.215dup p=ENSP9.1:p.Pro72fs",
        ], records);
    }

    [Fact]
    public void A_record_without_the_annotation_field_has_no_annotation_though_the_one_before_had()
    {
        var reader = new VcfReader("test.vcf");
        ReadOnlySpan<byte> lines = Encoding.UTF8.GetBytes(Header + AnnHeader + Columns("S1") +
            "chr1\t100\t.\tA\tG\t50\tPASS\tANN=G|missense_variant|MODERATE|BRCA1|ENSG1|transcript|ENST1.4|protein_coding|1/1|c.1A>G|p.Lys1Glu\tGT\t0|1\n" +
            "chr1\t200\t.\tA\tG\t50\tPASS\t.\tGT\t0|1\n");

        Assert.True(reader.TryRead(ref lines));
        Assert.True(reader.Record.Annotated);
        Assert.Equal(["BRCA1"], reader.Record.Alleles[0].Annotation.Genes.ToStrings());
        Assert.True(reader.TryRead(ref lines));
        Assert.False(reader.Record.Annotated);
        Assert.Equal(0, reader.Record.Alleles[0].Annotation.Genes.Count);
        Assert.False(reader.TryRead(ref lines));
    }

    [Fact]
    public void Records_out_of_order_mark_the_input_unsorted()
    {
        var reader = new VcfReader("test.vcf");
        ReadOnlySpan<byte> lines = Encoding.UTF8.GetBytes(Header + Columns() +
            "chr1\t200\t.\tA\tG\t50\tPASS\t.\nchr1\t100\t.\tA\tG\t50\tPASS\t.\n");

        while (reader.TryRead(ref lines))
        {
        }

        Assert.Equal(2L, reader.Records);
        Assert.False(reader.Sorted);
    }

    [Theory]
    [InlineData("chr1\t1x0\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n", "POS '1x0' is not a non-negative integer")]
    [InlineData("chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/2\n", "genotype '0/2' names allele 2 but the record has 1 ALT alleles")]
    [InlineData("chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\n", "more than the header's 1 sample columns")]
    [InlineData("chr1\t100\t.\tA\tG\t50\tPASS\n", "the line ends after the FILTER column: columns must be tab-separated")]
    [InlineData("chr1\t100\t.\tA\tG,,C\t50\tPASS\t.\tGT\t0/1\n", "an empty ALT allele")]
    [InlineData("chr1\t100\t.\tA\tQ\t50\tPASS\t.\tGT\t0/1\n", "ALT 'Q' is neither a sequence of bases nor a symbolic allele")]
    [InlineData("chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/x\n", "genotype '0/x' is not allele indexes separated by / or |")]
    public void A_malformed_line_is_refused_naming_the_source_the_line_and_the_reason(string line, string reason)
    {
        // The header takes lines 1 to 4; one good record, then the bad one on line 6.
        var error = Malformed(Header + Columns("S1") + "chr1\t50\t.\tA\tG\t50\tPASS\t.\tGT\t0|1\n" + line);

        Assert.Equal("test.vcf", error.FilePath);
        Assert.Equal(6, error.Line);
        Assert.Equal(reason, error.Reason);
        Assert.Equal($"test.vcf:6: {reason}", error.Message);
    }

    [Fact]
    public void Text_that_is_no_VCF_is_refused_at_its_first_line_or_at_its_end()
    {
        Assert.Equal("the first line is not ##fileformat=VCFv4.x: not a VCF", Malformed("##hello\n##fileformat=VCFv4.2\n").Reason);
        Assert.Equal("data line before the #CHROM header line", Malformed("##fileformat=VCFv4.2\nchr1\t1\t.\tA\tG\t50\tPASS\t.\n").Reason);
        Assert.Equal("no #CHROM header line: not a VCF", Malformed("##fileformat=VCFv4.2\n").Reason);
    }
}
