using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GenomeNode.Committee.Rems;
using GenomeNode.DataUseOntology.DataUse;
using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Committee.Tests;

/// <summary>
/// The real node host on a real Kestrel (127.0.0.1) and a fresh data directory, with two committees configured as an
/// operator would (settings), two datasets, a service API key (user-owner), a reporter key and a committee tool's key;
/// visas are signed by the node's own key ring.
/// </summary>
public sealed class CommitteeNode : WebApplicationFactory<GenomeNode.Host.Program>
{
    public const string Brca = "brca";
    public const string Other = "other-ds";
    public const string BrcaCommittee = "https://dac.example.org/brca";

    public TemporaryDirectory Data { get; } = new("genome-node-committee");

    public string ServiceKey { get; private set; } = "";

    public string ReporterKey { get; private set; } = "";

    /// <summary>A committee tool's key (role dac), acting on /dac for the member it names.</summary>
    public string DacKey { get; private set; } = "";

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Further settings for this node (set before it starts).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>The committees as configuration keys: the way to seed them (appsettings, environment, or here).</summary>
    public static Dictionary<string, string?> CommitteeSettings()
    {
        var settings = new CommitteeDefinition { Id = BrcaCommittee, Name = "Breast cancer DAC", Members = ["member-1", "member-2"], Datasets = [Brca] }
            .ToSettings(0);
        foreach (var (key, value) in new CommitteeDefinition { Id = "other-dac", Members = ["other-member"], Datasets = [Other] }.ToSettings(1))
        {
            settings[key] = value;
        }

        settings["Committee:MaxAttachmentBytes"] = "4096";
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Node:DataDirectory", Data.Path);
        builder.UseSetting("Node:PublicUrl", "https://node.example.org");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in CommitteeSettings().Concat(Settings))
        {
            builder.UseSetting(key, value);
        }
    }

    public static async Task<CommitteeNode> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var node = new CommitteeNode();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            node.Settings[key] = value;
        }

        node.UseKestrel(0);
        node.StartServer();
        node.Http = node.CreateClient();
        using var scope = node.Services.CreateScope();
        var catalog = scope.ServiceProvider.GetRequiredService<DatasetCatalog>();
        await catalog.AddAsync(new NewDataset(Brca, "Breast cancer cohort", AccessTier.Controlled, VisaValue: "urn:node:brca"));
        await catalog.AddAsync(new NewDataset(Other, "Other cohort", AccessTier.Controlled));
        var dataUse = scope.ServiceProvider.GetRequiredService<DatasetDataUse>();
        dataUse.Replace(Brca, dataUse.Interpret(["DUO:0000007", "DUO:0000046"], ["MONDO:0007254"]));
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeys>();
        node.ServiceKey = keys.Add("GDI access management service", [ApiKeys.UserOwner]).Key;
        node.ReporterKey = keys.Add("broker", [ApiKeys.Reporter]).Key;
        node.DacKey = keys.Add("committee tool", [ApiKeys.Dac]).Key;
        return node;
    }

    /// <summary>A REMS call as the access management service makes it: its API key and the acting user.</summary>
    public async Task<(int Status, string Body, HttpResponseMessage Response)> RemsAsync(
        HttpMethod method, string path, string? user, JsonNode? body = null, string? key = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if ((key ?? ServiceKey) is { Length: > 0 } apiKey)
        {
            request.Headers.Add("x-rems-api-key", apiKey);
        }

        if (user is not null)
        {
            request.Headers.Add("x-rems-user-id", user);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        else if (content is not null)
        {
            request.Content = content;
        }

        var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async Task<(int Status, JsonNode? Json)> JsonAsync(HttpMethod method, string path, string? user, JsonNode? body = null, string? key = null)
    {
        var (status, text, response) = await RemsAsync(method, path, user, body, key);
        response.Dispose();
        return (status, text.Length > 0 && (text[0] is '{' or '[') ? JsonNode.Parse(text) : null);
    }

    public async Task<long> CatalogueItemAsync(string dataset)
    {
        var (_, items) = await JsonAsync(HttpMethod.Get, $"/rems/api/catalogue-items?resource={dataset}", "researcher");
        return items![0]!["id"]!.GetValue<long>();
    }

    /// <summary>A filled, accepted and submitted application of <paramref name="user"/> for <paramref name="dataset"/>.</summary>
    public async Task<long> SubmittedAsync(string user, string dataset = Brca, string purpose = "DUO:0000007 MONDO:0007254")
    {
        var id = await DraftAsync(user, dataset, purpose);
        var (_, submitted) = await JsonAsync(HttpMethod.Post, "/rems/api/applications/submit", user, new JsonObject { ["application-id"] = id });
        Assert.True(submitted!["success"]!.GetValue<bool>(), submitted.ToJsonString());
        return id;
    }

    public async Task<long> DraftAsync(string user, string dataset = Brca, string purpose = "DUO:0000007 MONDO:0007254")
    {
        var item = await CatalogueItemAsync(dataset);
        var (_, created) = await JsonAsync(HttpMethod.Post, "/rems/api/applications/create", user,
            new JsonObject { ["catalogue-item-ids"] = new JsonArray(item) });
        var id = created!["application-id"]!.GetValue<long>();
        var (_, saved) = await JsonAsync(HttpMethod.Post, "/rems/api/applications/save-draft", user, new JsonObject
        {
            ["application-id"] = id,
            ["field-values"] = new JsonArray(
                new JsonObject { ["form"] = 1, ["field"] = "title", ["value"] = "BRCA1 variants" },
                new JsonObject { ["form"] = 1, ["field"] = "description", ["value"] = "Penetrance of BRCA1 variants" },
                new JsonObject { ["form"] = 1, ["field"] = "purpose", ["value"] = purpose }),
        });
        Assert.True(saved!["success"]!.GetValue<bool>(), saved.ToJsonString());
        var (_, accepted) = await JsonAsync(HttpMethod.Post, "/rems/api/applications/accept-licenses", user,
            new JsonObject { ["application-id"] = id, ["accepted-licenses"] = new JsonArray(1) });
        Assert.True(accepted!["success"]!.GetValue<bool>(), accepted.ToJsonString());
        return id;
    }

    public async Task<(int Status, JsonNode? Json)> DacAsync(HttpMethod method, string path, string member, JsonNode? body = null) =>
        await JsonAsync(method, path, member, body ?? (method == HttpMethod.Post ? new JsonObject() : null), key: DacKey);

    public static string FutureEnd => DateTimeOffset.UtcNow.AddDays(90).ToString("O");

    public override async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        await base.DisposeAsync();
        Data.Dispose();
    }
}

internal static class Headers
{
    public static MediaTypeHeaderValue Pdf { get; } = new("application/pdf");
}
