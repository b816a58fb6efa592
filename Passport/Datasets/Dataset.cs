namespace GenomeNode.Passport.Datasets;

/// <summary>A dataset as the catalog stores it.</summary>
public sealed record Dataset(
    string Id,
    string Name,
    string? Description,
    AccessTier Tier,
    bool IsDemo,
    DateTimeOffset CreatedAt,
    string? VisaValue = null);

/// <summary>A dataset with its description for the FAIR Data Point and when that was last changed.</summary>
public sealed record DescribedDataset(Dataset Dataset, DatasetMetadata Metadata, DateTimeOffset DescribedAt);

/// <summary>What an operator gives to add a dataset.</summary>
/// <param name="VisaValue">the ControlledAccessGrants visa value that grants this dataset (controlled tier)</param>
public sealed record NewDataset(string Id, string Name, AccessTier Tier, string? Description = null, bool IsDemo = false, string? VisaValue = null);

/// <summary>A request the catalog refuses; the message is meant for the operator as it is.</summary>
public sealed class DatasetCatalogException : Exception
{
    public DatasetCatalogException(string message)
        : base(message)
    {
    }

    public DatasetCatalogException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
