namespace GenomeNode.Htsget.Tickets;

/// <summary>The htsget 1.3 error types, each with the HTTP status the specification gives it.</summary>
public enum HtsgetErrorType
{
    InvalidAuthentication,
    PermissionDenied,
    NotFound,
    PayloadTooLarge,
    UnsupportedFormat,
    InvalidInput,
    InvalidRange,

    /// <summary>Not in htsget 1.3's list: the object's file cannot be served right now, or the audit cannot record the request (503).</summary>
    Unavailable,
}

public static class HtsgetErrorTypes
{
    public static int StatusCode(this HtsgetErrorType type) => type switch
    {
        HtsgetErrorType.InvalidAuthentication => 401,
        HtsgetErrorType.PermissionDenied => 403,
        HtsgetErrorType.NotFound => 404,
        HtsgetErrorType.PayloadTooLarge => 413,
        HtsgetErrorType.Unavailable => 503,
        _ => 400,
    };
}

/// <summary>A request htsget answers with an error: the type (and so the status) and a message for the caller.</summary>
public sealed class HtsgetException : Exception
{
    public HtsgetException()
    {
    }

    public HtsgetException(string message)
        : base(message)
    {
    }

    public HtsgetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HtsgetException(HtsgetErrorType type, string message)
        : base(message) => Type = type;

    public HtsgetErrorType Type { get; } = HtsgetErrorType.InvalidInput;

    /// <summary>The <c>WWW-Authenticate</c> challenge of an InvalidAuthentication error (a plain Bearer one when null).</summary>
    public string? Challenge { get; init; }
}
