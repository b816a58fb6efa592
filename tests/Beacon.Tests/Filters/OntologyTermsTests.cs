using GenomeNode.Beacon.Filters;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Storage;
using GenomeNode.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Tests.Filters;

/// <summary><see cref="OntologyTerms"/> over a real, migrated node database, as the node composes it.</summary>
public sealed class OntologyTermsTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly ServiceProvider services;

    public OntologyTermsTests()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton(database.Connection);
        collection.AddScoped<OntologyStore>();
        collection.AddSingleton<OntologyTerms>();
        collection.AddSingleton<IOntologyChangeListener>(provider => provider.GetRequiredService<OntologyTerms>());
        services = collection.BuildServiceProvider();
        Load(ParsedOntologies.SpecOntology("go_import.obo"));
    }

    private OntologyTerms Terms => services.GetRequiredService<OntologyTerms>();

    public void Dispose()
    {
        services.Dispose();
        database.Dispose();
    }

    /// <summary>An ontology load as <c>genome-node ontology load</c> makes it: through the store the node composes.</summary>
    private void Load(string path)
    {
        using var scope = services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<OntologyStore>();
        store.Replace(OntologyFiles.Parse(path, null, new HashSet<string>()), Path.GetFileName(path));
    }

    [Fact]
    public void Descendants_and_labels_come_from_the_loaded_closure()
    {
        Assert.Equal(
            ["GO:0006915", "GO:0060561", "GO:0070227", "GO:0071887", "GO:1902262", "GO:1902742"],
            Terms.SelfAndDescendants("GO:0006915")!.Order(StringComparer.Ordinal));
        Assert.Equal("apoptotic process", Terms.Label("GO:0006915"));
        Assert.Null(Terms.SelfAndDescendants("HP:0001250"));
        Assert.Null(Terms.Label("HP:0001250"));
        Assert.Contains(Terms.Loaded(), loaded => loaded.Prefix == "GO" && loaded.TermCount == 2443);
    }

    [Fact]
    public void Terms_are_read_once_and_held()
    {
        Assert.Equal(6, Terms.SelfAndDescendants("GO:0006915")!.Count);
        Assert.Equal("apoptotic process", Terms.Label("GO:0006915"));

        // Behind the store's back: what is held does not read the tables again.
        database.Connection.Execute("DELETE FROM ontology.descendant_lists");
        database.Connection.Execute("DELETE FROM ontology.terms");

        Assert.Equal(6, Terms.SelfAndDescendants("GO:0006915")!.Count);
        Assert.Equal("apoptotic process", Terms.Label("GO:0006915"));
    }

    [Fact]
    public void An_ontology_load_drops_what_is_held()
    {
        Assert.Equal(6, Terms.SelfAndDescendants("GO:0006915")!.Count);
        Assert.Equal("apoptotic process", Terms.Label("GO:0006915"));
        Assert.Single(Terms.Loaded(), loaded => loaded.Prefix == "GO");

        using var directory = new TemporaryDirectory("genome-node-ontology");
        var release = directory.Combine("go_next.obo");
        File.WriteAllText(release, """
            format-version: 1.2
            data-version: go/next

            [Term]
            id: GO:0006915
            name: apoptosis

            [Term]
            id: GO:0070227
            name: lymphocyte apoptotic process
            is_a: GO:0006915
            """);
        Load(release);

        Assert.Equal(["GO:0006915", "GO:0070227"], Terms.SelfAndDescendants("GO:0006915")!.Order(StringComparer.Ordinal));
        Assert.Equal("apoptosis", Terms.Label("GO:0006915"));
        Assert.Equal("go/next", Assert.Single(Terms.Loaded(), loaded => loaded.Prefix == "GO").Version);
    }
}
