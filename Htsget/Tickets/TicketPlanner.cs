using GenomeNode.Htsget.Planning;
using GenomeNode.Htsget.Registration;

namespace GenomeNode.Htsget.Tickets;

/// <summary>
/// Plans a ticket straight from the registration tables, without a cache: reads the object's snapshot
/// (<see cref="HtsgetObjectStore.LoadSnapshot"/>) and plans on it (<see cref="TicketPlanning.Plan"/>) with the data
/// file's edges read from the file. For tools and tests; the node plans through <see cref="HtsgetObjectCache"/>.
/// </summary>
public sealed class TicketPlanner(HtsgetObjectStore store)
{
    /// <summary>Largest file part of a ticket; longer runs are split (the spec suggests data blocks of at most ~1 GB).</summary>
    public const long MaxFilePartLength = TicketPlanning.MaxFilePartLength;

    /// <summary>Inline parts are joined while they stay under this size.</summary>
    public const int MaxInlinePartLength = TicketPlanning.MaxInlinePartLength;

    /// <summary>
    /// The plan for <paramref name="query"/> on <paramref name="registered"/> as registered now; throws
    /// <see cref="HtsgetException"/> (NotFound, UnsupportedFormat) for a request the object cannot answer.
    /// </summary>
    public TicketPlan Plan(RegisteredObject registered, HtsgetQuery query)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var (current, snapshot) = store.LoadSnapshot(registered.ObjectId, registered.Format)
            ?? throw new HtsgetException(HtsgetErrorType.NotFound, $"No object has the id '{registered.ObjectId}'.");
        using var file = new DataFileEdges(current.Path);
        return TicketPlanning.Plan(snapshot, query, file);
    }
}
