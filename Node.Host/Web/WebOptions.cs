using GenomeNode.Broker;
using Microsoft.Extensions.Options;

namespace GenomeNode.Host.Web;

/// <summary>The node's web pages: the researcher page at <c>/</c> and the committee console at <c>/dac</c> (<c>Web:*</c>).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Serve the pages; false answers <c>/</c> with a redirect to the API reference, as before the pages existed.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The broker client the pages sign in with: a <c>public</c> client of <c>Broker:Clients</c> with the grant
    /// <c>authorization_code</c> and the redirect URIs <c>{node}/</c> and <c>{node}/dac</c>. None: the pages offer no sign-in.
    /// </summary>
    public string? ClientId { get; set; }
}

/// <summary>Stops the node when <c>Web:ClientId</c> names no public code-flow client that may return to the pages.</summary>
internal sealed class WebOptionsValidator(IOptions<BrokerOptions> broker) : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        if (string.IsNullOrEmpty(options.ClientId))
        {
            return ValidateOptionsResult.Success;
        }

        var client = broker.Value.Clients.FirstOrDefault(c => string.Equals(c.ClientId, options.ClientId, StringComparison.Ordinal));
        if (client is null)
        {
            return ValidateOptionsResult.Fail($"Web:ClientId '{options.ClientId}' is not a client in Broker:Clients");
        }

        var failures = new List<string>();
        if (!string.Equals(client.Type, "public", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"Web:ClientId '{options.ClientId}' must be a public client (Type public): a page cannot keep a secret");
        }

        if (!client.GrantTypes.Contains("authorization_code", StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Web:ClientId '{options.ClientId}' needs the grant type authorization_code");
        }

        if (!client.RedirectUris.Any(uri => uri.EndsWith('/')) || !client.RedirectUris.Any(uri => uri.EndsWith("/dac", StringComparison.Ordinal)))
        {
            failures.Add($"Web:ClientId '{options.ClientId}' needs the redirect URIs of both pages: the node's base URL with / and with /dac");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
