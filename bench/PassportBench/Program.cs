using System.Diagnostics;
using System.Globalization;
using GenomeNode.Bench.PassportBench;
using GenomeNode.Passport;
using GenomeNode.Passport.Clearinghouse;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// The tool behind bench/passport.sh (issue 7, acceptance 4).
//   mint DIR BASE URN       a broker (RS256) and a visa issuer (ES256): keys in DIR/*.pem, their JWKS under DIR/www (the
//                           script serves that folder as BASE), and DIR/passport.jwt: a passport with four visas
//                           (AffiliationAndRole, AcceptedTermsAndPolicies, ResearcherStatus, ControlledAccessGrants URN)
//   validate DIR BASE URN   passport validations per second through PassportAuthenticator, from a host built with
//                           AddPassport() trusting BASE: cold (every passport distinct, so each misses the validation
//                           cache; the JWKS are fetched once before timing) on 1 and 2 threads, warm (the same token,
//                           a cache hit) on 1 and 2 threads, and as the peer of cold the same five signature checks
//                           done bare (interleaved with the cold validations on 1 thread).
//     --tokens N (4000)  --runs R (3)  --warm-seconds S (2)
var invariant = CultureInfo.InvariantCulture;
if (args.Length < 4 || args[0] is not ("mint" or "validate"))
{
    Console.Error.WriteLine("usage: PassportBench mint|validate DIR BASE_URL URN [--tokens N] [--runs R] [--warm-seconds S]");
    return 2;
}

var (command, dir, baseUrl, urn) = (args[0], args[1], args[2].TrimEnd('/'), args[3]);
var brokerIssuer = $"{baseUrl}/broker";
var dacIssuer = $"{baseUrl}/dac";
var lifetime = TimeSpan.FromHours(12);

if (command == "mint")
{
    Directory.CreateDirectory(Path.Combine(dir, "www", "broker"));
    Directory.CreateDirectory(Path.Combine(dir, "www", "dac"));
    using var newBroker = BenchIssuer.Create(brokerIssuer, $"{brokerIssuer}/jwks.json", "rs256-broker-1", elliptic: false);
    using var newDac = BenchIssuer.Create(dacIssuer, $"{dacIssuer}/jwks.json", "es256-dac-1", elliptic: true);
    newBroker.Save(Path.Combine(dir, "broker.pem"));
    newDac.Save(Path.Combine(dir, "dac.pem"));
    File.WriteAllText(Path.Combine(dir, "www", "broker", "jwks.json"), newBroker.Jwks());
    File.WriteAllText(Path.Combine(dir, "www", "dac", "jwks.json"), newDac.Jwks());
    var passport = Mint(newBroker, newDac, "researcher-0001", urn, lifetime);
    File.WriteAllText(Path.Combine(dir, "passport.jwt"), passport.Token);
    Console.Error.WriteLine($"minted keys, JWKS and a {passport.Token.Length}-byte passport in {dir}");
    return 0;
}

var tokens = Option("--tokens", 4000);
var runs = Option("--runs", 3);
var warmSeconds = Option("--warm-seconds", 2);
using var broker = BenchIssuer.Load(brokerIssuer, $"{brokerIssuer}/jwks.json", "rs256-broker-1", Path.Combine(dir, "broker.pem"), elliptic: false);
using var dac = BenchIssuer.Load(dacIssuer, $"{dacIssuer}/jwks.json", "es256-dac-1", Path.Combine(dir, "dac.pem"), elliptic: true);

// Distinct researchers, each with their own visas: what a node sees when many users arrive with fresh passports.
var mintTimer = Stopwatch.StartNew();
var minted = new MintedPassport[tokens + 1];
Parallel.For(0, minted.Length, i => minted[i] = Mint(broker, dac, $"researcher-{i:D6}", urn, lifetime));
var probe = minted[^1].Token; // validated before timing, so that both JWKS are fetched and cached
var distinct = minted[..^1].Select(m => m.Token).ToArray();
Console.Error.WriteLine($"minted {minted.Length} passports ({distinct[0].Length} bytes each) in {mintTimer.Elapsed.TotalSeconds:F1} s");

