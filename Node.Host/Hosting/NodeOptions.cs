using System.Globalization;
using Microsoft.Extensions.Options;

namespace GenomeNode.Host.Hosting;

/// <summary>The node as a whole: where its data lives and how it describes itself (section <c>Node</c>).</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>Folder of node.duckdb and the admin channel; set by <c>--data</c> or GENOMENODE_DATA.</summary>
    public string DataDirectory { get; set; } = Storage.DataDirectory.DefaultPath;

    /// <summary>Globally unique service id, in reverse domain notation (GA4GH service-info <c>id</c>).</summary>
    public string Id { get; set; } = "org.example.genome-node";

    public string Name { get; set; } = "Genome Node";

    public string? Description { get; set; }

    /// <summary>prod, test, dev or staging, as GA4GH service-info suggests.</summary>
    public string Environment { get; set; } = "dev";

    public OrganizationOptions Organization { get; set; } = new();

    public string? ContactUrl { get; set; }

    public string? DocumentationUrl { get; set; }

    /// <summary>
    /// The node's absolute public base URL (http or https, may have a path, e.g. <c>https://genome.example.fi/node</c>):
    /// every absolute URL the node hands out starts with it, and no request's Host header is used. Without it,
    /// requests are accepted only for <c>AllowedHosts</c> (by default the hosts of the listening URLs).
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary><c>plain</c> for people, <c>json</c> for log collectors.</summary>
    public string LogFormat { get; set; } = "plain";

    /// <summary>Serve the built-in synthetic demo dataset when the node has no datasets.</summary>
    public bool SeedDemo { get; set; } = true;

    /// <summary>
    /// Also seed the demo's access walk: a controlled copy of the demo dataset and the REMS API keys the README uses
    /// (appsettings.Demo.json sets it, with the demo committee, researcher and broker client). Never on a real node.
    /// </summary>
    public bool SeedDemoAccess { get; set; }

    /// <summary>
    /// DuckDB's worker threads while serving. One: each statement runs on its request's thread, concurrency comes from
    /// concurrent requests, and no DuckDB worker is woken to share a point read (docs/performance.md).
    /// </summary>
    public int DuckDbThreads { get; set; } = 1;

    /// <summary>The most <see cref="DuckDbThreads"/> may be.</summary>
    public const int MaxDuckDbThreads = 1024;

    /// <summary>
    /// The most memory DuckDB may hold while serving, in MiB; none: DuckDB's own default, 80 % of the machine's memory.
    /// What it holds beyond its working memory is cache, among it every audit row written since the node started
    /// (about 30 bytes each), evicted only at this limit (docs/performance.md).
    /// </summary>
    public int? DuckDbMemoryLimitMiB { get; set; }

    /// <summary>The least <see cref="DuckDbMemoryLimitMiB"/> may be: a smaller figure is likelier a unit mistaken than meant.</summary>
    public const int MinDuckDbMemoryLimitMiB = 128;
}

public sealed class OrganizationOptions
{
    public string Name { get; set; } = "Unconfigured Genome Node operator";

    public string Url { get; set; } = "https://example.org";
}

/// <summary>Checks <see cref="NodeOptions"/>; every message names the configuration key at fault.</summary>
public sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    public static IReadOnlyList<string> LogFormats { get; } = ["plain", "json"];

    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Require(failures, "DataDirectory", options.DataDirectory);
        Require(failures, "Id", options.Id);
        Require(failures, "Name", options.Name);
        Require(failures, "Environment", options.Environment);
        Require(failures, "Organization:Name", options.Organization.Name);
        if (!IsWebUrl(options.Organization.Url))
        {
            failures.Add(Fault("Organization:Url", options.Organization.Url, "must be an absolute http or https URL"));
        }

        if (options.ContactUrl is { Length: > 0 } contact && !IsContactUrl(contact))
        {
            failures.Add(Fault("ContactUrl", contact, "must be an absolute http(s) URL or a mailto: address"));
        }

        if (options.DocumentationUrl is { Length: > 0 } documentation && !IsWebUrl(documentation))
        {
            failures.Add(Fault("DocumentationUrl", documentation, "must be an absolute http or https URL"));
        }

        if (options.PublicUrl is { Length: > 0 } publicUrl && PublicUrlFault(publicUrl) is { } publicUrlFault)
        {
            failures.Add(Fault("PublicUrl", publicUrl, publicUrlFault));
        }

        if (options.DuckDbThreads is < 1 or > NodeOptions.MaxDuckDbThreads)
        {
            failures.Add(Fault("DuckDbThreads", options.DuckDbThreads.ToString(CultureInfo.InvariantCulture), $"must be from 1 to {NodeOptions.MaxDuckDbThreads}"));
        }

        if (options.DuckDbMemoryLimitMiB is < NodeOptions.MinDuckDbMemoryLimitMiB)
        {
            failures.Add(Fault("DuckDbMemoryLimitMiB", options.DuckDbMemoryLimitMiB.Value.ToString(CultureInfo.InvariantCulture),
                $"must be at least {NodeOptions.MinDuckDbMemoryLimitMiB} (MiB), or left out for DuckDB's default"));
        }

        if (!LogFormats.Contains(options.LogFormat, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add(Fault("LogFormat", options.LogFormat, $"must be one of: {string.Join(", ", LogFormats)}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(List<string> failures, string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{NodeOptions.Section}:{key} must not be empty");
        }
    }

    private static string Fault(string key, string? value, string rule) =>
        $"{NodeOptions.Section}:{key} {rule} (got '{value}')";

    private static string? PublicUrlFault(string value)
    {
        if (!IsWebUrl(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return "must be an absolute http or https URL";
        }

        // Only what prefixes a path: a query, fragment or credentials would end up inside every URL handed out.
        return uri.Query.Length > 0 || uri.Fragment.Length > 0 || value.Contains('?', StringComparison.Ordinal) || value.Contains('#', StringComparison.Ordinal)
            ? "must have no query or fragment"
            : uri.UserInfo.Length > 0
                ? "must not hold a user name or password"
                : null;
    }

    private static bool IsWebUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static bool IsContactUrl(string value) =>
        IsWebUrl(value) || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeMailto);
}
