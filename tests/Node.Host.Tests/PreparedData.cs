using GenomeNode.Host.Hosting;
using GenomeNode.Passport.Datasets;
using GenomeNode.Storage;

namespace GenomeNode.Node.Host.Tests;

/// <summary>A data directory prepared before a node starts on it.</summary>
internal static class PreparedData
{
    /// <summary>
    /// Adds datasets to the node database in <paramref name="dataDirectory"/>, as an operator's <c>dataset add</c>
    /// without a serving node does (per-dataset settings must name existing datasets when the node starts).
    /// </summary>
    public static async Task AddDatasetsAsync(string dataDirectory, params NewDataset[] datasets)
    {
        using var database = new NodeDatabase(dataDirectory);
        database.Open(NodeComposition.Migrations, "test");
        using var connection = database.OpenConnection();
        var catalog = new DatasetCatalog(connection);
        foreach (var dataset in datasets)
        {
            await catalog.AddAsync(dataset);
        }
    }
}