var config = new Dictionary<string, string?>
{
    ["Passport:TrustedBrokers:0:Issuer"] = brokerIssuer,
    ["Passport:TrustedBrokers:0:JwksUri"] = broker.JwksUrl,
    ["Passport:TrustedVisaIssuers:0:Issuer"] = dacIssuer,
    ["Passport:TrustedVisaIssuers:0:Jku"] = dac.JwksUrl,
    ["Passport:TrustedVisaIssuers:0:SubjectsOfBroker"] = brokerIssuer, // the DAC's visas name the broker's subjects
    ["Passport:AllowLoopbackHttp"] = "true",
};

var verifyBroker = broker.Verifier();
var verifyDac = dac.Verifier();
double[] cold1 = new double[runs], cold2 = new double[runs], bare1 = new double[runs], warm1 = new double[runs], warm2 = new double[runs];
await ColdAndBare(Math.Min(500, tokens)); // warm-up: the validation code reaches its optimised (tier-1) JIT
for (var run = 0; run < runs; run++)
{
    (cold1[run], bare1[run]) = await ColdAndBare(tokens);
    cold2[run] = await Cold(2);
    warm1[run] = await Warm(1);
    warm2[run] = await Warm(2);
    Console.Error.WriteLine(string.Create(invariant,
        $"run {run + 1}: cold {cold1[run]:F0}/s (1 thread) {cold2[run]:F0}/s (2 threads), bare signatures {bare1[run]:F0}/s, warm {warm1[run]:F0}/s (1 thread) {warm2[run]:F0}/s (2 threads)"));
}

double c1 = Median(cold1), c2 = Median(cold2), b1 = Median(bare1), w1 = Median(warm1), w2 = Median(warm2);
Console.WriteLine(string.Create(invariant,
    $"passport-validations-cold: {c1:F0}/s on 1 thread ({1e6 / c1:F0} us each), {c2:F0}/s on 2 threads ({tokens} distinct {distinct[0].Length}-byte passports of 4 visas, RS256 passport + ES256 visas, each a validation-cache miss, JWKS cached; median of {runs})"));
Console.WriteLine(string.Create(invariant,
    $"passport-validations-cold/bare-signatures: {c1 / b1:F2} (cold validation {c1:F0}/s / the same 5 signature checks alone {b1:F0}/s, 1 thread)"));
Console.WriteLine(string.Create(invariant,
    $"passport-validations-warm: {w1:F0}/s on 1 thread ({1e6 / w1:F2} us each), {w2:F0}/s on 2 threads (the same token again: a validation-cache hit; median of {runs})"));
Console.WriteLine(string.Create(invariant, $"passport-validations-warm/cold: {w1 / c1:F0} (1 thread)"));
return 0;

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], invariant) : fallback;
}

IHost BuildHost()
{
    var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Configuration.AddInMemoryCollection(config);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.AddPassport();
    var host = builder.Build();
    _ = host.Services.GetRequiredService<IOptionsMonitor<PassportOptions>>().CurrentValue; // runs the options validator
    return host;
}

async Task<PassportAuthenticator> Ready(IHost host)
{
    var authenticator = host.Services.GetRequiredService<PassportAuthenticator>();
    var caller = await authenticator.AuthenticateAsync($"Bearer {probe}", null, CancellationToken.None);
    if (caller.Passport is not { Visas.Count: 4, Ignored.Count: 0 })
    {
        throw new InvalidOperationException($"the bench passport was not accepted with its 4 visas: {caller.Rejection}{string.Join("; ", caller.Passport?.Ignored ?? [])}");
    }

    return authenticator;
}

