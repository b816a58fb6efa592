using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// A node on a real Kestrel that trusts a test broker and a test data access committee (visa issuer) whose keys are
/// made here and whose JWKS WireMock serves. Datasets of every tier hold the same small VCF; a controlled dataset holds
/// a BAM that samtools streams through htsget with the passport given by <c>HTS_AUTH_LOCATION</c>.
/// </summary>
public sealed class PassportNodeFixture : IAsyncLifetime, IDisposable
{
    public const string Subject = "researcher-7@lifescience-ri.eu";
    public const string ControlledGrant = "urn:fi:genome-node:test:controlled";
    public const string HiddenGrant = "urn:fi:genome-node:test:hidden";
    public const string ReadsGrant = "urn:fi:genome-node:test:reads";

    // chr1:100 A>G is carried by all three samples (het, hom, het): 3 individuals, AC 4.
    public const string Vcf = """
        ##fileformat=VCFv4.2
        ##contig=<ID=1,length=1000>
        ##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
        #CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	s1	s2	s3
        1	100	.	A	G	50	PASS	.	GT	0/1	1/1	0/1
        1	200	.	C	T	50	PASS	.	GT	0/0	0/1	0/0

        """;

    private readonly TemporaryDirectory directory = new("passport-e2e");

    public NodeFactory Factory { get; } = new();

    public WireMockServer Trust { get; private set; } = null!;

    public TestTokenIssuer Broker { get; private set; } = null!;

    public TestTokenIssuer Committee { get; private set; } = null!;

    /// <summary>A visa issuer the node does not trust (same kind of keys, served by the same WireMock).</summary>
    public TestTokenIssuer Stranger { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string Bam { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Trust = WireMockServer.Start();
        var root = Trust.Url!;
        Broker = new TestTokenIssuer($"{root}/broker", $"{root}/broker/jwks");
        Committee = new TestTokenIssuer($"{root}/dac", $"{root}/dac/jwks", elliptic: true);
        Stranger = new TestTokenIssuer($"{root}/stranger", $"{root}/stranger/jwks");
        foreach (var issuer in new[] { Broker, Committee, Stranger })
        {
            Trust.Given(Request.Create().WithPath(new Uri(issuer.JwksUrl).AbsolutePath).UsingGet())
                .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(issuer.Jwks()));
        }

        Factory.Settings["Passport:AllowLoopbackHttp"] = "true";
        // These tests are about what each grant reveals of this three-person VCF, whose alleles the default privacy
        // rules would hide from callers without the grant (seen in fewer than 5 individuals): PrivacyTests cover those.
        Factory.Settings["Privacy:Registered:MinimumCount"] = "0";
        Factory.Settings["Privacy:Controlled:MinimumCount"] = "0";
        Factory.Settings["Passport:TrustedBrokers:0:Issuer"] = Broker.Issuer;
        Factory.Settings["Passport:TrustedBrokers:0:JwksUri"] = Broker.JwksUrl;
        Factory.Settings["Passport:TrustedVisaIssuers:0:Issuer"] = Committee.Issuer;
        Factory.Settings["Passport:TrustedVisaIssuers:0:Jku"] = Committee.JwksUrl;
        Factory.Settings["Passport:TrustedVisaIssuers:0:SubjectsOfBroker"] = Broker.Issuer; // the committee's visas name the broker's subjects
        // A per-dataset setting names an existing dataset when the node starts.
        await PreparedData.AddDatasetsAsync(Factory.Data.Path, new NewDataset("hidden", "Hidden controlled variants", AccessTier.Controlled, VisaValue: HiddenGrant));
        Factory.Settings["Beacon:Datasets:hidden:MaxGranularity"] = "none";
        Factory.UseKestrel(0);
        Factory.StartServer();
        Client = Factory.CreateClient();

        Bam = directory.Combine("controlled.bam");
        ExternalTools.Run("samtools", "view", "--no-PG", "-b", "-o", Bam, Path.Combine(HtsgetNodeFixture.Htslib, "index.sam"));
        ExternalTools.Run("samtools", "index", Bam);
        var vcf = directory.Combine("small.vcf");
        await File.WriteAllTextAsync(vcf, Vcf.Replace("\r\n", "\n", StringComparison.Ordinal));

        await using var scope = Factory.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<DatasetCatalog>();
        await catalog.AddAsync(new NewDataset("controlled", "Controlled variants", AccessTier.Controlled, VisaValue: ControlledGrant));
        await catalog.AddAsync(new NewDataset("registered", "Registered variants", AccessTier.Registered));
        // Streamed to samtools, which reads plaintext: its operator allows plaintext downloads (a controlled dataset is c4gh-only unless said otherwise).
        var streaming = scope.ServiceProvider.GetRequiredService<GenomeNode.Htsget.Registration.DatasetStreaming>();
        await catalog.AddAsync(new NewDataset("reads", "Controlled reads", AccessTier.Controlled, VisaValue: ReadsGrant),
            () => streaming.SetInTransaction("reads", GenomeNode.Htsget.Access.StreamingPolicy.Any));
        foreach (var dataset in new[] { "controlled", "registered", "hidden" })
        {
            scope.ServiceProvider.GetRequiredService<VcfIngester>().Ingest(new VcfIngestRequest(dataset, vcf, "GRCh38"));
        }

        scope.ServiceProvider.GetRequiredService<HtsgetObjectRegistrar>()
            .Register(new RegistrationRequest("controlled-bam", "reads", HtsgetKind.Reads, Bam, null));
    }

