using DuckDB.NET.Data;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Storage;

namespace GenomeNode.Beacon.Store;

/// <summary>Beacon's part of the dataset lifecycle: a dataset's variant files, variants and individuals.</summary>
internal sealed class BeaconDatasetData(VariantIndex index, EntryIndex entries) : IDatasetData
{
    public void Apply(DatasetChange change, DuckDBConnection connection)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(connection);
        if (change.Kind == DatasetChangeKind.Added)
        {
            // The row every ingest into the dataset claims first (docs/architecture.md, "Concurrent writers").
            DatasetIndividuals.CreateCounter(connection, change.DatasetId);
        }
        else if (change.Kind == DatasetChangeKind.Removed)
        {
            new VcfIngester(connection).DeleteDataset(change.DatasetId);
        }
    }

    // The in-memory index holds every dataset's alleles and the catalog beside them: any change outdates it.
    public void Committed(DatasetChange change)
    {
        index.Invalidate();
        entries.Invalidate();
    }
}
