using DuckDB.NET.Data;

namespace GenomeNode.Storage;

/// <summary>What happened to a dataset of the catalog.</summary>
public enum DatasetChangeKind
{
    /// <summary>The dataset was added to the catalog.</summary>
    Added,

    /// <summary>A module's data of the dataset changed (an ingest, a registration, its data use conditions).</summary>
    DataChanged,

    /// <summary>The dataset and everything of it were removed.</summary>
    Removed,
}

public sealed record DatasetChange(string DatasetId, DatasetChangeKind Kind);

/// <summary>
/// The dataset lifecycle contract: what one module holds per dataset. The catalog (the Passport module's, which owns
/// datasets) makes every change in one transaction, tells each module inside it (<see cref="Apply"/>), commits, and
/// then tells each module again (<see cref="Committed"/>), so no module orchestrates another and no cache outlives the
/// data it holds.
/// </summary>
public interface IDatasetData
{
    /// <summary>
    /// Inside the change's transaction, on <paramref name="connection"/>: a module removes its rows of a removed
    /// dataset. Throwing refuses the whole change; nothing of it is written.
    /// </summary>
    void Apply(DatasetChange change, DuckDBConnection connection);

    /// <summary>After the change committed: drop whatever the module holds in memory of the dataset.</summary>
    void Committed(DatasetChange change);
}
