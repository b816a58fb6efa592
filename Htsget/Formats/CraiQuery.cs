namespace GenomeNode.Htsget.Formats;

/// <summary>
/// Which CRAM containers can hold records overlapping a region. A slice cannot be decoded without its container's
/// header and compression header, so the unit served is the whole container.
/// </summary>
public static class CraiQuery
{
    /// <summary>
    /// Offsets, ascending and distinct, of the containers with a slice overlapping [start, end) (0-based, half-open)
    /// of <paramref name="referenceId"/>; -1 selects the unmapped slices.
    /// </summary>
    public static IReadOnlyList<long> ContainerOffsets(IEnumerable<CraiEntry> entries, int referenceId, long start, long end)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return entries
            .Where(entry => entry.Overlaps(referenceId, start, end))
            .Select(entry => entry.ContainerOffset)
            .Distinct()
            .Order()
            .ToList();
    }
}
