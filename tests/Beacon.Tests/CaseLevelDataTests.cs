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

    private static StoredVariant Variant(int[] heterozygous, int[] homozygous, int[] hemizygous) => new(
        "d", "GRCh38", "17", 43044294, 43044295, "G", "A", "SNP", null, heterozygous.Length + 2 * homozygous.Length + hemizygous.Length, 10,
        heterozygous, homozygous, hemizygous, [], [], [], [], []);
}
