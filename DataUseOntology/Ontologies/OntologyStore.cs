using System.Data.Common;
using System.Diagnostics;
using DuckDB.NET.Data;
using GenomeNode.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GenomeNode.DataUseOntology.Ontologies;

/// <summary>A loaded ontology as <c>ontology list</c> shows it.</summary>
public sealed record LoadedOntology(
    string Prefix, string? Title, string? Version, string Source, string Format, int TermCount, DateTimeOffset LoadedAt);

/// <summary>A stored term with the ontology it was loaded from.</summary>
public sealed record StoredTerm(
    string Ontology, string Id, string? Label, string? Definition, string? Shorthand, bool IsObsolete, string? ReplacedBy);

/// <summary>Ontology graphs in DuckDB (schema <c>ontology</c>), with the is_a closure for descendant queries.</summary>
/// <param name="views">dropped when an ontology load commits (term labels and the DUO version are part of them)</param>
/// <param name="listeners">told when an ontology load commits (what other modules hold of the ontologies)</param>
public sealed partial class OntologyStore(
    DuckDBConnection connection, ILogger<OntologyStore>? logger = null, DataUse.DataUseViews? views = null,
    IEnumerable<IOntologyChangeListener>? listeners = null)
{
    private readonly ILogger logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>
    /// Stores <paramref name="graph"/>, replacing any ontology loaded before under the same prefix, in one
    /// transaction: a failure leaves the previous graph as it was.
    /// </summary>
    public LoadedOntology Replace(OntologyGraph graph, string source)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var clock = Stopwatch.StartNew();
        var closure = graph.TransitiveClosure()
            .OrderBy(row => row.Ancestor, StringComparer.Ordinal)
            .ThenBy(row => row.Descendant, StringComparer.Ordinal)
            .ToList();

        using var transaction = connection.BeginTransaction();
        foreach (var table in new[] { "ontologies", "terms", "synonyms", "edges", "closure", "descendant_lists" })
        {
            var column = table == "ontologies" ? "prefix" : "ontology";
            connection.Execute($"DELETE FROM ontology.{table} WHERE {column} = $1", graph.Prefix);
        }

        using (var terms = connection.CreateAppender("ontology", "terms"))
        {
            foreach (var term in graph.Terms)
            {
                terms.CreateRow()
                    .AppendValue(graph.Prefix).AppendValue(term.Id).AppendValue(term.Label).AppendValue(term.Definition)
                    .AppendValue(term.Shorthand).AppendValue(term.IsObsolete)
                    .AppendValue(term.ReplacedBy.Count == 0 ? null : string.Join(' ', term.ReplacedBy))
                    .EndRow();
            }
        }

        using (var synonyms = connection.CreateAppender("ontology", "synonyms"))
        {
            foreach (var term in graph.Terms)
            {
                foreach (var synonym in term.Synonyms)
                {
                    synonyms.CreateRow().AppendValue(graph.Prefix).AppendValue(term.Id).AppendValue(synonym.Text).AppendValue(synonym.Scope).EndRow();
                }
            }
        }

        using (var edges = connection.CreateAppender("ontology", "edges"))
        {
            foreach (var edge in graph.Edges)
            {
                edges.CreateRow().AppendValue(graph.Prefix).AppendValue(edge.Child).AppendValue(edge.Relation).AppendValue(edge.Parent).EndRow();
            }
        }

        using (var rows = connection.CreateAppender("ontology", "closure"))
        {
            foreach (var (descendant, ancestor, distance) in closure)
            {
                rows.CreateRow().AppendValue(graph.Prefix).AppendValue(ancestor).AppendValue(descendant).AppendValue(distance).EndRow();
            }
        }

        connection.Execute("""
            INSERT INTO ontology.descendant_lists
            SELECT ontology, ancestor, list(descendant ORDER BY descendant) FROM ontology.closure
            WHERE ontology = $1 GROUP BY ontology, ancestor ORDER BY ancestor
            """, graph.Prefix);

        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO ontology.ontologies (prefix, title, version, source, format, term_count) VALUES ($1, $2, $3, $4, $5, $6)";
            foreach (var value in new object?[] { graph.Prefix, graph.Title, graph.Version, source, graph.Format, graph.Terms.Count })
            {
                insert.Parameters.Add(new DuckDBParameter(value ?? DBNull.Value));
            }

            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        views?.Invalidate();
        foreach (var listener in listeners ?? [])
        {
            listener.OntologyLoaded(graph.Prefix);
        }

        var loaded = Find(graph.Prefix)!;
        Log.Loaded(logger, loaded.Prefix, source, loaded.TermCount, graph.Edges.Count, closure.Count, clock.ElapsedMilliseconds);
        return loaded;
    }

    public IReadOnlyList<LoadedOntology> List() =>
        connection.Read("SELECT prefix, title, version, source, format, term_count, loaded_at FROM ontology.ontologies ORDER BY prefix", ReadOntology);

    public LoadedOntology? Find(string prefix) =>
        connection.Read("SELECT prefix, title, version, source, format, term_count, loaded_at FROM ontology.ontologies WHERE prefix = $1",
            ReadOntology, prefix).FirstOrDefault();

    /// <summary>The term with this id; where several ontologies hold it, the one whose prefix it carries wins.</summary>
    public StoredTerm? FindTerm(string id) =>
        connection.Read("""
            SELECT ontology, id, label, definition, shorthand, is_obsolete, replaced_by FROM ontology.terms
            WHERE id = $1 ORDER BY (ontology = split_part($1, ':', 1)) DESC, ontology LIMIT 1
            """, ReadTerm, id).FirstOrDefault();

    public IReadOnlyList<StoredTerm> Terms(string ontology) =>
        connection.Read("SELECT ontology, id, label, definition, shorthand, is_obsolete, replaced_by FROM ontology.terms WHERE ontology = $1 ORDER BY id",
            ReadTerm, ontology);

    /// <summary>The term and everything below it by is_a, over all loaded ontologies.</summary>
    public IReadOnlyList<string> Descendants(string id)
    {
        var lists = connection.Read("SELECT descendants FROM ontology.descendant_lists WHERE ancestor = $1",
            reader => reader.GetFieldValue<List<string>>(0), id);
        return lists.Count == 1 ? lists[0] : [.. lists.SelectMany(list => list).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The term and everything above it by is_a, over all loaded ontologies.</summary>
    public IReadOnlyList<string> Ancestors(string id) =>
        connection.Read("SELECT DISTINCT ancestor FROM ontology.closure WHERE descendant = $1 ORDER BY ancestor", reader => reader.GetString(0), id);

    public bool IsSameOrDescendant(string term, string ancestor) =>
        string.Equals(term, ancestor, StringComparison.Ordinal)
        || connection.Read("SELECT 1 FROM ontology.closure WHERE ancestor = $1 AND descendant = $2 LIMIT 1", _ => true, ancestor, term).Count > 0;

    /// <summary>Named parents by is_a, for showing a term.</summary>
    public IReadOnlyList<string> Parents(string id) =>
        connection.Read("SELECT DISTINCT parent FROM ontology.edges WHERE child = $1 AND relation = 'is_a' ORDER BY parent", reader => reader.GetString(0), id);

    private static LoadedOntology ReadOntology(DbDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetInt32(5),
        reader.GetValue(6) switch
        {
            DateTimeOffset offset => offset,
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            var other => throw new InvalidDataException($"unexpected loaded_at value {other}"),
        });

    private static StoredTerm ReadTerm(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetBoolean(5),
        reader.IsDBNull(6) ? null : reader.GetString(6));

    private static partial class Log
    {
        [LoggerMessage(EventId = 7400, Level = LogLevel.Information,
            Message = "Loaded ontology {Prefix} from {Source}: {Terms} terms, {Edges} edges, {ClosureRows} closure rows in {ElapsedMs} ms")]
        public static partial void Loaded(ILogger logger, string prefix, string source, int terms, int edges, int closureRows, long elapsedMs);
    }
}
