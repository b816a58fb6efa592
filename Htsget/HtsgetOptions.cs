using Microsoft.Extensions.Options;

namespace GenomeNode.Htsget;

/// <summary>The htsget API's settings (section <c>Htsget</c>); a wrong value stops the node (<see cref="HtsgetOptionsValidator"/>).</summary>
public sealed class HtsgetOptions
{
    public const string Section = "Htsget";

    /// <summary>
    /// File holding the node's key for signing data-URL tokens (created with owner-only permissions on first use).
    /// The host defaults it to <c>&lt;Node:DataDirectory&gt;/htsget-signing.key</c>.
    /// </summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>
    /// The node's Crypt4GH secret key (its public key beside it, <c>.pub</c>), made by <c>genome-node keys c4gh init</c>.
    /// The host defaults it to <c>&lt;Node:DataDirectory&gt;/crypt4gh/node.sec</c>.
    /// </summary>
    public string? Crypt4ghKeyFile { get; set; }

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

    /// <summary>
    /// Memory for the ticket snapshots of registered objects (each one's index as tickets read it); the least recently
    /// used are dropped beyond it and read from the database again when next asked for.
    /// </summary>
    public int IndexCacheMegabytes { get; set; } = 256;

    /// <summary>Memory for the re-compressed partial blocks at the edges of recently asked regions; 0 keeps none.</summary>
    public int EdgeCacheMegabytes { get; set; } = 64;
}

/// <summary>Checks <see cref="HtsgetOptions"/> at start; each failure names its key.</summary>
internal sealed class HtsgetOptionsValidator : IValidateOptions<HtsgetOptions>
{
    /// <summary>Longest <see cref="HtsgetOptions.DataUrlLifetime"/>: a data URL is a bearer credential for its bytes.</summary>
    public static readonly TimeSpan MaxDataUrlLifetime = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, HtsgetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var key = HtsgetOptions.Section;
        if (options.DataUrlLifetime <= TimeSpan.Zero || options.DataUrlLifetime > MaxDataUrlLifetime)
        {
            failures.Add($"{key}:DataUrlLifetime must be more than 0 and at most {MaxDataUrlLifetime:c} (got {options.DataUrlLifetime:c})");
        }

        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            && !(Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var url)
                && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
                && url.Query.Length == 0 && url.Fragment.Length == 0 && url.UserInfo.Length == 0))
        {
            failures.Add($"{key}:PublicBaseUrl must be an absolute http or https URL without query, fragment or user (got '{options.PublicBaseUrl}')");
        }

        if (options.MaxPostBodyBytes is < 1 or > 16 * 1024 * 1024)
        {
            failures.Add($"{key}:MaxPostBodyBytes must be from 1 to {16 * 1024 * 1024} (got {options.MaxPostBodyBytes})");
        }

        if (options.MaxRegions is < 1 or > 100_000)
        {
            failures.Add($"{key}:MaxRegions must be from 1 to 100000 (got {options.MaxRegions})");
        }

        if (options.IndexCacheMegabytes is < 1 or > 1024 * 1024)
        {
            failures.Add($"{key}:IndexCacheMegabytes must be from 1 to {1024 * 1024} (got {options.IndexCacheMegabytes})");
        }

        if (options.EdgeCacheMegabytes is < 0 or > 1024 * 1024)
        {
            failures.Add($"{key}:EdgeCacheMegabytes must be from 0 to {1024 * 1024} (got {options.EdgeCacheMegabytes})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
