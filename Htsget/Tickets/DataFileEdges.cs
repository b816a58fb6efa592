using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Planning;

namespace GenomeNode.Htsget.Tickets;

/// <summary>
/// <see cref="IDataFileEdges"/> over a data file, opened on first use: blocks are read and inflated as a plan asks for
/// them (the last few kept, since chunks often end and start in one block) and cuts re-compressed with
/// <see cref="BgzfBlockWriter"/>. One plan at a time. The file is read through <c>open</c>: the file itself, or the
/// plaintext view of a file stored encrypted with Crypt4GH (offsets are plaintext offsets either way).
/// </summary>
public sealed class DataFileEdges(Func<Stream> open) : IDataFileEdges, IDisposable
{
    private readonly Dictionary<long, (byte[] Data, int BlockLength)> blocks = [];
    private Stream? file;
    private byte[]? raw;

    /// <summary>Edges of a plain file at <paramref name="path"/>.</summary>
    public DataFileEdges(string path)
        : this(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess))
    {
    }

    public ReadOnlyMemory<byte> Read(long offset, int length)
    {
        var bytes = new byte[length];
        File.Position = offset;
        if (File.ReadAtLeast(bytes, length, throwOnEndOfStream: false) < length)
        {
            throw new EndOfStreamException($"The data file ends before byte {offset + length}.");
        }

        return bytes;
    }

    public int BlockLength(long blockOffset)
    {
        raw ??= new byte[Bgzf.MaxBlockLength];
        var length = BgzfBlockInflater.ReadRawBlock(File, blockOffset, raw);
        return length > 0 ? length : throw new HtsFormatException("No BGZF block where the registration tables put one", blockOffset);
    }

    public ReadOnlyMemory<byte> CutHeader(long blockOffset, int length)
    {
        var (data, _) = Inflate(blockOffset);
        return BgzfBlockWriter.Compress(data.AsSpan(0, Math.Min(length, data.Length)));
    }

    public BgzfCut CutRecords(long blockOffset, int dataStart, int dataEnd)
    {
        var (data, blockLength) = Inflate(blockOffset);
        dataEnd = Math.Min(dataEnd, data.Length);
        return new BgzfCut(blockLength, dataEnd > dataStart ? BgzfBlockWriter.CompressSlice(data.AsSpan(dataStart, dataEnd - dataStart), blockLength) : []);
    }

    public void Dispose() => file?.Dispose();

    /// <summary>Whether anything was read from the file (edges not all from memory).</summary>
    public bool OpenedFile => file is not null;

    private Stream File => file ??= open();

    private (byte[] Data, int BlockLength) Inflate(long offset)
    {
        if (blocks.TryGetValue(offset, out var block))
        {
            return block;
        }

        raw ??= new byte[Bgzf.MaxBlockLength];
        var length = BgzfBlockInflater.ReadRawBlock(File, offset, raw);
        if (length == 0)
        {
            throw new HtsFormatException("No BGZF block where the registration tables put one", offset);
        }

        var data = new byte[Bgzf.MaxBlockLength];
        var size = BgzfBlockInflater.Inflate(raw, length, offset, data);
        if (blocks.Count >= 8)
        {
            blocks.Clear();
        }

        block = (data[..size], length);
        blocks[offset] = block;
        return block;
    }
}
