using CsCheck;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Tests;

namespace GenomeNode.DataUseOntology.Tests.Ontologies;

/// <summary>The stored closure equals a naive graph walk, for random directed acyclic graphs.</summary>
public sealed class ClosurePropertyTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly OntologyStore store;

    public ClosurePropertyTests()
    {
        store = new OntologyStore(database.Connection);
    }

    public void Dispose() => database.Dispose();

    /// <summary>Terms T:0..n-1; every is_a edge goes from a higher to a lower number, so the graph is acyclic.</summary>
    private static readonly Gen<(int Terms, (int Child, int Parent)[] Edges)> RandomDag =
        from terms in Gen.Int[2, 40]
        from edges in (from child in Gen.Int[1, terms - 1]
                       from parent in Gen.Int[0, child - 1]
                       select (child, parent)).Array[0, terms * 3]
        select (terms, edges);

    [Fact]
    public void Stored_descendants_and_ancestors_equal_a_naive_walk() =>
        RandomDag.Sample(dag =>
        {
            var graph = new OntologyGraph("T", null, null, "test",
                [.. Enumerable.Range(0, dag.Terms).Select(i => new OntologyTerm($"T:{i}", null, null, null, false, [], []))],
                [.. dag.Edges.Select(edge => new OntologyEdge($"T:{edge.Child}", OntologyEdge.IsA, $"T:{edge.Parent}"))]);
            store.Replace(graph, "random");

            for (var term = 0; term < dag.Terms; term++)
            {
                var id = $"T:{term}";
                Assert.Equal(Walk(dag.Edges, term, up: true), store.Ancestors(id));
                Assert.Equal(Walk(dag.Edges, term, up: false), store.Descendants(id));
            }
        }, iter: 60, threads: 1); // one DuckDB connection: no parallel samples

    [Fact]
    public void Closure_distances_are_the_shortest_is_a_paths() =>
        RandomDag.Sample(dag =>
        {
            var graph = new OntologyGraph("T", null, null, "test",
                [.. Enumerable.Range(0, dag.Terms).Select(i => new OntologyTerm($"T:{i}", null, null, null, false, [], []))],
                [.. dag.Edges.Select(edge => new OntologyEdge($"T:{edge.Child}", OntologyEdge.IsA, $"T:{edge.Parent}"))]);

            foreach (var (descendant, ancestor, distance) in graph.TransitiveClosure())
            {
                Assert.Equal(ShortestPath(dag.Edges, int.Parse(descendant[2..], System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(ancestor[2..], System.Globalization.CultureInfo.InvariantCulture)), distance);
            }
        }, iter: 100);

    private static List<string> Walk((int Child, int Parent)[] edges, int start, bool up)
    {
        var seen = new HashSet<int> { start };
        var stack = new Stack<int>([start]);
        while (stack.TryPop(out var node))
        {
            foreach (var edge in edges)
            {
                var next = up ? (edge.Child == node ? edge.Parent : -1) : (edge.Parent == node ? edge.Child : -1);
                if (next >= 0 && seen.Add(next))
                {
                    stack.Push(next);
                }
            }
        }

        return [.. seen.Select(i => $"T:{i}").Order(StringComparer.Ordinal)];
    }

    private static int ShortestPath((int Child, int Parent)[] edges, int from, int to)
    {
        var distance = new Dictionary<int, int> { [from] = 0 };
        var queue = new Queue<int>([from]);
        while (queue.TryDequeue(out var node))
        {
            foreach (var edge in edges.Where(edge => edge.Child == node))
            {
                if (distance.TryAdd(edge.Parent, distance[node] + 1))
                {
                    queue.Enqueue(edge.Parent);
                }
            }
        }

        return distance[to];
    }
}
