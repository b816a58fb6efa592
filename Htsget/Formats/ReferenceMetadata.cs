namespace GenomeNode.Htsget.Formats;

/// <summary>
/// The metadata pseudo-bin of one reference (bin 37450 in BAI and TBI, bin_limit + 1 in CSI): where its records
/// start and end in the file, and how many mapped and placed-unmapped records it has.
/// </summary>
public sealed record ReferenceMetadata(VirtualOffset Start, VirtualOffset End, ulong MappedCount, ulong UnmappedCount);
