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
    private readonly HeldUntilChange<Catalog> held = new();

    /// <summary>Every dataset, ordered by id; <paramref name="open"/> is called only when the list is not held.</summary>
    public async Task<IReadOnlyList<Dataset>> ListAsync(Func<DatasetCatalog> open, CancellationToken cancellationToken = default) =>
        (await ReadAsync(open, cancellationToken)).Datasets;

    /// <summary>The dataset with this id (exactly), or null.</summary>
    public async Task<Dataset?> FindAsync(Func<DatasetCatalog> open, string id, CancellationToken cancellationToken = default) =>
        (await ReadAsync(open, cancellationToken)).ById.GetValueOrDefault(id);

    private Task<Catalog> ReadAsync(Func<DatasetCatalog> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        return held.GetAsync(async () =>
        {
            var datasets = await open().ListAsync(cancellationToken);
            return new Catalog(datasets, datasets.ToDictionary(dataset => dataset.Id, StringComparer.Ordinal));
        });
    }

    void IDatasetData.Apply(DatasetChange change, DuckDBConnection connection)
    {
    }

    void IDatasetData.Committed(DatasetChange change) => held.Invalidate();

    private sealed record Catalog(IReadOnlyList<Dataset> Datasets, Dictionary<string, Dataset> ById);
}
