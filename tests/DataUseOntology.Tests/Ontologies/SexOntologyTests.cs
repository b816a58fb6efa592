using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Tests;

namespace GenomeNode.DataUseOntology.Tests.Ontologies;

/// <summary>The shipped NCIt subset for sex (specs/ontologies/ncit_sex.obo): loaded at start unless an operator loaded NCIt.</summary>
public sealed class SexOntologyTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly OntologyStore store;

    public SexOntologyTests()
    {
        store = new OntologyStore(database.Connection);
    }

    public void Dispose() => database.Dispose();

    [Fact]
    public void The_subset_is_loaded_once_with_sex_above_its_values()
    {
        Assert.True(SexOntology.EnsureLoaded(store));
        Assert.False(SexOntology.EnsureLoaded(store));

        var loaded = store.Find("NCIT")!;
        Assert.Equal((SexOntology.Source, "genome-node/ncit_sex/1", 8), (loaded.Source, loaded.Version, loaded.TermCount));
        Assert.Equal(["NCIT:C16576", "NCIT:C20197", "NCIT:C28421", "NCIT:C45908", "NCIT:C46112", "NCIT:C46113"], store.Descendants("NCIT:C28421"));
        Assert.Equal(["NCIT:C16576", "NCIT:C46113"], store.Descendants("NCIT:C16576"));
        Assert.Equal("Female", store.FindTerm("NCIT:C16576")!.Label);
        Assert.Equal("Unknown", store.FindTerm("NCIT:C17998")!.Label);
        Assert.DoesNotContain("NCIT:C17998", store.Descendants("NCIT:C28421"));
    }

    [Fact]
    public void An_ncit_the_operator_loaded_is_never_replaced()
    {
        using var directory = new TemporaryDirectory("genome-node-ncit");
        var full = directory.Combine("ncit.obo");
        File.WriteAllText(full, "data-version: 25.01d\n\n[Term]\nid: NCIT:C16576\nname: Female\n\n[Term]\nid: NCIT:C12345\nname: Other\nis_a: NCIT:C16576\n");
        store.Replace(OntologyFiles.Parse(full, null, new HashSet<string>()), "ncit.obo");

        Assert.False(SexOntology.EnsureLoaded(store));
        Assert.Equal(("ncit.obo", "25.01d"), (store.Find("NCIT")!.Source, store.Find("NCIT")!.Version));
    }

    [Fact]
    public void An_ncit_disease_restriction_is_taken_as_given_while_only_the_subset_is_loaded_and_checked_once_ncit_is()
    {
        DuoOntology.EnsureLoaded(store);
        SexOntology.EnsureLoaded(store);
        var dataUse = new GenomeNode.DataUseOntology.DataUse.DatasetDataUse(database.Connection, store);

        Assert.Equal(["NCIT:C4872"], dataUse.Interpret(["DUO:0000007"], ["NCIT:C4872"]).Diseases);

        using var directory = new TemporaryDirectory("genome-node-ncit");
        var full = directory.Combine("ncit.obo");
        File.WriteAllText(full, "data-version: 25.01d\n\n[Term]\nid: NCIT:C16576\nname: Female\n");
        store.Replace(OntologyFiles.Parse(full, null, new HashSet<string>()), "ncit.obo");
        var refused = Assert.Throws<GenomeNode.DataUseOntology.DataUse.DataUseException>(() => dataUse.Interpret(["DUO:0000007"], ["NCIT:C4872"]));
        Assert.Equal("unknown disease term NCIT:C4872", refused.Message);
    }

    [Fact]
    public void An_earlier_shipped_subset_is_replaced_by_this_release()
    {
        var earlier = SexOntology.Parse() with { Version = "genome-node/ncit_sex/0", Terms = SexOntology.Parse().Terms.Take(2).ToList() };
        store.Replace(earlier, SexOntology.Source);

        Assert.True(SexOntology.EnsureLoaded(store));
        Assert.Equal(("genome-node/ncit_sex/1", 8), (store.Find("NCIT")!.Version, store.Find("NCIT")!.TermCount));
    }
}
