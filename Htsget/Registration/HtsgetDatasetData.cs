using DuckDB.NET.Data;
using GenomeNode.Storage;

namespace GenomeNode.Htsget.Registration;

/// <summary>htsget's part of the dataset lifecycle: a dataset's registered objects with their parsed indexes.</summary>
internal sealed class HtsgetDatasetData : IDatasetData
{
    public void Apply(DatasetChange change, DuckDBConnection connection)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Kind == DatasetChangeKind.Removed)
        {
            new HtsgetObjectStore(connection).DeleteDatasetRows(change.DatasetId);
        }
    }

    public void Committed(DatasetChange change)
    {
        // Objects are read from the database on every request; nothing is cached yet.
    }
}
