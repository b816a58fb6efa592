namespace GenomeNode.Htsget.Formats.Crypt4gh;

/// <summary>A half-open range [Start, End) of plaintext bytes.</summary>
public readonly record struct PlaintextRange(long Start, long End)
{
    public long Length => End - Start;
}

/// <summary>
/// Consecutive stored segments [FirstSegment, FirstSegment + SegmentCount), found at <see cref="EncryptedOffset"/>
/// (from the start of the data section, i.e. after the header) for <see cref="EncryptedLength"/> bytes.
/// </summary>
public readonly record struct Crypt4ghSegmentRun(long FirstSegment, long SegmentCount, long EncryptedOffset, long EncryptedLength);

/// <summary>
/// A slice of a Crypt4GH file sent without re-encryption: the whole segments that cover the plaintext ranges, copied
/// as stored, and the edit list (skip, keep, skip, keep, ...) that cuts exactly those ranges out of their plaintext.
/// </summary>
public sealed record Crypt4ghSlice(IReadOnlyList<Crypt4ghSegmentRun> Segments, IReadOnlyList<long> EditList)
{
    /// <summary>
    /// Plans the slice for <paramref name="ranges"/> of a plaintext of <paramref name="plaintextLength"/> bytes. The
    /// ranges must be non-empty, in order and not overlapping (touching ones are merged); the result decrypts to
    /// their concatenation.
    /// </summary>
    public static Crypt4ghSlice Plan(IReadOnlyList<PlaintextRange> ranges, long plaintextLength)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.Count == 0)
        {
            throw new ArgumentException("A slice needs at least one range", nameof(ranges));
        }

        var merged = new List<PlaintextRange>();
        foreach (var range in ranges)
        {
            if (range.Start < 0 || range.End <= range.Start || range.End > plaintextLength)
            {
                throw new ArgumentOutOfRangeException(nameof(ranges), $"Range [{range.Start}, {range.End}) is empty or outside the plaintext of {plaintextLength} bytes");
            }

            if (merged.Count > 0 && range.Start < merged[^1].End)
            {
                throw new ArgumentException($"Range [{range.Start}, {range.End}) overlaps or precedes the one before it", nameof(ranges));
            }

            if (merged.Count > 0 && range.Start == merged[^1].End)
            {
                merged[^1] = merged[^1] with { End = range.End };
            }
            else
            {
                merged.Add(range);
            }
        }

        const long segmentLength = Crypt4ghSegments.PlaintextSegmentLength;
        var runs = new List<Crypt4ghSegmentRun>();
        var editList = new List<long>();
        long sentPlaintext = 0; // plaintext bytes of the segments chosen so far
        long cursor = 0;        // how far into that plaintext the edit list has accounted
        long nextUnsentSegment = 0;
        foreach (var range in merged)
        {
            var startSegment = range.Start / segmentLength;
            var lastSegment = (range.End - 1) / segmentLength;

            // A range may begin in the segment the previous range ended in: that segment is sent once.
            var startInSent = startSegment < nextUnsentSegment
                ? sentPlaintext - PlaintextOf(startSegment, startSegment, plaintextLength) + (range.Start % segmentLength)
                : sentPlaintext + (range.Start % segmentLength);
            var first = Math.Max(startSegment, nextUnsentSegment);
            if (first <= lastSegment)
            {
                AddRun(runs, first, lastSegment, plaintextLength);
                sentPlaintext += PlaintextOf(first, lastSegment, plaintextLength);
                nextUnsentSegment = lastSegment + 1;
            }

            editList.Add(startInSent - cursor);
            editList.Add(range.Length);
            cursor = startInSent + range.Length;
        }

        return new Crypt4ghSlice(runs, editList);
    }

    /// <summary>The total number of stored bytes the slice copies.</summary>
    public long EncryptedLength => Segments.Sum(run => run.EncryptedLength);

    private static void AddRun(List<Crypt4ghSegmentRun> runs, long first, long last, long plaintextLength)
    {
        var offset = first * Crypt4ghSegments.EncryptedSegmentLength;
        var length = Crypt4ghSegments.EncryptedLength(PlaintextOf(first, last, plaintextLength));
        if (runs.Count > 0 && runs[^1].FirstSegment + runs[^1].SegmentCount == first)
        {
            var previous = runs[^1];
            runs[^1] = previous with { SegmentCount = previous.SegmentCount + (last - first + 1), EncryptedLength = previous.EncryptedLength + length };
        }
        else
        {
            runs.Add(new Crypt4ghSegmentRun(first, last - first + 1, offset, length));
        }
    }

    private static long PlaintextOf(long first, long last, long plaintextLength) =>
        Math.Min((last + 1) * Crypt4ghSegments.PlaintextSegmentLength, plaintextLength) - (first * Crypt4ghSegments.PlaintextSegmentLength);
}
