using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Registration;

/// <summary>
/// Reads the @SQ lines of a CRAM file's SAM header: the first block of the header container holds the header text
/// (int32 length, then the text), stored raw or gzip-compressed (CRAMv3 §7.1).
/// </summary>
internal static class CramHeaderReferences
{
    private const int MaxHeaderContainer = 1 << 28;

    public static IReadOnlyList<(string Name, long? Length)> Read(Stream stream, CramLayout layout)
    {
        var container = layout.HeaderContainer ?? throw new HtsFormatException("CRAM file has no header container");
        if (container.Header.Length > MaxHeaderContainer)
        {
            throw new HtsFormatException("CRAM header container is too large", container.Offset);
        }

        var bytes = new byte[container.Header.Length];
        stream.Position = container.Offset + container.HeaderLength;
        stream.ReadExactly(bytes);
        var span = bytes.AsSpan();
        if (span.Length < 2)
        {
            throw new HtsFormatException("CRAM header container has no block", container.Offset);
        }

        var method = span[0];
        var position = 2;
        Itf8.Read(span[position..], out var length);
        position += length;
        var compressedSize = Itf8.Read(span[position..], out length);
        position += length;
        var rawSize = Itf8.Read(span[position..], out length);
        position += length;
        if (compressedSize < 0 || rawSize < 0 || position + compressedSize > span.Length)
        {
            throw new HtsFormatException("CRAM header block runs past its container", container.Offset);
        }

        var data = method switch
        {
            0 => bytes.AsSpan(position, compressedSize).ToArray(),
            1 => Gunzip(bytes, position, compressedSize, rawSize),
            _ => throw new HtsFormatException(
                $"CRAM header block uses compression method {method}; only raw and gzip are supported", container.Offset),
        };
        if (data.Length < 4)
        {
            throw new HtsFormatException("CRAM header block is too short", container.Offset);
        }

        var textLength = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (textLength < 0 || textLength > data.Length - 4)
        {
            throw new HtsFormatException("CRAM header text runs past its block", container.Offset);
        }

        var text = Encoding.UTF8.GetString(data, 4, textLength).TrimEnd('\0');
        return ParseSequences(text);
    }

    private static byte[] Gunzip(byte[] bytes, int offset, int count, int rawSize)
    {
        using var input = new MemoryStream(bytes, offset, count);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(rawSize);
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private static List<(string Name, long? Length)> ParseSequences(string text)
    {
        var references = new List<(string, long?)>();
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("@SQ\t", StringComparison.Ordinal))
            {
                continue;
            }

            string? name = null;
            long? length = null;
            foreach (var field in line.TrimEnd('\r').Split('\t').Skip(1))
            {
                if (field.StartsWith("SN:", StringComparison.Ordinal))
                {
                    name = field[3..];
                }
                else if (field.StartsWith("LN:", StringComparison.Ordinal)
                    && long.TryParse(field.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    length = parsed;
                }
            }

            references.Add((name ?? throw new HtsFormatException("CRAM header has an @SQ line without SN"), length));
        }

        return references;
    }
}
