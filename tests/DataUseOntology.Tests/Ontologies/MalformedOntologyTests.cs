using System.Text;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Tests;

namespace GenomeNode.DataUseOntology.Tests.Ontologies;

/// <summary>Files that must not load: each fails with a clear message and the loaded graph stays as it was.</summary>
public sealed class MalformedOntologyTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly OntologyStore store;
    private readonly LoadedOntology previous;
    private readonly IReadOnlyList<string> previousDescendants;

    public MalformedOntologyTests()
    {
        store = new OntologyStore(database.Connection);
        previous = store.Replace(OntologyFiles.Parse(SpecFiles.PathOf("go_import.obo"), null, new HashSet<string>()), "go_import.obo");
        previousDescendants = store.Descendants("GO:0008150");
    }

    public void Dispose() => database.Dispose();

    [Fact]
    public void Truncated_obo_file_names_the_line()
    {
        var text = File.ReadAllText(SpecFiles.PathOf("go_import.obo"));
        var cut = text[..(text.IndexOf("def: \"The maintenance of the structure", StringComparison.Ordinal) + 30)];

        var failure = LoadFails(cut, "go_import.obo");

        Assert.Equal("go_import.obo:25: unterminated quoted text (is the file truncated?)", failure.Message);
    }

    [Fact]
    public void Obo_file_cut_right_after_a_stanza_header_is_refused()
    {
        var failure = LoadFails("format-version: 1.2\n\n[Term]\nid: GO:1\nname: one\n\n[Term]\n", "cut.obo", "GO");

        Assert.Equal("cut.obo:7: [Term] stanza without an id (is the file truncated?)", failure.Message);
    }

    [Fact]
    public void Cyclic_is_a_is_refused_naming_the_cycle()
    {
        var failure = LoadFails("""
            [Term]
            id: GO:1
            is_a: GO:2
            [Term]
            id: GO:2
            is_a: GO:3
            [Term]
            id: GO:3
            is_a: GO:1
            [Term]
            id: GO:4
            is_a: GO:1
            """, "cycle.obo");

        Assert.Equal("is_a cycle: GO:1 -> GO:2 -> GO:3 -> GO:1", failure.Message);
    }

    [Fact]
    public void Self_loop_is_a_cycle_too()
    {
        var failure = LoadFails("[Term]\nid: GO:7\nis_a: GO:7\n", "self.obo");

        Assert.Equal("is_a cycle: GO:7 -> GO:7", failure.Message);
    }

    [Fact]
    public void Unknown_prefix_in_is_a_is_refused()
    {
        var failure = LoadFails("[Term]\nid: GO:1\nname: one\nis_a: FOO:2 ! nowhere\n", "unknown.obo");

        Assert.StartsWith("unknown.obo:4: unknown prefix 'FOO' in 'is_a: FOO:2' of GO:1", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefix_declared_with_idspace_or_loaded_before_is_known()
    {
        var declared = Parse("idspace: FOO http://example.org/foo_\n[Term]\nid: GO:1\nis_a: FOO:2\n", "declared.obo", null);
        var loaded = OntologyFiles.Parse(Stream("[Term]\nid: XX:1\nis_a: GO:0008150\n"), "loaded.obo", null,
            store.List().Select(o => o.Prefix).ToHashSet());

        Assert.Contains(new OntologyEdge("GO:1", OntologyEdge.IsA, "FOO:2"), declared.Edges);
        Assert.Equal("XX", loaded.Prefix);
    }

    [Fact]
    public void Identifier_without_prefix_is_refused()
    {
        var failure = LoadFails("[Term]\nid: 0000123\n", "bare.obo");

        Assert.Equal("bare.obo:2: 'id: 0000123' is not a PREFIX:ID identifier", failure.Message);
    }

    [Fact]
    public void Requested_prefix_that_no_term_uses_is_refused()
    {
        var failure = Assert.Throws<OntologyFormatException>(
            () => OntologyFiles.Parse(SpecFiles.PathOf("hsapdv_import.obo"), "HP", new HashSet<string>()));

        Assert.Equal("hsapdv_import.obo: no term has the prefix 'HP' (the file's prefixes: HsapDv)", failure.Message);
    }

    [Fact]
    public void Truncated_owl_file_is_refused_as_malformed_xml()
    {
        using var duo = typeof(DuoOntology).Assembly.GetManifestResourceStream(DuoOntology.ResourceName)!;
        using var reader = new StreamReader(duo);
        var text = reader.ReadToEnd();

        var failure = LoadFails(text[..(text.Length / 2)], "duo.owl", "DUO");

        Assert.Matches(@"^duo\.owl:\d+: malformed RDF/XML \(is the file truncated\?\)", failure.Message);
    }

    [Fact]
    public void Owl_class_outside_the_obo_namespace_without_an_id_is_an_unknown_prefix()
    {
        var failure = LoadFails("""
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:owl="http://www.w3.org/2002/07/owl#">
                <owl:Class rdf:about="http://example.org/terms#Thing42"/>
            </rdf:RDF>
            """, "foreign.owl");

        Assert.Equal("foreign.owl:3: unknown prefix: class http://example.org/terms#Thing42 has no oboInOwl:id and is not an OBO Foundry IRI", failure.Message);
    }

    [Fact]
    public void Empty_file_is_not_an_ontology()
    {
        var failure = LoadFails("format-version: 1.2\n", "empty.obo");

        Assert.Contains("no [Term] stanza", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>Parses and stores as `ontology load` does, expects the refusal, and checks GO is untouched.</summary>
    private OntologyFormatException LoadFails(string text, string source, string? prefix = "GO")
    {
        var failure = Assert.Throws<OntologyFormatException>(() => store.Replace(Parse(text, source, prefix), source));

        Assert.Equal(previous, store.Find("GO"));
        Assert.Equal(previousDescendants, store.Descendants("GO:0008150"));
        Assert.Equal(previous.TermCount, store.Terms("GO").Count);
        return failure;
    }

    private OntologyGraph Parse(string text, string source, string? prefix) =>
        OntologyFiles.Parse(Stream(text), source, prefix, store.List().Select(o => o.Prefix).Where(p => p != "GO").ToHashSet());

    private static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));
}
