namespace GenomeNode.DataUseOntology.Ontologies;

/// <summary>One class of an ontology, keyed by its CURIE (e.g. HP:0000118).</summary>
public sealed record OntologyTerm(
    string Id,
    string? Label,
    string? Definition,
    string? Shorthand,
    bool IsObsolete,
    IReadOnlyList<string> ReplacedBy,
    IReadOnlyList<OntologySynonym> Synonyms);

public sealed record OntologySynonym(string Text, string Scope);

/// <summary>A directed edge child → parent: <c>is_a</c> (subClassOf) or a named relation such as <c>part_of</c>.</summary>
public sealed record OntologyEdge(string Child, string Relation, string Parent)
{
    public const string IsA = "is_a";
}

/// <summary>A whole ontology as parsed from one file, before it is stored.</summary>
public sealed record OntologyGraph(
    string Prefix,
    string? Title,
    string? Version,
    string Format,
    IReadOnlyList<OntologyTerm> Terms,
    IReadOnlyList<OntologyEdge> Edges)
{
    /// <summary>
    /// The reflexive transitive closure of <c>is_a</c>: every (descendant, ancestor, distance) with distance 0 for the
    /// term itself and the shortest number of is_a steps otherwise. Parents that the file references but does not
    /// define (terms of imported ontologies) are ancestors too. Throws on an is_a cycle, naming it.
    /// </summary>
    public IReadOnlyList<(string Descendant, string Ancestor, int Distance)> TransitiveClosure()
    {
        var parents = IsAParents();
        var nodes = new SortedSet<string>(parents.Keys, StringComparer.Ordinal);
        foreach (var list in parents.Values)
        {
            nodes.UnionWith(list);
        }

        ThrowOnCycle(nodes, parents);
        var closure = new List<(string, string, int)>();
        foreach (var node in nodes)
        {
            // Breadth-first from each node gives shortest distances; graphs here are DAGs of at most ~10^5 terms.
            var distances = new Dictionary<string, int>(StringComparer.Ordinal) { [node] = 0 };
            var queue = new Queue<string>([node]);
            while (queue.TryDequeue(out var current))
            {
                foreach (var parent in parents.GetValueOrDefault(current) ?? [])
                {
                    if (distances.TryAdd(parent, distances[current] + 1))
                    {
                        queue.Enqueue(parent);
                    }
                }
            }

            closure.AddRange(distances.Select(pair => (node, pair.Key, pair.Value)));
        }

        return closure;
    }

    private Dictionary<string, List<string>> IsAParents()
    {
        var parents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var term in Terms)
        {
            parents.TryAdd(term.Id, []);
        }

        foreach (var edge in Edges.Where(edge => edge.Relation == OntologyEdge.IsA))
        {
            if (!parents.TryGetValue(edge.Child, out var list))
            {
                parents[edge.Child] = list = [];
            }

            if (!list.Contains(edge.Parent, StringComparer.Ordinal))
            {
                list.Add(edge.Parent);
            }
        }

        return parents;
    }

    private static void ThrowOnCycle(IEnumerable<string> nodes, Dictionary<string, List<string>> parents)
    {
        // Iterative three-colour depth-first search; the grey path is the cycle when a grey node is met again.
        var state = new Dictionary<string, byte>(StringComparer.Ordinal); // 1 = on the path, 2 = done
        foreach (var start in nodes)
        {
            if (state.ContainsKey(start))
            {
                continue;
            }

            var path = new List<string>();
            var stack = new Stack<(string Node, int NextParent)>();
            stack.Push((start, 0));
            state[start] = 1;
            path.Add(start);
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var nodeParents = parents.GetValueOrDefault(node) ?? [];
                if (next < nodeParents.Count)
                {
                    stack.Push((node, next + 1));
                    var parent = nodeParents[next];
                    if (!state.TryGetValue(parent, out var seen))
                    {
                        state[parent] = 1;
                        path.Add(parent);
                        stack.Push((parent, 0));
                    }
                    else if (seen == 1)
                    {
                        var cycle = path.Skip(path.IndexOf(parent)).Append(parent);
                        throw new OntologyFormatException($"is_a cycle: {string.Join(" -> ", cycle)}");
                    }
                }
                else
                {
                    state[node] = 2;
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
    }
}

/// <summary>An ontology file that cannot be loaded as it is; the message names the place and the reason.</summary>
public sealed class OntologyFormatException(string message) : Exception(message);
