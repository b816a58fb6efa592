using System.CommandLine;
using System.Text.Json;

namespace GenomeNode.Host.Cli;

/// <summary>
/// <c>genome-node health</c>: asks a serving node's <c>/health</c> and exits 0 when it answers healthy (or degraded), 1
/// otherwise: a container's HEALTHCHECK or a monitoring script needs no curl.
/// </summary>
internal static class HealthCommand
{
    public const string DefaultUrl = "http://127.0.0.1:8080/health";

    public static Command Create()
    {
        var url = new Option<string>("--url")
        {
            Description = $"The node's health endpoint (default: {DefaultUrl})",
            HelpName = "URL",
            DefaultValueFactory = _ => DefaultUrl,
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait for the answer (default: 5)",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 5,
        };
        var command = new Command("health", "Ask a serving node's /health: exit 0 when healthy or degraded, 1 otherwise (for HEALTHCHECK and monitoring).")
        {
            url, timeout,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!Uri.TryCreate(parseResult.GetRequiredValue(url), UriKind.Absolute, out var target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
            {
                await error.WriteLineAsync("error: --url must be an absolute http or https URL");
                return NodeCommandLine.UsageError;
            }

            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(timeout))) };
            try
            {
                using var response = await client.GetAsync(target, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var status = Status(body) ?? $"HTTP {(int)response.StatusCode}";
                await output.WriteLineAsync(status);
                return response.IsSuccessStatusCode && status is "Healthy" or "Degraded" ? 0 : 1;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await error.WriteLineAsync($"error: no answer from {target}: {NodeCommandLine.OneLine(ex.Message)}");
                return 1;
            }
        });
        return command;
    }

    private static string? Status(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("status", out var status)
                ? status.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
