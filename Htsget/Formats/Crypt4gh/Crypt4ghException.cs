namespace GenomeNode.Htsget.Formats.Crypt4gh;

/// <summary>
/// A Crypt4GH stream or key file is malformed, uses a method this node does not implement, is not addressed to the
/// given key, or fails authentication (a tampered segment or header packet).
/// </summary>
public sealed class Crypt4ghException : HtsFormatException
{
    public Crypt4ghException()
    {
    }

    public Crypt4ghException(string message)
        : base(message)
    {
    }

    public Crypt4ghException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public Crypt4ghException(string message, long offset)
        : base(message, offset)
    {
    }
}
