using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Host.Hosting;
using GenomeNode.Storage;
using Microsoft.Extensions.Options;

// Descendant queries ("HP:0000118 and everything below it") answered from DuckDB, per term, as the node asks them
// (OntologyStore.Descendants: an index lookup in ontology.descendant_lists), beside a prepared scan of the closure
// table, and against two peers measured in the same run: the floor of a DuckDB round trip (SELECT 1 on the same
// connection) and a breadth-first walk of the same graph held in memory.
var repository = args.Length > 0 ? args[0] : FindRepository();
var data = Path.Combine(Path.GetTempPath(), $"genome-node-bench-{Environment.ProcessId}");
try
{
    using var database = new NodeDatabase(data);
    database.Open(NodeComposition.Migrations, NodeComposition.Version);
    using var connection = database.OpenConnection();
    var store = new OntologyStore(connection);

    var graphs = new List<OntologyGraph>
    {
        DuoOntology.Parse(),
        OntologyFiles.Parse(Path.Combine(repository, "specs", "ontologies", "go_import.obo"), null, new HashSet<string>()),
        OntologyFiles.Parse(Path.Combine(repository, "specs", "ontologies", "hsapdv_import.obo"), null, new HashSet<string>()),
        SyntheticPhenotypeOntology(terms: 20_000, seed: 20261123),
    };

    Console.WriteLine("ontology  terms  closure-rows  load-ms  descendants-us(p50/p99)  closure-scan-us(p50)  select1-us(p50)  memory-walk-us(p50)  ratio-vs-select1  ratio-vs-walk");
    foreach (var graph in graphs)
    {
        var loadTimer = Stopwatch.StartNew();
        store.Replace(graph, graph.Prefix);
        loadTimer.Stop();

        var terms = graph.Terms.Select(term => term.Id).ToArray();
        var sample = terms.Length <= 3000 ? terms : [.. terms.Where((_, index) => index % (terms.Length / 3000) == 0)];
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT descendant FROM ontology.closure WHERE ancestor = $1";
        var parameter = new DuckDBParameter("x");
        query.Parameters.Add(parameter);
        query.Prepare();
        using var floor = connection.CreateCommand();
        floor.CommandText = "SELECT 1";
        floor.Prepare();
        var children = ChildrenOf(graph);

        var closureTimes = Measure(sample, id => store.Descendants(id).Count);
        var scanTimes = Measure(sample, id =>
        {
            parameter.Value = id;
            using var reader = query.ExecuteReader();
            var count = 0;
            while (reader.Read())
            {
                count++;
            }

            return count;
        });
        var floorTimes = Measure(sample, _ => Convert.ToInt32(floor.ExecuteScalar(), CultureInfo.InvariantCulture));
        var walkTimes = Measure(sample, id => Walk(children, id));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{graph.Prefix,-8}  {terms.Length,5}  {graph.TransitiveClosure().Count,12}  {loadTimer.ElapsedMilliseconds,7}  " +
            $"{Percentile(closureTimes, 50),10:F1} / {Percentile(closureTimes, 99),-9:F1}  {Percentile(scanTimes, 50),19:F1}  {Percentile(floorTimes, 50),14:F1}  " +
            $"{Percentile(walkTimes, 50),19:F2}  {Percentile(closureTimes, 50) / Percentile(floorTimes, 50),16:F2}  " +
            $"{Percentile(closureTimes, 50) / Math.Max(0.01, Percentile(walkTimes, 50)),13:F0}"));
    }
}
finally
{
    Directory.Delete(data, recursive: true);
}

static double[] Measure(string[] ids, Func<string, int> action)
{
    foreach (var id in ids.Take(200))
    {
        action(id); // warm-up
    }

    var times = new double[ids.Length];
    for (var i = 0; i < ids.Length; i++)
    {
        var start = Stopwatch.GetTimestamp();
        action(ids[i]);
        times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    Array.Sort(times);
    return times;
}

static double Percentile(double[] sorted, int percentile) => sorted[Math.Min(sorted.Length - 1, sorted.Length * percentile / 100)];

static Dictionary<string, List<string>> ChildrenOf(OntologyGraph graph)
{
    var children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
    foreach (var edge in graph.Edges.Where(edge => edge.Relation == OntologyEdge.IsA))
    {
        (children.TryGetValue(edge.Parent, out var list) ? list : children[edge.Parent] = []).Add(edge.Child);
    }

    return children;
}

static int Walk(Dictionary<string, List<string>> children, string root)
{
    var seen = new HashSet<string>(StringComparer.Ordinal) { root };
    var queue = new Queue<string>([root]);
    while (queue.TryDequeue(out var node))
    {
        foreach (var child in children.GetValueOrDefault(node) ?? [])
        {
            if (seen.Add(child))
            {
                queue.Enqueue(child);
            }
        }
    }

    return seen.Count;
}

// HPO-sized: 20,000 terms, a deep DAG where most terms have one parent and some two, as in phenotype ontologies.
static OntologyGraph SyntheticPhenotypeOntology(int terms, int seed)
{
    var random = new Random(seed);
    var edges = new List<OntologyEdge>();
    for (var i = 1; i < terms; i++)
    {
        var parents = random.NextDouble() < 0.25 ? 2 : 1;
        for (var p = 0; p < parents; p++)
        {
            var parent = Math.Max(0, i - 1 - (int)(random.NextDouble() * random.NextDouble() * i));
            edges.Add(new OntologyEdge($"SYN:{i:D7}", OntologyEdge.IsA, $"SYN:{parent:D7}"));
        }
    }

    return new OntologyGraph("SYN", "synthetic phenotype-like ontology", null, "synthetic",
        [.. Enumerable.Range(0, terms).Select(i => new OntologyTerm($"SYN:{i:D7}", null, null, null, false, [], []))],
        edges);
}

static string FindRepository()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "GenomeNode.slnx")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository, or pass its path");
}
