using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Tests;

namespace GenomeNode.DataUseOntology.Tests.Ontologies;

/// <summary>The shipped duo.owl, parsed and stored, checked against the release's flat files.</summary>
public sealed class DuoOwlTests : IDisposable
{
    private readonly TestDatabase database = new(); // the node loads DUO itself at start; this one is empty of it
    private readonly OntologyStore store;

    public DuoOwlTests()
    {
        store = new OntologyStore(database.Connection);
        DuoOntology.EnsureLoaded(store);
    }

    public void Dispose() => database.Dispose();

    [Fact]
    public void The_start_up_version_check_reads_the_version_the_full_parse_reports_and_loads_once()
    {
        var parsed = DuoOntology.Parse();
        using (var stream = typeof(DuoOntology).Assembly.GetManifestResourceStream(DuoOntology.ResourceName)!)
        {
            Assert.Equal(parsed.Version, OwlParser.ReadVersion(stream));
        }

        Assert.NotNull(parsed.Version);
        Assert.False(DuoOntology.EnsureLoaded(store)); // loaded by the constructor: the same release is not loaded again
        using var notRdf = new MemoryStream("<html><body/></html>"u8.ToArray());
        Assert.Null(OwlParser.ReadVersion(notRdf));
    }

    [Fact]
    public void Every_current_term_of_the_release_flat_file_is_loaded_with_its_label()
    {
        var release = SpecFiles.ReadCsv("duo.csv");
        Assert.Equal(25, release.Count);

        foreach (var row in release)
        {
            var term = store.FindTerm(row["id"]);
            Assert.True(term is not null, $"{row["id"]} is missing");
            Assert.Equal(row["label"], term.Label);
            Assert.False(term.IsObsolete, $"{row["id"]} should be current");
            Assert.Equal(string.IsNullOrEmpty(row["shorthand"]) ? null : row["shorthand"], term.Shorthand);
        }
    }

    [Fact]
    public void Every_term_has_the_parents_and_deprecation_of_the_derived_parents_file()
    {
        var derived = SpecFiles.ReadCsv("duo-terms-with-parents.derived.csv");
        Assert.Equal(derived.Count, store.Terms(DuoOntology.Prefix).Count(term => term.Id.StartsWith("DUO:", StringComparison.Ordinal)));

        foreach (var row in derived)
        {
            var id = row["id"];
            var expectedParents = row["parent_ids"].Split([';', '|', ' '], StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
            Assert.Equal(expectedParents, store.Parents(id));
            Assert.Equal(row["deprecated"] == "true", store.FindTerm(id)!.IsObsolete);
            Assert.Equal(row["label"], store.FindTerm(id)!.Label);
        }
    }

    [Fact]
    public void Terms_are_keyed_on_their_oboInOwl_id_even_where_the_iri_disagrees()
    {
        // NPOA's IRI is DUO_00000044 (eight digits) in this release; its id is DUO:0000044.
        Assert.Equal("NPOA", store.FindTerm("DUO:0000044")?.Shorthand);
        Assert.Null(store.FindTerm("DUO:00000044"));
        Assert.Contains("DUO:0000044", store.Descendants("DUO:0000017"));
    }

    [Fact]
    public void Permissions_and_modifiers_descend_from_their_categories()
    {
        Assert.Equal(
            ["DUO:0000001", "DUO:0000004", "DUO:0000006", "DUO:0000007", "DUO:0000011", "DUO:0000042"],
            store.Descendants("DUO:0000001"));
        Assert.Equal(["DUO:0000001", "DUO:0000006", "DUO:0000007", "DUO:0000042"],
            store.Ancestors("DUO:0000007").Where(id => id.StartsWith("DUO:", StringComparison.Ordinal)));
        Assert.Contains("IAO:0000027", store.Ancestors("DUO:0000007")); // "data item", above the permission category
        Assert.Contains("DUO:0000045", store.Descendants("DUO:0000018"));
        Assert.Contains("DUO:0000046", store.Descendants("DUO:0000017"));
    }

    [Fact]
    public void Obsolete_terms_carry_their_replacements()
    {
        var gruCc = store.FindTerm("DUO:0000005")!;

        Assert.True(gruCc.IsObsolete);
        Assert.Equal("DUO:0000042 DUO:0000043", gruCc.ReplacedBy);
    }

    [Fact]
    public void Existential_restrictions_become_named_relations_such_as_ds_is_restricted_to_a_disease()
    {
        using var command = database.Connection.CreateCommand();
        command.CommandText = "SELECT relation, parent FROM ontology.edges WHERE child = 'DUO:0000007' AND relation <> 'is_a'";
        using var reader = command.ExecuteReader();

        Assert.True(reader.Read());
        Assert.Equal(("DUO:0000010", "MONDO:0000001"), (reader.GetString(0), reader.GetString(1)));
        Assert.False(reader.Read());
    }

    [Fact]
    public void Loading_the_same_release_again_changes_nothing()
    {
        var before = store.Find(DuoOntology.Prefix)!;

        Assert.False(DuoOntology.EnsureLoaded(store));
        Assert.Equal(before, store.Find(DuoOntology.Prefix));
    }
}
