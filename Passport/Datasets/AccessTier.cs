namespace GenomeNode.Passport.Datasets;

/// <summary>Who may see a dataset: anyone, registered researchers, or holders of a grant for it.</summary>
public enum AccessTier
{
    Public,
    Registered,
    Controlled,
}

public static class AccessTiers
{
    /// <summary>The names used on the command line, in configuration and in the database.</summary>
    public static IReadOnlyList<string> Names { get; } = ["public", "registered", "controlled"];

    public static string ToName(this AccessTier tier) => tier switch
    {
        AccessTier.Public => "public",
        AccessTier.Registered => "registered",
        AccessTier.Controlled => "controlled",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown access tier."),
    };

    public static bool TryParse(string? name, out AccessTier tier)
    {
        switch (name?.Trim().ToUpperInvariant())
        {
            case "PUBLIC": tier = AccessTier.Public; return true;
            case "REGISTERED": tier = AccessTier.Registered; return true;
            case "CONTROLLED": tier = AccessTier.Controlled; return true;
            default: tier = default; return false;
        }
    }
}
