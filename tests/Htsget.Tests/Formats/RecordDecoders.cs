using System.Buffers.Binary;
using System.Text;
using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Tests.Formats;

/// <summary>A BAM record's identity as `samtools view` prints it: QNAME, FLAG, 1-based POS.</summary>
internal sealed record ReadKey(string Name, int Flag, int Position)
{
    /// <summary>From a SAM line of `samtools view`.</summary>
    public static ReadKey FromSamLine(string line)
    {
        var fields = line.Split('\t');
        return new ReadKey(fields[0], int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>Decodes just enough of BAM, VCF and BCF records to tell which records a list of chunks covers.</summary>
internal static class RecordDecoders
{
    /// <summary>Every BAM record from each chunk's start up to its end.</summary>
    public static List<ReadKey> BamRecords(string bamPath, IEnumerable<Chunk> chunks) =>
        ReadChunks(bamPath, chunks, bgzf => TryReadBamRecord(bgzf, out var record) ? record : null);

    /// <summary>Every record from <paramref name="start"/> to the end of the file.</summary>
    public static List<ReadKey> BamRecordsFrom(string bamPath, VirtualOffset start)
    {
        using var file = File.OpenRead(bamPath);
        using var bgzf = new BgzfReadStream(file);
        bgzf.Seek(start);
        var records = new List<ReadKey>();
        while (TryReadBamRecord(bgzf, out var record))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>Every text line (without its newline) from each chunk's start up to its end.</summary>
    public static List<string> VcfLines(string vcfPath, IEnumerable<Chunk> chunks) =>
        ReadChunks(vcfPath, chunks, ReadLine);

    /// <summary>CHROM (by the header's contig names) and POS of every BCF record in the chunks.</summary>
    public static List<string> BcfSites(string bcfPath, IReadOnlyList<string> contigs, IEnumerable<Chunk> chunks) =>
        ReadChunks(bcfPath, chunks, bgzf => ReadBcfSite(bgzf, contigs));

    /// <summary>The next line without its newline, or null at the end of the file.</summary>
    public static string? ReadLine(BgzfReadStream bgzf)
    {
        var bytes = new List<byte>();
        int next;
        while ((next = bgzf.ReadByte()) >= 0 && next != '\n')
        {
            bytes.Add((byte)next);
        }

        return next < 0 && bytes.Count == 0 ? null : Encoding.UTF8.GetString([.. bytes]);
    }

    public static ReadKey ReadBamRecord(BgzfReadStream bgzf) =>
        TryReadBamRecord(bgzf, out var record) ? record : throw new InvalidDataException("No BAM record here");

    /// <summary>"CHROM:POS" of the next BCF record, or null at the end of the file.</summary>
    public static string? ReadBcfSite(BgzfReadStream bgzf, IReadOnlyList<string> contigs)
    {
        Span<byte> lengths = stackalloc byte[8];
        if (bgzf.ReadAtLeast(lengths, 8, throwOnEndOfStream: false) == 0)
        {
            return null;
        }

        var shared = new byte[BinaryPrimitives.ReadUInt32LittleEndian(lengths)];
        var individual = new byte[BinaryPrimitives.ReadUInt32LittleEndian(lengths[4..])];
        bgzf.ReadExactly(shared);
        bgzf.ReadExactly(individual);
        var chrom = BinaryPrimitives.ReadInt32LittleEndian(shared);
        var position = BinaryPrimitives.ReadInt32LittleEndian(shared.AsSpan(4)) + 1;
        return $"{contigs[chrom]}:{position}";
    }

    // Reads each chunk up to its end; a chunk may end at the end of the file, past a final empty EOF block.
    private static List<T> ReadChunks<T>(string path, IEnumerable<Chunk> chunks, Func<BgzfReadStream, T?> read)
        where T : class
    {
        using var file = File.OpenRead(path);
        using var bgzf = new BgzfReadStream(file);
        var records = new List<T>();
        foreach (var chunk in chunks)
        {
            bgzf.Seek(chunk.Start);
            while (bgzf.VirtualPosition < chunk.End && read(bgzf) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    private static bool TryReadBamRecord(BgzfReadStream bgzf, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReadKey? record)
    {
        record = null;
        Span<byte> size = stackalloc byte[4];
        if (bgzf.ReadAtLeast(size, 4, throwOnEndOfStream: false) == 0)
        {
            return false;
        }

        var body = new byte[BinaryPrimitives.ReadInt32LittleEndian(size)];
        bgzf.ReadExactly(body);
        var position = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(4)) + 1;
        var nameLength = body[8];
        var flag = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(14));
        var name = Encoding.ASCII.GetString(body, 32, nameLength - 1);
        record = new ReadKey(name, flag, position);
        return true;
    }
}