    /// <summary>A passport of <see cref="Subject"/> from the broker holding the given visas.</summary>
    public string PassportWith(params string[] visas) => Broker.Passport(Subject, visas);

    /// <summary>A ControlledAccessGrants visa from the trusted committee.</summary>
    public string Grant(string value, string subject = Subject) =>
        Committee.Visa(subject, "ControlledAccessGrants", value, source: "https://genome.example.fi/dac", by: "dac");

    /// <summary>The two Registered Access visas for the GA4GH bona fide policy.</summary>
    public string[] RegisteredAccess() =>
    [
        Committee.Visa(Subject, "AcceptedTermsAndPolicies", "https://doi.org/10.1038/s41431-018-0219-y", by: "self"),
        Committee.Visa(Subject, "ResearcherStatus", "https://doi.org/10.1038/s41431-018-0219-y", by: "so"),
    ];

    public async Task<List<(string? Subject, string Dataset, string Resource, bool Allowed, string Access, string Reason)>> AuditAsync(
        Func<(string? Subject, string Dataset, string Resource, bool Allowed, string Access, string Reason), bool> until)
    {
        // The audit table is written in the background; wait (bounded) for the rows a test expects.
        for (var attempt = 0; ; attempt++)
        {
            var rows = new List<(string?, string, string, bool, string, string)>();
            await using (var scope = Factory.Services.CreateAsyncScope())
            {
                var connection = scope.ServiceProvider.GetRequiredService<DuckDBConnection>();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT subject, dataset_id, resource, allowed, access, reason FROM passport.access_decisions ORDER BY decided_at";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3),
                        reader.GetString(4), reader.GetString(5)));
                }
            }

            if (rows.Any(until) || attempt == 100)
            {
                return rows;
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        Trust.Stop();
        Trust.Dispose();
        Broker.Dispose();
        Committee.Dispose();
        Stranger.Dispose();
    }

    public void Dispose() => directory.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PassportNodeGroup : ICollectionFixture<PassportNodeFixture>
{
    public const string Name = "passport node";
}

/// <summary>Issue 7, acceptance 1: passports decide what Beacon and htsget give, over a real Kestrel.</summary>
[Collection(PassportNodeGroup.Name)]
public sealed class PassportEndToEndTests(PassportNodeFixture node)
{
    private const string Query = "/api/g_variants?referenceName=1&start=99&referenceBases=A&alternateBases=G&assemblyId=GRCh38";

