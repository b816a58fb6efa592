namespace GenomeNode.Beacon.Privacy;

/// <summary>
/// A query privacy rules refuse: a shape not answered for this caller (403, or 401 without a passport: one may help),
/// or a spent query budget (429 with <see cref="RetryAfter"/>).
/// </summary>
public sealed class PrivacyRefusalException : Exception
{
    public PrivacyRefusalException(int status, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        Status = status;
        RetryAfter = retryAfter;
    }

    public int Status { get; }

    public TimeSpan? RetryAfter { get; }
}
