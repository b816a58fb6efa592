namespace GenomeNode.Htsget.Formats;

/// <summary>
/// A file is not in the format it claims to be, or ends before it should. <see cref="Offset"/> is the byte
/// offset (in the compressed file, or in the decompressed stream where the message says so) where reading failed.
/// </summary>
public class HtsFormatException : FormatException
{
    public HtsFormatException()
    {
    }

    public HtsFormatException(string message)
        : base(message)
    {
    }

    public HtsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HtsFormatException(string message, long offset)
        : base($"{message} (at byte {offset})")
    {
        Offset = offset;
    }

    public HtsFormatException(string message, long offset, Exception innerException)
        : base($"{message} (at byte {offset})", innerException)
    {
        Offset = offset;
    }

    /// <summary>Where reading failed, when known.</summary>
    public long? Offset { get; }
}
