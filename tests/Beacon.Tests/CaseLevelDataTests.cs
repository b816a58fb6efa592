using System.Text.Json;
using GenomeNode.Beacon.Api;
using GenomeNode.Beacon.Store;
using GenomeNode.Beacon.Variants;

namespace GenomeNode.Beacon.Tests;

/// <summary>A record's case-level data: every carrier once, with its zygosity, in the ordinal order of the ids.</summary>
public sealed class CaseLevelDataTests
{
    private static readonly DatasetPopulations NoPopulations = DatasetPopulations.Build([], [], []);

    [Fact]
    public void Carriers_come_in_the_ordinal_order_of_their_ids_with_their_zygosity()
    {
        // Ordinal: upper case before lower case, "HG10" before "HG9".
        var names = new SampleNames(new Dictionary<int, string> { [0] = "b", [1] = "HG9", [2] = "a", [3] = "HG10", [4] = "Z" });
        var variant = Variant(heterozygous: [0, 1], homozygous: [3, 2], hemizygous: [4]);

        var cases = GVariantService.Document("d", variant, names, NoPopulations).CaseLevelData!;

        Assert.Equal(["HG10 GENO:0000136", "HG9 GENO:0000135", "Z GENO:0000134", "a GENO:0000136", "b GENO:0000135"],
            cases.Select(c => $"{c.IndividualId} {c.Zygosity.Id}"));
        Assert.All(cases, c => Assert.Equal(c.IndividualId, c.BiosampleId));
    }

    [Fact]
    public void A_carrier_the_individuals_do_not_name_is_listed_as_its_sample_among_the_others_by_text()
    {
        var names = new SampleNames(new Dictionary<int, string> { [0] = "zz", [1] = "aa" });
        var variant = Variant(heterozygous: [0, 7], homozygous: [1], hemizygous: []);

        var cases = GVariantService.Document("d", variant, names, NoPopulations).CaseLevelData!;

        Assert.Equal(["aa GENO:0000136", "sample-7 GENO:0000135", "zz GENO:0000135"], cases.Select(c => $"{c.IndividualId} {c.Zygosity.Id}"));
    }

    [Fact]
    public void A_variant_without_carriers_has_no_case_level_data()
    {
        var names = new SampleNames(new Dictionary<int, string> { [0] = "a" });
        Assert.Null(GVariantService.Document("d", Variant([], [], []), names, NoPopulations).CaseLevelData);
    }

    [Fact]
    public void Case_level_data_is_written_as_the_serializer_writes_each_entry()
    {
        // Ids the encoder escapes (quote, backslash, HTML-sensitive, non-ASCII) as well as plain ones; every zygosity.
        var ids = new[] { "HG00096", "a\"b", "c\\d", "<script>", "O'Brien&co", "Väinö", "名前", "x+y", "tab\there", "" };
        var names = new SampleNames(ids.Select((id, index) => (id, index)).ToDictionary(pair => pair.index, pair => pair.id));
        var variant = Variant(heterozygous: [0, 2, 4, 6, 8], homozygous: [1, 5, 9], hemizygous: [3, 7]);
        var document = GVariantService.Document("d", variant, names, NoPopulations);
        var entryByEntry = document with { CaseLevelData = [.. document.CaseLevelData!] };

        var encoded = JsonSerializer.Serialize(document, BeaconJsonContext.Default.GenomicVariation);

        Assert.IsType<CarrierCases>(document.CaseLevelData);
        Assert.Equal(JsonSerializer.Serialize(entryByEntry, BeaconJsonContext.Default.GenomicVariation), encoded);
        // Twice: the second time from the entries encoded the first.
        Assert.Equal(encoded, JsonSerializer.Serialize(document, BeaconJsonContext.Default.GenomicVariation));
        var read = JsonSerializer.Deserialize(encoded, BeaconJsonContext.Default.GenomicVariation)!.CaseLevelData!;
        Assert.Equal(ids.Length, read.Count);
        Assert.Equal(document.CaseLevelData!.Select(c => $"{c.IndividualId} {c.Zygosity.Id}"), read.Select(c => $"{c.IndividualId} {c.Zygosity.Id}"));
    }

    private static StoredVariant Variant(int[] heterozygous, int[] homozygous, int[] hemizygous) => new(
        "d", "GRCh38", "17", 43044294, 43044295, "G", "A", "SNP", null, heterozygous.Length + 2 * homozygous.Length + hemizygous.Length, 10,
        heterozygous, homozygous, hemizygous, [], [], [], [], []);
}
