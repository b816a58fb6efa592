namespace GenomeNode.Beacon.Requests;

/// <summary>How much a response may reveal: existence, counts, or records.</summary>
public enum Granularity
{
    Boolean = 0,
    Count = 1,
    Record = 2,
}

public static class Granularities
{
    public static string ToName(this Granularity granularity) => granularity switch
    {
        Granularity.Boolean => "boolean",
        Granularity.Count => "count",
        _ => "record",
    };

    /// <summary>Reads boolean, count or record, ignoring letter case and surrounding white space.</summary>
    public static bool TryParse(string? text, out Granularity granularity)
    {
        var name = text.AsSpan().Trim();
        if (name.Equals("boolean", StringComparison.OrdinalIgnoreCase))
        {
            granularity = Granularity.Boolean;
            return true;
        }

        if (name.Equals("count", StringComparison.OrdinalIgnoreCase))
        {
            granularity = Granularity.Count;
            return true;
        }

        if (name.Equals("record", StringComparison.OrdinalIgnoreCase))
        {
            granularity = Granularity.Record;
            return true;
        }

        granularity = default;
        return false;
    }
}
