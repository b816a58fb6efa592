using System.Net;
using GenomeNode.Federation.Network;
using GenomeNode.Federation.Partners;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace GenomeNode.Federation;

/// <summary>
/// Identity and registration of the Federation module: the partner nodes of section <c>Federation</c> (typed Refit
/// clients with per-partner resilience), the Beacon network under <c>/network/api</c>, partners' reachability in
/// /health. It holds no tables and references no other module: the node's own part of a network query is its own
/// <c>/api</c> endpoint, run in-process (<see cref="LocalBeacon"/>).
/// </summary>
public static class FederationModule
{
    public const string Name = "federation";

    public static IHostApplicationBuilder AddFederation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<FederationOptions>()
            .Bind(builder.Configuration.GetSection(FederationOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FederationOptions>, FederationOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);

        // Partners are known when the node starts: each gets its own named HttpClient, so its own pipeline.
        var configured = builder.Configuration.GetSection(FederationOptions.Section).Get<FederationOptions>() ?? new FederationOptions();
        var hopMarker = builder.Configuration["Beacon:Id"] is { Length: > 0 } beaconId ? beaconId : "genome-node";
        builder.Services.AddHttpClient(ClientCredentialsTokens.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        var states = new List<PartnerState>();
        foreach (var partner in configured.Partners)
        {
            var state = new PartnerState(partner);
            states.Add(state);
            if (string.IsNullOrEmpty(partner.Id) || !Uri.TryCreate(partner.BaseUrl, UriKind.Absolute, out var baseUrl))
            {
                // The options validator refuses the node at start with the key at fault.
                continue;
            }

            var timeout = configured.TimeoutOf(partner);
            var client = builder.Services.AddHttpClient(PartnerClient.HttpClientName(partner.Id), client =>
                {
                    client.BaseAddress = new Uri(baseUrl.AbsoluteUri.TrimEnd('/'));
                    // The resilience pipeline bounds each call; the client's own timeout would only race it.
                    client.Timeout = Timeout.InfiniteTimeSpan;
                    client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
                })
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    AutomaticDecompression = DecompressionMethods.All,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectTimeout = timeout,
                    // A partner's answer never redirects the caller's passport elsewhere.
                    AllowAutoRedirect = false,
                });
            // Outermost first: the resilience pipeline, then the partner's credentials (so that a retry carries them too).
            client.AddResilienceHandler("partner", pipeline => ConfigurePipeline(pipeline, timeout));
            client.AddHttpMessageHandler(services => new PartnerAuthenticationHandler(partner, hopMarker,
                partner.Authentication.Mode == PartnerAuthenticationMode.ClientCredentials ? services.GetRequiredService<PartnerTokens>().For(partner) : null));
        }

        builder.Services.AddSingleton(new PartnerDirectory(states));
        builder.Services.AddSingleton<PartnerClient>();
        builder.Services.AddSingleton<PartnerTokens>();
        builder.Services.AddSingleton<LocalBeacon>();
        builder.Services.AddSingleton<NetworkAggregator>();
        builder.Services.AddHostedService<PartnerMetadataRefresher>();
        builder.Services.AddHealthChecks().AddCheck<PartnerHealthCheck>("federation-partners");
        return builder;
    }

    /// <summary>
    /// One partner's pipeline, outermost first: the whole call within the partner's timeout; one retry of a failed GET
    /// (a POST is never sent twice); a circuit breaker that stops asking a partner whose calls keep failing; each attempt
    /// within the timeout too.
    /// </summary>
    private static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, TimeSpan timeout)
    {
        pipeline.AddTimeout(timeout);
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 1,
            Delay = TimeSpan.FromMilliseconds(50),
            BackoffType = DelayBackoffType.Constant,
            UseJitter = true,
        };
        retry.DisableForUnsafeHttpMethods();
        pipeline.AddRetry(retry);
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(15),
        });
        pipeline.AddTimeout(timeout);
    }
}
