namespace GenomeNode.Htsget.Formats;

/// <summary>
/// One row of a CRAM index: a slice on a reference (-1 for unmapped) from a 1-based alignment start over a span,
/// the byte offset of its container, the slice's offset from the end of the container header (a landmark), and
/// the slice's size in bytes.
/// </summary>
public sealed record CraiEntry(
    int ReferenceSequenceId,
    long AlignmentStart,
    long AlignmentSpan,
    long ContainerOffset,
    long SliceOffset,
    long SliceSize)
{
    /// <summary>
    /// True when the slice can hold records overlapping [start, end) (0-based, half-open) of the reference.
    /// Unmapped slices (-1) carry no coordinates and match any region of reference -1.
    /// </summary>
    public bool Overlaps(int referenceId, long start, long end)
    {
        if (ReferenceSequenceId != referenceId)
        {
            return false;
        }

        if (referenceId < 0)
        {
            return true;
        }

        var sliceStart = AlignmentStart - 1;
        return sliceStart < end && sliceStart + AlignmentSpan > start;
    }
}
