using DuckDB.NET.Data;
using GenomeNode.Htsget.Tickets;
using GenomeNode.Storage;

namespace GenomeNode.Htsget.Registration;

/// <summary>
/// htsget's part of the dataset lifecycle: a dataset's registered objects with their parsed indexes, its download policy, and what the
/// node's <see cref="HtsgetObjectCache"/> holds of them.
/// </summary>
internal sealed class HtsgetDatasetData(HtsgetObjectCache cache) : IDatasetData
{
    public void Apply(DatasetChange change, DuckDBConnection connection)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Kind == DatasetChangeKind.Removed)
        {
            new HtsgetObjectStore(connection).DeleteDatasetRows(change.DatasetId);
            new DatasetStreaming(connection).Delete(change.DatasetId);
        }
    }

    // A registration, a removal or any other change of the dataset: its objects are read again when next asked for.
    public void Committed(DatasetChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        cache.DatasetChanged(change.DatasetId);
    }
}
