using GenomeNode.DataUseOntology.DataUse;
using GenomeNode.Passport.Datasets;
using Microsoft.AspNetCore.Http;

namespace GenomeNode.Passport.Access;

/// <summary>The data use endpoints' view of datasets: those <see cref="DatasetVisibility"/> lets the caller see.</summary>
internal sealed class DataUseDatasetScope(DatasetVisibility visibility, Lazy<DatasetCatalog> catalog) : IDatasetScope
{
    public async Task<bool> IsVisibleAsync(HttpContext context, string datasetId, CancellationToken cancellationToken) =>
        await visibility.FindVisibleAsync(RequestAccess.For(context), () => catalog.Value, datasetId, cancellationToken) is not null;
}
