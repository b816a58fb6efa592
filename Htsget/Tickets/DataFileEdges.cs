using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Planning;

namespace GenomeNode.Htsget.Tickets;

/// <summary>
/// <see cref="IDataFileEdges"/> over a data file, opened on first use: blocks are read and inflated as a plan asks for
/// them (the last few kept, since chunks often end and start in one block) and cuts re-compressed with
/// <see cref="BgzfBlockWriter"/>. One plan at a time.
/// </summary>
public sealed class DataFileEdges(string path) : IDataFileEdges, IDisposable
{
    private readonly Dictionary<long, (byte[] Data, int BlockLength)> blocks = [];
    private FileStream? file;
    private byte[]? raw;

    public ReadOnlyMemory<byte> Read(long offset, int length)
    {
        var bytes = new byte[length];
        var read = 0;
        while (read < length)
        {
            var count = RandomAccess.Read(File.SafeFileHandle, bytes.AsSpan(read), offset + read);
            if (count == 0)
            {
                throw new EndOfStreamException($"{path} ends before byte {offset + length}.");
            }

            read += count;
        }

        return bytes;
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

    private FileStream File => file ??= new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);

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
