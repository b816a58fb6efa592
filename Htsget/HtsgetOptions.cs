namespace GenomeNode.Htsget;

/// <summary>The htsget API's settings (section <c>Htsget</c>).</summary>
public sealed class HtsgetOptions
{
    public const string Section = "Htsget";

    /// <summary>
    /// File holding the node's key for signing data-URL tokens (created with owner-only permissions on first use).
    /// The host defaults it to <c>&lt;Node:DataDirectory&gt;/htsget-signing.key</c>.
    /// </summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>How long the data URLs of a ticket stay valid.</summary>
    public TimeSpan DataUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Absolute base URL (scheme, host, optional path) that data URLs in tickets start with. The host defaults it to
    /// its public URL (<c>Node:PublicUrl</c>); without either, the node's <c>PublicBaseUrl</c> rule applies (the
    /// request's scheme, host and path base, for allowed hosts only).
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Largest POST body accepted, in bytes; a larger one answers 413 PayloadTooLarge.</summary>
    public int MaxPostBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Most regions one POST may list; more answer 413 PayloadTooLarge.</summary>
    public int MaxRegions { get; set; } = 1000;
}
