using GenomeNode.DataUseOntology.Ontologies;

namespace GenomeNode.DataUseOntology.Tests.Ontologies;

public sealed class CurieTests
{
    [Fact]
    public void A_curie_ending_in_a_newline_is_not_a_curie()
    {
        Assert.True(Curie.IsValid("MONDO:0007254"));
        Assert.False(Curie.IsValid("MONDO:0007254\n"));
        Assert.Null(Curie.PrefixOf("MONDO:0007254\n"));
    }

    [Fact]
    public void An_obo_iri_ending_in_a_newline_names_no_term()
    {
        Assert.Equal("DUO:0000042", Curie.FromOboIri(Curie.OboNamespace + "DUO_0000042"));
        Assert.Null(Curie.FromOboIri(Curie.OboNamespace + "DUO_0000042\n"));
    }
}
