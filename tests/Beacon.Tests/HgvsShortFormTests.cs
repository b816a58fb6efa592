using GenomeNode.Beacon.Requests;

namespace GenomeNode.Beacon.Tests;

/// <summary>genomicAlleleShortForm: the genomic HGVS forms read, without HTTP, into the query of the allele they describe.</summary>
public sealed class HgvsShortFormTests
{
    [Fact]
    public void A_substitution_is_a_sequence_query_for_the_exact_allele()
    {
        var query = HgvsShortForm.Parse("NC_000017.11:g.43045712G>A", null);

        Assert.Equal(new SequenceQuery("GRCh38", "17", 43045711, 43045712, "G", "A", null), query);
    }

    [Theory]
    [InlineData("NC_000017.11:g.100_102del", 99, 102, "", "DEL", null)]
    [InlineData("NC_000017.11:g.100del", 99, 100, "", "DEL", null)]
    [InlineData("NC_000017.11:g.100_101insAT", 100, 100, "AT", "INS", null)]
    [InlineData("NC_000017.11:g.100delinsT", 99, 100, "T", "SNP", null)]
    [InlineData("NC_000017.11:g.100_101delinsTA", 99, 101, "TA", "MNP", null)]
    [InlineData("NC_000017.11:g.100_101delinsTAC", 99, 101, "TAC", "INDEL", null)]
    [InlineData("17:g.100_102dup", 102, 102, null, "INS", 3)]
    public void Deletions_insertions_delins_and_duplications_name_the_stored_allele(
        string hgvs, long start, long end, string? alternate, string type, int? length)
    {
        var query = Assert.IsType<GenomicAlleleQuery>(HgvsShortForm.Parse(hgvs, null));

        Assert.Equal((start, end, alternate, type, length), (query.Start, query.End, query.Alternate, query.VariantType, query.Length));
        Assert.Equal("17", query.Chromosome);
    }

    [Fact]
    public void The_accession_names_the_assembly_and_must_agree_with_assemblyId()
    {
        Assert.Equal("GRCh37", HgvsShortForm.Parse("NC_000017.10:g.100del", null).Assembly);
        Assert.Equal("GRCh37", HgvsShortForm.Parse("17:g.100del", "GRCh37").Assembly);

        var refused = Assert.Throws<BeaconRequestException>(() => HgvsShortForm.Parse("NC_000017.11:g.100del", "GRCh37"));
        Assert.Equal("NC_000017.11 is a GRCh38 sequence but assemblyId is GRCh37", refused.Message);
    }

    [Theory]
    [InlineData("NC_000017.11:c.123A>G")]
    [InlineData("NC_000099.9:g.123A>G")]
    [InlineData("NC_000017.11:g.99999999999999999999999A>G")]
    [InlineData("NC_000017.11:g.2147483648del")]
    [InlineData("NC_000017.11:g.0del")]
    [InlineData("NC_000017.11:g.100_99del")]
    [InlineData("NC_000017.11:g.100_102insA")]
    [InlineData("NC_000017.11:g.100_101G>A")]
    [InlineData("NC_000017.11:g.100=")]
    public void A_form_this_beacon_does_not_read_is_refused_naming_the_parameter(string hgvs)
    {
        var refused = Assert.Throws<BeaconRequestException>(() => HgvsShortForm.Parse(hgvs, null));

        Assert.Equal("genomicAlleleShortForm", refused.Parameter);
    }
}
