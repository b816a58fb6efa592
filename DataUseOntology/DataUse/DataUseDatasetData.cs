using DuckDB.NET.Data;
using GenomeNode.Storage;

namespace GenomeNode.DataUseOntology.DataUse;

/// <summary>The data use module's part of the dataset lifecycle: a dataset's DUO conditions.</summary>
internal sealed class DataUseDatasetData(DataUseViews views) : IDatasetData
{
    public void Apply(DatasetChange change, DuckDBConnection connection)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Kind == DatasetChangeKind.Removed)
        {
            new DatasetDataUse(connection, new Ontologies.OntologyStore(connection)).Remove(change.DatasetId);
        }
    }

    public void Committed(DatasetChange change) => views.Invalidate();
}