    [Fact]
    public async Task Anonymous_callers_learn_only_existence_in_controlled_and_registered_datasets()
    {
        foreach (var dataset in new[] { "controlled", "registered" })
        {
            var answer = await BeaconAsync(null, dataset, "count");

            Assert.Equal("boolean", answer["meta"]!["returnedGranularity"]!.GetValue<string>());
            Assert.True(answer["responseSummary"]!["exists"]!.GetValue<bool>());
            Assert.Null(answer["responseSummary"]!["numTotalResults"]);
        }
    }

    [Fact]
    public async Task A_grant_for_the_dataset_gives_counts_and_records_with_case_level_data()
    {
        var passport = node.PassportWith(node.Grant(PassportNodeFixture.ControlledGrant));

        var count = await BeaconAsync(passport, "controlled", "count");
        Assert.Equal("count", count["meta"]!["returnedGranularity"]!.GetValue<string>());
        Assert.Equal(1, count["responseSummary"]!["numTotalResults"]!.GetValue<int>());

        var record = await BeaconAsync(passport, "controlled", "record");
        Assert.Equal("record", record["meta"]!["returnedGranularity"]!.GetValue<string>());
        var variant = record["response"]!["resultSets"]![0]!["results"]![0]!;
        var carriers = variant["caseLevelData"]!.AsArray().Select(c => c!["individualId"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["s1", "s2", "s3"], carriers);
        Assert.Equal(4, variant["frequencyInPopulations"]![0]!["frequencies"]![0]!["alleleCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_grant_for_another_dataset_leaves_the_caller_at_the_anonymous_level()
    {
        var passport = node.PassportWith(node.Grant(PassportNodeFixture.HiddenGrant));

        var answer = await BeaconAsync(passport, "controlled", "record");

        Assert.Equal("boolean", answer["meta"]!["returnedGranularity"]!.GetValue<string>());
        Assert.Null(answer["response"]);
        var audit = await node.AuditAsync(row => row.Subject == PassportNodeFixture.Subject && row.Dataset == "controlled" && row.Access == "boolean");
        Assert.Contains(audit, row => row.Subject == PassportNodeFixture.Subject && row.Dataset == "controlled" && row.Access == "boolean"
            && row.Reason.Contains("no usable ControlledAccessGrants visa for " + PassportNodeFixture.ControlledGrant, StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_keep_alive_connection_answers_each_request_for_its_own_token()
    {
        // The node remembers a connection's last accepted passport; another token (or none) on it must not reuse it.
        var granted = node.PassportWith(node.Grant(PassportNodeFixture.ControlledGrant));
        var other = node.PassportWith(node.Grant(PassportNodeFixture.HiddenGrant));

        string[] returned =
        [
            (await BeaconAsync(granted, "controlled", "count"))["meta"]!["returnedGranularity"]!.GetValue<string>(),
            (await BeaconAsync(other, "controlled", "count"))["meta"]!["returnedGranularity"]!.GetValue<string>(),
            (await BeaconAsync(null, "controlled", "count"))["meta"]!["returnedGranularity"]!.GetValue<string>(),
            (await BeaconAsync(granted, "controlled", "count"))["meta"]!["returnedGranularity"]!.GetValue<string>(),
        ];

        Assert.Equal(["count", "boolean", "boolean", "count"], returned);
    }

    [Fact]
    public async Task Registered_access_visas_open_registered_datasets_but_not_controlled_ones()
    {
        var passport = node.PassportWith(node.RegisteredAccess());

        var registered = await BeaconAsync(passport, "registered", "count");
        var controlled = await BeaconAsync(passport, "controlled", "count");

        Assert.Equal("count", registered["meta"]!["returnedGranularity"]!.GetValue<string>());
        Assert.Equal("boolean", controlled["meta"]!["returnedGranularity"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_range_query_on_a_controlled_dataset_is_refused_to_a_passport_without_its_grant_and_answered_with_it()
    {
        const string range = "/api/g_variants?referenceName=1&start=0&end=1000&datasetIds=controlled&requestedGranularity=count";
        async Task<(HttpStatusCode Status, JsonNode Body, string? Challenge)> AskAsync(string? passport)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, range);
            if (passport is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", passport);
            }

            using var response = await node.Client.SendAsync(request);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response.Headers.WwwAuthenticate.ToString());
        }

        // Privacy rules by caller standing: without a passport 401 (one may help), with one but no grant 403.
        var anonymous = await AskAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.StartsWith("Bearer realm=", anonymous.Challenge, StringComparison.Ordinal);
        var registered = await AskAsync(node.PassportWith(node.RegisteredAccess()));
        Assert.Equal(HttpStatusCode.Forbidden, registered.Status);
        Assert.Contains("for callers without its access grant: they may run sequence queries only",
            registered.Body["error"]!["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);

        var granted = await AskAsync(node.PassportWith(node.Grant(PassportNodeFixture.ControlledGrant)));
        Assert.Equal(HttpStatusCode.OK, granted.Status);
        Assert.Equal(2, granted.Body["responseSummary"]!["numTotalResults"]!.GetValue<int>()); // both records of the VCF
        var audit = await node.AuditAsync(row => row.Subject == PassportNodeFixture.Subject && row.Dataset == "controlled" && !row.Allowed);
        Assert.Contains(audit, row => row.Reason.Contains("range queries are not answered on dataset 'controlled'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hidden_dataset_is_unknown_to_anonymous_callers_and_answered_to_holders_of_its_grant()
    {
        using var anonymous = await node.Client.GetAsync(new Uri(Query + "&datasetIds=hidden", UriKind.Relative));
        var refused = JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, anonymous.StatusCode);
        Assert.Equal("datasetIds: no dataset 'hidden' can be queried here", refused["error"]!["errorMessage"]!.GetValue<string>());
        var audit = await node.AuditAsync(row => row.Subject is null && row.Dataset == "hidden");
        Assert.Contains(audit, row => row.Subject is null && row.Dataset == "hidden" && !row.Allowed && row.Access == "none");

        var granted = await BeaconAsync(node.PassportWith(node.Grant(PassportNodeFixture.HiddenGrant)), "hidden", "count");
        Assert.Equal(1, granted["responseSummary"]!["numTotalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_refused_token_gets_a_beacon_error_401_with_a_bearer_challenge()
    {
        var expired = node.Broker.Passport(PassportNodeFixture.Subject, [node.Grant(PassportNodeFixture.ControlledGrant)],
            issued: DateTimeOffset.UtcNow.AddHours(-2), expires: DateTimeOffset.UtcNow.AddHours(-1));
        using var request = new HttpRequestMessage(HttpMethod.Get, Query + "&requestedGranularity=count");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", expired);

        using var response = await node.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal(401, error["errorCode"]!.GetValue<int>());
        Assert.Contains("the passport expired at", error["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(expired.Split('.')[2], body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Samtools_streams_a_controlled_bam_with_the_passport_from_HTS_AUTH_LOCATION()
    {
        var passport = node.PassportWith(node.Grant(PassportNodeFixture.ReadsGrant));
        // htslib follows an htsget URL as a file: the region goes into the URL, as htsget defines it.
        var url = new Uri(node.Client.BaseAddress!, "/htsget/reads/controlled-bam?referenceName=CHROMOSOME_I").ToString();
        using var tokenFile = new TemporaryDirectory("hts-auth");
        var location = tokenFile.Combine("token");
        await File.WriteAllTextAsync(location, passport);

        var streamed = ExternalTools.RunWithExitCode("samtools", HtsAuth(location), "view", url);
        var local = ExternalTools.Run("samtools", "view", node.Bam, "CHROMOSOME_I");

        Assert.True(streamed.ExitCode == 0, streamed.Error);
        Assert.NotEmpty(local);
        Assert.Equal(local, System.Text.Encoding.UTF8.GetString(streamed.Output));
        var audit = await node.AuditAsync(row => row.Resource == "htsget:reads/controlled-bam" && row.Allowed);
        Assert.Contains(audit, row => row.Resource == "htsget:reads/controlled-bam" && row.Allowed && row.Subject == PassportNodeFixture.Subject
            && row.Reason.Contains(PassportNodeFixture.ReadsGrant, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Htsget_answers_401_without_a_token_and_403_without_a_grant()
    {
        using var anonymous = await node.Client.GetAsync(new Uri("/htsget/reads/controlled-bam", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("InvalidAuthentication", JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!["htsget"]!["error"]!.GetValue<string>());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/htsget/reads/controlled-bam");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", node.PassportWith(node.Grant(PassportNodeFixture.ControlledGrant)));
        using var forbidden = await node.Client.SendAsync(request);
        var body = JsonNode.Parse(await forbidden.Content.ReadAsStringAsync())!["htsget"]!;
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("PermissionDenied", body["error"]!.GetValue<string>());
        Assert.Contains(PassportNodeFixture.ReadsGrant, body["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var tokenFile = Path.Combine(node.Factory.Data.Path, "no-grant-token");
        await File.WriteAllTextAsync(tokenFile, node.PassportWith(node.RegisteredAccess()));
        var samtools = ExternalTools.RunWithExitCode("samtools", HtsAuth(tokenFile), "view",
            new Uri(node.Client.BaseAddress!, "/htsget/reads/controlled-bam").ToString());
        Assert.NotEqual(0, samtools.ExitCode);
        Assert.Empty(samtools.Output);
    }

    [Fact]
    public async Task A_visa_from_an_untrusted_issuer_is_ignored_and_its_jku_never_fetched()
    {
        var foreign = node.Stranger.Visa(PassportNodeFixture.Subject, "ControlledAccessGrants", PassportNodeFixture.ControlledGrant, by: "dac");

        var answer = await BeaconAsync(node.PassportWith(foreign), "controlled", "count");

        Assert.Equal("boolean", answer["meta"]!["returnedGranularity"]!.GetValue<string>());
        Assert.DoesNotContain(node.Trust.LogEntries, entry => entry.RequestMessage.Path == new Uri(node.Stranger.JwksUrl).AbsolutePath);
    }

    [Fact]
    public async Task No_token_reaches_a_log_line_or_a_response()
    {
        var tokens = new List<string>();
        foreach (var passport in new[]
        {
            node.PassportWith(node.Grant(PassportNodeFixture.ControlledGrant)),
            node.Broker.Passport(PassportNodeFixture.Subject, [], expires: DateTimeOffset.UtcNow.AddMinutes(-5), issued: DateTimeOffset.UtcNow.AddMinutes(-10)),
            node.Stranger.Passport(PassportNodeFixture.Subject, [node.Grant(PassportNodeFixture.ReadsGrant)]),
            "definitely.not.a-jwt",
        })
        {
            tokens.Add(passport);
            foreach (var path in new[] { Query + "&requestedGranularity=record", "/htsget/reads/controlled-bam" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", passport);
                using var response = await node.Client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain(passport, body, StringComparison.Ordinal);
                Assert.DoesNotContain(passport, response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }
        }

        var lines = node.Factory.Log.Lines.ToList();
        Assert.Contains(lines, line => line.Contains("rejected at step", StringComparison.Ordinal));
        foreach (var token in tokens)
        {
            var signature = token.Split('.')[^1];
            Assert.DoesNotContain(lines, line => line.Contains(token, StringComparison.Ordinal) || line.Contains(signature, StringComparison.Ordinal));
        }
    }

    // htslib sends the token over plain http (the test node's loopback Kestrel) only when told it may.
    private static Dictionary<string, string> HtsAuth(string tokenFile) => new()
    {
        ["HTS_AUTH_LOCATION"] = tokenFile,
        ["HTS_ALLOW_UNENCRYPTED_AUTHORIZATION_HEADER"] = "I understand the risks",
    };

    private async Task<JsonNode> BeaconAsync(string? passport, string? dataset, string granularity)
    {
        var path = $"{Query}&requestedGranularity={granularity}" + (dataset is null ? "" : $"&datasetIds={dataset}");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (passport is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", passport);
        }

        using var response = await node.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions())!;
    }
}

/// <summary>
/// Issue 14, finding 3: one visibility rule for every endpoint that names a dataset. A hidden dataset answers exactly
/// as an unknown id, through /dataUse and htsget as through Beacon, unless the caller's passport grants it.
/// </summary>
[Collection(PassportNodeGroup.Name)]
public sealed class DatasetVisibilityTests(PassportNodeFixture node)
{
    [Fact]
    public async Task Data_use_conditions_of_a_hidden_dataset_answer_as_those_of_an_unknown_id_unless_granted()
    {
        await SetConditionsAsync("hidden");

        var hidden = await GetAsync(null, "/dataUse/datasets/hidden");
        var unknown = await GetAsync(null, "/dataUse/datasets/hiddem");
        var refusedToken = await GetAsync("not-a-token", "/dataUse/datasets/hidden");
        var granted = await GetAsync(node.PassportWith(node.Grant(PassportNodeFixture.HiddenGrant)), "/dataUse/datasets/hidden");

        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        Assert.Equal(unknown.Body.Replace("hiddem", "hidden", StringComparison.Ordinal), hidden.Body);
        Assert.Equal((HttpStatusCode.NotFound, hidden.Body), (refusedToken.Status, refusedToken.Body));
        Assert.Equal(HttpStatusCode.OK, granted.Status);
        Assert.Contains("DUO:0000007", granted.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Matching_a_purpose_against_a_hidden_dataset_answers_as_against_an_unknown_id_unless_granted()
    {
        await SetConditionsAsync("hidden");
        const string body = """{"purpose":{"diseases":["MONDO:0004992"]},"datasetId":"{0}"}""";

        var hidden = await PostAsync(null, "/dataUse/match", body.Replace("{0}", "hidden", StringComparison.Ordinal));
        var unknown = await PostAsync(null, "/dataUse/match", body.Replace("{0}", "hiddem", StringComparison.Ordinal));
        var granted = await PostAsync(node.PassportWith(node.Grant(PassportNodeFixture.HiddenGrant)), "/dataUse/match",
            body.Replace("{0}", "hidden", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        Assert.Equal(unknown.Body.Replace("hiddem", "hidden", StringComparison.Ordinal), hidden.Body);
        Assert.Equal(HttpStatusCode.OK, granted.Status);
    }

    [Fact]
    public async Task An_htsget_object_of_a_hidden_dataset_answers_as_an_unknown_id_unless_granted()
    {
        await using (var scope = node.Factory.Services.CreateAsyncScope())
        {
            var read = HtsgetObjectRegistrar.Read(new RegistrationRequest("hidden-bam", "hidden", HtsgetKind.Reads, node.Bam, null));
            scope.ServiceProvider.GetRequiredService<DatasetCatalog>().WriteData("hidden",
                () => scope.ServiceProvider.GetRequiredService<HtsgetObjectRegistrar>().StoreInTransaction(read));
        }

        var unknown = await GetAsync(null, "/htsget/reads/hidden-bal");
        foreach (var caller in new[] { null, "not-a-token", node.PassportWith(node.Grant(PassportNodeFixture.ControlledGrant)) })
        {
            var hidden = await GetAsync(caller, "/htsget/reads/hidden-bam");
            Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
            Assert.Equal(unknown.Body.Replace("hidden-bal", "hidden-bam", StringComparison.Ordinal), hidden.Body);
        }

        var granted = await GetAsync(node.PassportWith(node.Grant(PassportNodeFixture.HiddenGrant)), "/htsget/reads/hidden-bam");
        Assert.Equal(HttpStatusCode.OK, granted.Status);
    }

    private async Task SetConditionsAsync(string dataset)
    {
        await using var scope = node.Factory.Services.CreateAsyncScope();
        var dataUse = scope.ServiceProvider.GetRequiredService<GenomeNode.DataUseOntology.DataUse.DatasetDataUse>();
        dataUse.Replace(dataset, dataUse.Interpret(["DUO:0000007"], ["MONDO:0004992"]));
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string? token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await node.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string? token, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await node.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Issue 14, finding 7: what the audit records that it did not before.</summary>
[Collection(PassportNodeGroup.Name)]
public sealed class AuditCoverageTests(PassportNodeFixture node)
{
    [Fact]
    public async Task A_beacon_request_with_a_refused_token_is_audited()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            "/api/g_variants?referenceName=1&start=99&referenceBases=A&alternateBases=G&requestedGranularity=count");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "junk.token.value");

        using var response = await node.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var audit = await node.AuditAsync(row => row.Resource == "beacon:g_variants" && row.Reason.StartsWith("token refused", StringComparison.Ordinal));
        Assert.Contains(audit, row => row.Resource == "beacon:g_variants" && row.Dataset == "*" && !row.Allowed && row.Access == "none"
            && row.Reason.StartsWith("token refused: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_fetch_of_a_data_url_is_audited_under_the_ticket_its_caller_was_given()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/htsget/reads/controlled-bam?referenceName=CHROMOSOME_I");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", node.PassportWith(node.Grant(PassportNodeFixture.ReadsGrant)));
        using var ticketResponse = await node.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, ticketResponse.StatusCode);
        var urls = JsonNode.Parse(await ticketResponse.Content.ReadAsStringAsync())!["htsget"]!["urls"]!.AsArray()
            .Select(url => url!["url"]!.GetValue<string>()).Where(url => url.StartsWith("http", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(urls);

        foreach (var url in urls)
        {
            using var fetch = await node.Client.GetAsync(new Uri(url));
            Assert.True(fetch.IsSuccessStatusCode);
        }

        var rows = await TicketRowsAsync(expected: urls.Count + 1);
        var decision = Assert.Single(rows, row => row.Resource == "htsget:reads/controlled-bam");
        Assert.Equal((PassportNodeFixture.Subject, true), (decision.Subject, decision.Allowed));
        var fetches = rows.Where(row => row.Resource == "htsget:data/controlled-bam").ToList();
        Assert.Equal(urls.Count, fetches.Count);
        Assert.All(fetches, row => Assert.True(row.Allowed && row.Dataset == "reads" && row.Access.StartsWith("bytes ", StringComparison.Ordinal)
            && row.Reason.EndsWith($"of ticket {decision.Ticket}", StringComparison.Ordinal), row.ToString()));
    }

    private async Task<List<(string? Subject, string Dataset, string Resource, bool Allowed, string Access, string Reason, string Ticket)>> TicketRowsAsync(int expected)
    {
        // The newest ticket's rows: its decision and its fetches share its id.
        for (var attempt = 0; ; attempt++)
        {
            var rows = new List<(string?, string, string, bool, string, string, string)>();
            await using (var scope = node.Factory.Services.CreateAsyncScope())
            {
                await using var command = scope.ServiceProvider.GetRequiredService<DuckDBConnection>().CreateCommand();
                command.CommandText = """
                    SELECT subject, dataset_id, resource, allowed, access, reason, ticket FROM passport.access_decisions
                    WHERE ticket = (SELECT ticket FROM passport.access_decisions WHERE resource = 'htsget:reads/controlled-bam'
                                    ORDER BY decided_at DESC LIMIT 1)
                    """;
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3),
                        reader.GetString(4), reader.GetString(5), reader.GetString(6)));
                }
            }

            if (rows.Count >= expected || attempt == 50)
            {
                return rows;
            }

            await Task.Delay(100);
        }
    }
}
