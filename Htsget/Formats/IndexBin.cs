namespace GenomeNode.Htsget.Formats;

/// <summary>
/// One bin of a binning index and the chunks holding its records. <see cref="FirstRecordOffset"/> is CSI's loffset,
/// the offset of the first record overlapping the bin; BAI and TBI have none (it is zero there).
/// </summary>
public sealed record IndexBin(int Id, VirtualOffset FirstRecordOffset, IReadOnlyList<Chunk> Chunks);
