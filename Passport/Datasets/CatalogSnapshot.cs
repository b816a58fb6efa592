using DuckDB.NET.Data;
using GenomeNode.Storage;

namespace GenomeNode.Passport.Datasets;

/// <summary>
/// The catalog's datasets held in memory for the requests that consult them (every Beacon query, every endpoint that
/// names a dataset), read again after any change: every change of the catalog commits through
/// <see cref="DatasetCatalog"/>, which announces it to this module as to the others.
/// </summary>
public sealed class CatalogSnapshot : IDatasetData
{
    private readonly Lock gate = new();
    private IReadOnlyList<Dataset>? datasets;
    private Dictionary<string, Dataset>? byId;
    private long generation;

    /// <summary>Every dataset, ordered by id; <paramref name="open"/> is called only when the list is not held.</summary>
    public async Task<IReadOnlyList<Dataset>> ListAsync(Func<DatasetCatalog> open, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        long seen;
        lock (gate)
        {
            if (datasets is { } held)
            {
                return held;
            }

            seen = generation;
        }

        var read = await open().ListAsync(cancellationToken);
        lock (gate)
        {
            // Kept only if no change committed while it was read.
            if (seen == generation)
            {
                datasets = read;
                byId = read.ToDictionary(dataset => dataset.Id, StringComparer.Ordinal);
            }
        }

        return read;
    }

    /// <summary>The dataset with this id (exactly), or null.</summary>
    public async Task<Dataset?> FindAsync(Func<DatasetCatalog> open, string id, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (byId is { } held)
            {
                return held.GetValueOrDefault(id);
            }
        }

        var list = await ListAsync(open, cancellationToken);
        return list.FirstOrDefault(dataset => string.Equals(dataset.Id, id, StringComparison.Ordinal));
    }

    void IDatasetData.Apply(DatasetChange change, DuckDBConnection connection)
    {
    }

    void IDatasetData.Committed(DatasetChange change)
    {
        lock (gate)
        {
            generation++;
            datasets = null;
            byId = null;
        }
    }
}
