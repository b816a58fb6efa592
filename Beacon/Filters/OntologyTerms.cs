using GenomeNode.DataUseOntology.Ontologies;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Filters;

/// <summary>
/// <see cref="IOntologyTerms"/> over the ontologies loaded into the node (DataUseOntology's <see cref="OntologyStore"/>:
/// its is_a closure and labels), read once per term and held in memory until an ontology load commits
/// (<see cref="IOntologyChangeListener"/>): a filter's descendants are then one lookup per term and node, not per query.
/// </summary>
/// <remarks>
/// Terms are read on demand, not whole ontologies (HPO's closure alone is some 200,000 pairs). What is held is bounded
/// (<see cref="MaxHeld"/> terms, dropped together when full): callers choose the terms, unknown ones included.
/// </remarks>
public sealed class OntologyTerms(IServiceScopeFactory scopes) : IOntologyTerms, IOntologyChangeListener
{
    /// <summary>The most terms held at once (descendants and labels each).</summary>
    public const int MaxHeld = 50_000;

    private readonly Lock gate = new();
    private Dictionary<string, IReadOnlySet<string>?> descendants = new(StringComparer.Ordinal);
    private Dictionary<string, string?> labels = new(StringComparer.Ordinal);
    private IReadOnlyList<LoadedOntology>? loaded;
    private long generation;

    public IReadOnlySet<string>? SelfAndDescendants(string curie)
    {
        ArgumentNullException.ThrowIfNull(curie);
        return Held(() => descendants, curie, store =>
        {
            var found = store.Descendants(curie);
            return found.Count == 0 ? null : (IReadOnlySet<string>)found.ToHashSet(StringComparer.Ordinal);
        });
    }

    public string? Label(string curie)
    {
        ArgumentNullException.ThrowIfNull(curie);
        return Held(() => labels, curie, store => store.FindTerm(curie)?.Label);
    }

    /// <summary>The loaded ontologies (prefix, title, version, source), as <c>ontology list</c> shows them.</summary>
    public IReadOnlyList<LoadedOntology> Loaded()
    {
        long seen;
        lock (gate)
        {
            if (loaded is not null)
            {
                return loaded;
            }

            seen = generation;
        }

        var read = WithStore(store => store.List());
        lock (gate)
        {
            if (seen == generation)
            {
                loaded = read;
            }
        }

        return read;
    }

    /// <summary>Drops everything held: the next question reads the loaded ontologies again.</summary>
    public void OntologyLoaded(string prefix)
    {
        lock (gate)
        {
            generation++;
            descendants = new(StringComparer.Ordinal);
            labels = new(StringComparer.Ordinal);
            loaded = null;
        }
    }

    private T Held<T>(Func<Dictionary<string, T>> map, string curie, Func<OntologyStore, T> read)
    {
        long seen;
        lock (gate)
        {
            if (map().TryGetValue(curie, out var held))
            {
                return held;
            }

            seen = generation;
        }

        var value = WithStore(read);
        lock (gate)
        {
            // Kept only if no load committed while it was read.
            if (seen == generation)
            {
                var current = map();
                if (current.Count >= MaxHeld)
                {
                    current.Clear();
                }

                current[curie] = value;
            }
        }

        return value;
    }

    private T WithStore<T>(Func<OntologyStore, T> read)
    {
        using var scope = scopes.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<OntologyStore>());
    }
}
