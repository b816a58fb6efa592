using System.Text.RegularExpressions;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Tests;

namespace GenomeNode.DataUseOntology.Tests.Ontologies;

/// <summary>Real OBO files (HPO's import modules of GO and HsapDv), parsed, stored and queried.</summary>
public sealed partial class OboFileTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly OntologyStore store;

    public OboFileTests()
    {
        store = new OntologyStore(database.Connection);
    }

    public void Dispose() => database.Dispose();

    [Theory]
    [InlineData("go_import.obo", "GO", 2443)]
    [InlineData("hsapdv_import.obo", "HsapDv", 16)]
    public void Every_term_stanza_is_loaded(string file, string prefix, int stanzas)
    {
        Assert.Equal(stanzas, Regex.Count(File.ReadAllText(SpecFiles.PathOf(file)), @"^\[Term\]\s*$", RegexOptions.Multiline));

        var loaded = store.Replace(OntologyFiles.Parse(SpecFiles.PathOf(file), null, new HashSet<string>()), file);

        Assert.Equal((prefix, stanzas, "obo"), (loaded.Prefix, loaded.TermCount, loaded.Format));
        Assert.Equal(stanzas, store.Terms(prefix).Count);
        Assert.StartsWith("hp/releases/2020-12-07/imports/", loaded.Version, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("go_import.obo", "GO:0000002")]
    [InlineData("go_import.obo", "GO:0006915")]
    [InlineData("go_import.obo", "GO:0005634")]
    [InlineData("go_import.obo", "GO:0007165")]
    [InlineData("go_import.obo", "GO:0042981")]
    [InlineData("hsapdv_import.obo", "HsapDv:0000037")]
    [InlineData("hsapdv_import.obo", "HsapDv:0000087")]
    public void Ancestors_equal_a_walk_of_the_files_is_a_lines(string file, string term)
    {
        store.Replace(OntologyFiles.Parse(SpecFiles.PathOf(file), null, new HashSet<string>()), file);

        Assert.Equal(NaiveAncestors(SpecFiles.PathOf(file), term), store.Ancestors(term));
    }

    [Fact]
    public void Known_ancestors_of_mitochondrial_genome_maintenance()
    {
        store.Replace(OntologyFiles.Parse(SpecFiles.PathOf("go_import.obo"), null, new HashSet<string>()), "go_import.obo");

        var ancestors = store.Ancestors("GO:0000002");

        Assert.Contains("GO:0007005", ancestors); // mitochondrion organization
        Assert.Contains("GO:0006996", ancestors); // organelle organization
        Assert.Contains("GO:0008150", ancestors); // biological_process
        Assert.DoesNotContain("GO:0005575", ancestors); // cellular_component is another branch
        Assert.Equal("mitochondrial genome maintenance", store.FindTerm("GO:0000002")!.Label);
    }

    [Fact]
    public void Descendants_of_the_life_cycle_stage_root_cover_the_whole_hsapdv_module()
    {
        store.Replace(OntologyFiles.Parse(SpecFiles.PathOf("hsapdv_import.obo"), null, new HashSet<string>()), "hsapdv_import.obo");

        Assert.Equal(16, store.Descendants("HsapDv:0000000").Count);
        Assert.Equal(["HsapDv:0000002"], store.Descendants("HsapDv:0000002"));
    }

    [Fact]
    public void Synonyms_obsolete_flags_and_relations_are_kept()
    {
        var graph = OntologyFiles.Parse(SpecFiles.PathOf("hsapdv_import.obo"), null, new HashSet<string>());

        var fetal = graph.Terms.Single(term => term.Id == "HsapDv:0000037");
        Assert.Contains(new OntologySynonym("fetus stage", "RELATED"), fetal.Synonyms);
        Assert.Contains(new OntologyEdge("HsapDv:0000037", "part_of", "HsapDv:0000045"), graph.Edges);
        var go = OntologyFiles.Parse(SpecFiles.PathOf("go_import.obo"), null, new HashSet<string>());
        Assert.Equal(
            Regex.Count(File.ReadAllText(SpecFiles.PathOf("go_import.obo")), @"^is_obsolete: true", RegexOptions.Multiline),
            go.Terms.Count(term => term.IsObsolete));
    }

    /// <summary>An independent oracle: the is_a lines of the file, walked breadth-first.</summary>
    private static List<string> NaiveAncestors(string path, string term)
    {
        var parents = new Dictionary<string, List<string>>();
        string? current = null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('['))
            {
                current = null;
            }
            else if (IdLine().Match(line) is { Success: true } id)
            {
                current = id.Groups[1].Value;
            }
            else if (current is not null && IsALine().Match(line) is { Success: true } isA)
            {
                (parents.TryGetValue(current, out var list) ? list : parents[current] = []).Add(isA.Groups[1].Value);
            }
        }

        var seen = new SortedSet<string>(StringComparer.Ordinal) { term };
        var queue = new Queue<string>([term]);
        while (queue.TryDequeue(out var next))
        {
            foreach (var parent in parents.GetValueOrDefault(next) ?? [])
            {
                if (seen.Add(parent))
                {
                    queue.Enqueue(parent);
                }
            }
        }

        return [.. seen];
    }

    [GeneratedRegex(@"^id: (\S+)")]
    private static partial Regex IdLine();

    [GeneratedRegex(@"^is_a: (\S+)")]
    private static partial Regex IsALine();
}
