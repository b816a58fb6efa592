using GenomeNode.Beacon.Ingest;
using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// An in-memory node for hostile input: the public demo, plus a controlled dataset ("locked") holding the demo VCF and
/// BAM, and a trusted broker and visa issuer (keys served by WireMock) so that signed tokens with junk claims get past
/// the signature and into the clearinghouse's later checks.
/// </summary>
public sealed class HostileInputNode : IAsyncLifetime
{
    public const string LockedDataset = "locked";
    public const string LockedReads = "locked-reads";
    public const string LockedGrant = "urn:fi:genome-node:test:locked";

    public NodeFactory Factory { get; } = new();

    public TestTokenIssuer Broker { get; private set; } = null!;

    public TestTokenIssuer Committee { get; private set; } = null!;

    public TestServer Server => Factory.Server;

    private WireMockServer trust = null!;

    public async Task InitializeAsync()
    {
        trust = WireMockServer.Start();
        Broker = new TestTokenIssuer($"{trust.Url}/broker", $"{trust.Url}/broker/jwks");
        Committee = new TestTokenIssuer($"{trust.Url}/dac", $"{trust.Url}/dac/jwks", elliptic: true);
        foreach (var issuer in new[] { Broker, Committee })
        {
            trust.Given(Request.Create().WithPath(new Uri(issuer.JwksUrl).AbsolutePath).UsingGet())
                .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(issuer.Jwks()));
        }

        Factory.Settings["Passport:AllowLoopbackHttp"] = "true";
        Factory.Settings["Passport:TrustedBrokers:0:Issuer"] = Broker.Issuer;
        Factory.Settings["Passport:TrustedBrokers:0:JwksUri"] = Broker.JwksUrl;
        Factory.Settings["Passport:TrustedVisaIssuers:0:Issuer"] = Committee.Issuer;
        Factory.Settings["Passport:TrustedVisaIssuers:0:Jku"] = Committee.JwksUrl;
        _ = Factory.Server; // starts the host: migrations, DUO, the demo

        var demo = Path.Combine(HostEndpointsTests.RepositoryRoot(), "Node.Host", "Demo", "data");
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatasetCatalog>()
            .AddAsync(new NewDataset(LockedDataset, "Locked copy of the demo", AccessTier.Controlled, VisaValue: LockedGrant));
        scope.ServiceProvider.GetRequiredService<VcfIngester>().Ingest(new VcfIngestRequest(LockedDataset, Path.Combine(demo, "demo.vcf.gz"), "GRCh38"));
        scope.ServiceProvider.GetRequiredService<HtsgetObjectRegistrar>()
            .Register(new RegistrationRequest(LockedReads, LockedDataset, HtsgetKind.Reads, Path.Combine(demo, "demo.bam"), null));
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        trust.Stop();
        trust.Dispose();
        Broker.Dispose();
        Committee.Dispose();
    }
}
