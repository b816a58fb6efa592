namespace GenomeNode.Htsget.Formats;

/// <summary>
/// The index of one reference sequence: its bins by id, the linear index of 2^min_shift-bp windows (BAI and TBI
/// only; empty for CSI) and the metadata pseudo-bin when the writer added one.
/// </summary>
public sealed record ReferenceIndex(
    IReadOnlyDictionary<int, IndexBin> Bins,
    IReadOnlyList<VirtualOffset> LinearIndex,
    ReferenceMetadata? Metadata)
{
    /// <summary>The end of the last chunk of any bin, or null when the reference has no records.</summary>
    public VirtualOffset? LastChunkEnd
    {
        get
        {
            VirtualOffset? last = Metadata?.End;
            foreach (var chunk in Bins.Values.SelectMany(bin => bin.Chunks))
            {
                last = last is { } current ? VirtualOffset.Max(current, chunk.End) : chunk.End;
            }

            return last;
        }
    }
}
