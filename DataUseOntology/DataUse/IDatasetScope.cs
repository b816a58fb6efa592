using Microsoft.AspNetCore.Http;

namespace GenomeNode.DataUseOntology.DataUse;

/// <summary>
/// Which datasets a caller of the data use endpoints may learn exist. This module knows conditions, not datasets or
/// callers: the module owning the catalog and the visibility rule provides it (a hidden dataset answers as unknown).
/// </summary>
public interface IDatasetScope
{
    Task<bool> IsVisibleAsync(HttpContext context, string datasetId, CancellationToken cancellationToken);
}
