namespace GenomeNode.Htsget.Formats;

/// <summary>
/// The header of a VCF (bgzipped) or BCF file: its text, the contig names in dictionary order, and the virtual
/// offset of the first record, so the header occupies every byte before it. <see cref="BcfVersion"/> is BCF's
/// major.minor (2.2), or null for VCF text.
/// </summary>
public sealed record VcfHeader(string Text, IReadOnlyList<string> ContigNames, VirtualOffset FirstRecordOffset)
{
    public Version? BcfVersion { get; init; }
}
