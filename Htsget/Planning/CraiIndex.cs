using System.Collections.Frozen;

namespace GenomeNode.Htsget.Planning;

/// <summary>
/// A CRAI row with the container it lies in: a slice on index reference <paramref name="ReferenceIndex"/> (-1:
/// unmapped) from the 1-based <paramref name="AlignmentStart"/> over <paramref name="AlignmentSpan"/>, in the container
/// that occupies [<paramref name="ContainerOffset"/>, <paramref name="ContainerEnd"/>) of the file.
/// </summary>
public readonly record struct CraiSlice(int ReferenceIndex, long AlignmentStart, long AlignmentSpan, long ContainerOffset, long ContainerEnd);

/// <summary>
/// A CRAM index as the registration tables hold it: answers which containers hold slices of a region, exactly as the
/// registration tables' range query does, without a database.
/// </summary>
public sealed class CraiIndex
{
    /// <summary>The reads endpoint's name for the unmapped slices.</summary>
    private const string Unmapped = "*";

    private readonly FrozenDictionary<string, int[]> referenceIndexes;
    private readonly FrozenDictionary<int, CraiSlice[]> slices;

    /// <param name="indexReferenceNames">the names the CRAI's reference ids stand for, by id</param>
    /// <param name="slices">the CRAI rows whose container is registered</param>
    public CraiIndex(IReadOnlyList<string> indexReferenceNames, IEnumerable<CraiSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(indexReferenceNames);
        ArgumentNullException.ThrowIfNull(slices);
        referenceIndexes = indexReferenceNames.Select((name, index) => (name, index))
            .GroupBy(reference => reference.name, StringComparer.Ordinal)
            .ToFrozenDictionary(group => group.Key, group => group.Select(reference => reference.index).ToArray(), StringComparer.Ordinal);
        this.slices = slices.GroupBy(slice => slice.ReferenceIndex).ToFrozenDictionary(group => group.Key, group => group.ToArray());
    }

    /// <summary>Approximate bytes the index takes in memory.</summary>
    public long EstimatedBytes => 64 + (40L * slices.Values.Sum(group => (long)group.Length)) + (48L * referenceIndexes.Count);

    /// <summary>
    /// Byte ranges (offset, length) of the whole containers with a slice overlapping [start, end) of the reference
    /// (0-based, half-open); "*" selects every unmapped slice. Sorted, overlapping or adjacent ranges merged; empty
    /// for a reference the index does not name.
    /// </summary>
    public IReadOnlyList<(long Offset, long Length)> ContainerRanges(string referenceName, long start, long end)
    {
        ArgumentNullException.ThrowIfNull(referenceName);
        var ranges = new List<(long Start, long End)>();
        if (referenceName == Unmapped && slices.TryGetValue(-1, out var unmapped))
        {
            ranges.AddRange(unmapped.Select(slice => (slice.ContainerOffset, slice.ContainerEnd)));
        }

        if (referenceIndexes.TryGetValue(referenceName, out var indexes))
        {
            foreach (var index in indexes)
            {
                if (slices.TryGetValue(index, out var mapped))
                {
                    ranges.AddRange(mapped
                        .Where(slice => slice.AlignmentStart - 1 < end && slice.AlignmentStart - 1 + slice.AlignmentSpan > start)
                        .Select(slice => (slice.ContainerOffset, slice.ContainerEnd)));
                }
            }
        }

        return ByteRanges.Merge(ranges);
    }
}

/// <summary>Byte ranges of a file, sorted and merged.</summary>
public static class ByteRanges
{
    /// <summary>The ranges [Start, End) sorted by start, those overlapping or touching merged, as (offset, length).</summary>
    public static List<(long Offset, long Length)> Merge(IEnumerable<(long Start, long End)> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var merged = new List<(long Start, long End)>();
        foreach (var (rangeStart, rangeEnd) in ranges.OrderBy(range => range.Start))
        {
            if (merged.Count > 0 && rangeStart <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, rangeEnd));
            }
            else
            {
                merged.Add((rangeStart, rangeEnd));
            }
        }

        return merged.Select(range => (range.Start, range.End - range.Start)).ToList();
    }
}