async Task<double> Cold(int threads)
{
    using var host = BuildHost();
    var authenticator = await Ready(host);
    var headers = distinct.Select(t => $"Bearer {t}").ToArray();
    var timer = Stopwatch.StartNew();
    var refused = (await Task.WhenAll(Enumerable.Range(0, threads).Select(thread => Task.Run(async () =>
    {
        var failures = 0;
        for (var i = thread; i < headers.Length; i += threads)
        {
            var caller = await authenticator.AuthenticateAsync(headers[i], null, CancellationToken.None);
            failures += caller.Passport is { Visas.Count: 4 } ? 0 : 1;
        }

        return failures;
    })))).Sum();
    timer.Stop();
    return refused == 0 ? headers.Length / timer.Elapsed.TotalSeconds : throw new InvalidOperationException($"{refused} passports were refused");
}

async Task<double> Warm(int threads)
{
    using var host = BuildHost();
    var authenticator = await Ready(host);
    var header = $"Bearer {probe}";
    var limit = TimeSpan.FromSeconds(warmSeconds);
    var timer = Stopwatch.StartNew();
    var total = (await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Run(async () =>
    {
        long count = 0;
        while ((count & 255) != 0 || timer.Elapsed < limit)
        {
            var caller = await authenticator.AuthenticateAsync(header, null, CancellationToken.None);
            count += caller.Passport is null ? throw new InvalidOperationException("a cached passport was refused") : 1;
        }

        return count;
    })))).Sum();
    timer.Stop();
    return total / timer.Elapsed.TotalSeconds;
}

// Cold validations on one thread and, as the peer, the same passports' five signatures checked bare (RSA and ECDsa
// with the public keys, nothing else), interleaved in chunks so that both see the same machine load.
async Task<(double Cold, double Bare)> ColdAndBare(int count)
{
    const int chunk = 50;
    using var host = BuildHost();
    var authenticator = await Ready(host);
    var headers = distinct[..count].Select(t => $"Bearer {t}").ToArray();
    var cold = TimeSpan.Zero;
    var bare = TimeSpan.Zero;
    for (var start = 0; start < headers.Length; start += chunk)
    {
        var end = Math.Min(start + chunk, headers.Length);
        var timer = Stopwatch.StartNew();
        for (var i = start; i < end; i++)
        {
            var caller = await authenticator.AuthenticateAsync(headers[i], null, CancellationToken.None);
            if (caller.Passport is not { Visas.Count: 4 })
            {
                throw new InvalidOperationException($"passport {i} was refused: {caller.Rejection}");
            }
        }

        cold += timer.Elapsed;
        timer.Restart();
        for (var i = start; i < end; i++)
        {
            var parts = minted[i].Parts;
            var ok = verifyBroker(parts[0]);
            for (var v = 1; v < parts.Count; v++)
            {
                ok &= verifyDac(parts[v]);
            }

            if (!ok)
            {
                throw new InvalidOperationException("a bare signature check failed");
            }
        }

        bare += timer.Elapsed;
    }

    return (headers.Length / cold.TotalSeconds, headers.Length / bare.TotalSeconds);
}

static double Median(double[] values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static MintedPassport Mint(BenchIssuer broker, BenchIssuer dac, string subject, string urn, TimeSpan lifetime)
{
    const string university = "https://ror.org/040af2s02"; // made up for the bench: a university as the visas' source
    var visas = new[]
    {
        dac.Visa(subject, "AffiliationAndRole", $"faculty@uni.example.fi", university, "system", lifetime),
        dac.Visa(subject, "AcceptedTermsAndPolicies", PassportOptions.RegisteredAccessBonaFide, university, "self", lifetime),
        dac.Visa(subject, "ResearcherStatus", PassportOptions.RegisteredAccessBonaFide, university, "so", lifetime),
        dac.Visa(subject, "ControlledAccessGrants", urn, "https://dac.example.fi", "dac", lifetime),
    };
    var passport = broker.Passport(subject, visas.Select(v => v.Token), lifetime);
    return new MintedPassport(passport.Token, [passport.Part, .. visas.Select(v => v.Part)]);
}
