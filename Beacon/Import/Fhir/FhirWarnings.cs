namespace GenomeNode.Beacon.Import.Fhir;

/// <summary>
/// Warnings of a FHIR import, one line per kind with how many resources it concerned and where the first was: a large
/// export repeats the same deviation thousands of times.
/// </summary>
internal sealed class FhirWarnings
{
    private readonly Dictionary<string, (int Count, string First)> counts = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    public void Add(string message, string origin)
    {
        if (counts.TryGetValue(message, out var seen))
        {
            counts[message] = (seen.Count + 1, seen.First);
            return;
        }

        counts[message] = (1, origin);
        order.Add(message);
    }

    public IEnumerable<string> Lines() => order.Select(message => counts[message] is var (count, first) && count == 1
        ? $"{first}: {message}"
        : $"{message} ({count} times, the first at {first})");
}
