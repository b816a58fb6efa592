using System.Text;

namespace GenomeNode.Htsget.Formats;

/// <summary>The 26 bytes that open a CRAM file (CRAMv3 §6): magic "CRAM", major and minor version, a 20-byte file id.</summary>
public sealed record CramFileDefinition(byte MajorVersion, byte MinorVersion, ReadOnlyMemory<byte> FileId)
{
    public const int Length = 26;

    /// <summary>The file id as text, without its NUL padding.</summary>
    public string FileIdText => Encoding.ASCII.GetString(FileId.Span.TrimEnd((byte)0));

    /// <summary>Reads the definition at the start of the stream; only CRAM 2.x and 3.x are accepted.</summary>
    public static CramFileDefinition Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> bytes = stackalloc byte[Length];
        if (stream.ReadAtLeast(bytes, Length, throwOnEndOfStream: false) < Length)
        {
            throw new HtsFormatException("Not a CRAM file: shorter than the 26-byte file definition", 0);
        }

        if (!bytes[..4].SequenceEqual("CRAM"u8))
        {
            throw new HtsFormatException("Not a CRAM file: wrong magic", 0);
        }

        // CRAM 1 lacks EOF containers and record counters as read here; CRAM 4 widens several fields.
        if (bytes[4] is not (2 or 3))
        {
            throw new HtsFormatException($"Unsupported CRAM version {bytes[4]}.{bytes[5]}", 4);
        }

        return new CramFileDefinition(bytes[4], bytes[5], bytes[6..].ToArray());
    }
}
