namespace GenomeNode.Htsget.Formats;

/// <summary>
/// The header of a BAM file: the SAM header text, the binary reference list (whose order gives the ids that
/// records and the index use), and the virtual offset where the first alignment starts, so the header occupies
/// every byte before it.
/// </summary>
public sealed record BamHeader(string Text, IReadOnlyList<ReferenceSequence> References, VirtualOffset FirstRecordOffset)
{
    /// <summary>Reference id of a sequence name, or -1 when the header has no such reference.</summary>
    public int FindReference(string name)
    {
        for (var i = 0; i < References.Count; i++)
        {
            if (string.Equals(References[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
