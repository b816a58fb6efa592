namespace GenomeNode.Htsget.Planning;

/// <summary>
/// The BGZF block at an offset of a data file: its compressed length, and a cut of its data re-compressed as BGZF for
/// a ticket (empty when the cut holds no bytes).
/// </summary>
public readonly record struct BgzfCut(int BlockLength, ReadOnlyMemory<byte> Bgzf);

/// <summary>
/// The few bytes of an object's data file a ticket plan takes from the file itself rather than from the snapshot:
/// records cut out of the BGZF blocks at a chunk's edges (blocks are not record-aligned), the header's tail in its
/// last block, and CRAM's file definition and EOF container. Implemented over the file; a plan makes no other I/O.
/// </summary>
public interface IDataFileEdges
{
    /// <summary>Bytes [offset, offset + length) of the file; fails when the file holds fewer.</summary>
    ReadOnlyMemory<byte> Read(long offset, int length);

    /// <summary>The compressed length of the BGZF block at <paramref name="blockOffset"/>.</summary>
    int BlockLength(long blockOffset);

    /// <summary>The first <paramref name="length"/> bytes of the data of the block at <paramref name="blockOffset"/> (header records), as BGZF.</summary>
    ReadOnlyMemory<byte> CutHeader(long blockOffset, int length);

    /// <summary>
    /// The data [dataStart, dataEnd) of the block at <paramref name="blockOffset"/> (dataEnd clamped to the block's data), as BGZF
    /// no larger than the block where zlib allows it, with the block's compressed length.
    /// </summary>
    BgzfCut CutRecords(long blockOffset, int dataStart, int dataEnd);
}
