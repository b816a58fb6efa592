using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.Clearinghouse;

/// <summary>
/// Bounds the calls an anonymous caller can make this node send to a broker: per client, a sliding window of
/// <see cref="PassportOptions.BrokerCallsPerClientPerMinute"/>; over all clients, at most
/// <see cref="PassportOptions.MaxBrokerCallsInFlight"/> at once. A call over either bound is refused without waiting.
/// The limits are read when the node starts.
/// </summary>
public sealed class BrokerCallLimiter : IDisposable
{
    private readonly int perClientPerMinute;
    private readonly int maxInFlight;
    private readonly PartitionedRateLimiter<string> perClient;
    private readonly ConcurrencyLimiter inFlight;
    private readonly PassportMetrics metrics;

    public BrokerCallLimiter(IOptionsMonitor<PassportOptions> options, PassportMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.CurrentValue;
        this.metrics = metrics;
        perClientPerMinute = settings.BrokerCallsPerClientPerMinute;
        maxInFlight = settings.MaxBrokerCallsInFlight;
        // One timer of the partitioned limiter moves every window along (no timer per client) and drops idle clients.
        perClient = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetSlidingWindowLimiter(client, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = perClientPerMinute,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = false,
        }));
        inFlight = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = maxInFlight, QueueLimit = 0 });
    }

    /// <summary>
    /// Asks to call a broker for <paramref name="client"/> (null when the client address is unknown): a call to hold
    /// until the broker has answered, or its <see cref="BrokerCall.Refusal"/>.
    /// </summary>
    public BrokerCall Enter(string? client)
    {
        using (var window = perClient.AttemptAcquire(client ?? ""))
        {
            if (!window.IsAcquired)
            {
                metrics.BrokerCallRefused("client");
                return new BrokerCall(null, new Rejection(ValidationStep.Broker,
                    $"this client has caused {perClientPerMinute} broker calls within a minute (Passport:BrokerCallsPerClientPerMinute); retry later")
                { Retryable = true });
            }
        }

        var lease = inFlight.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            metrics.BrokerCallRefused("in_flight");
            return new BrokerCall(null, new Rejection(ValidationStep.Broker,
                $"the node is already waiting on {maxInFlight} broker calls (Passport:MaxBrokerCallsInFlight); retry later")
            { Retryable = true });
        }

        return new BrokerCall(lease, null);
    }

    public void Dispose()
    {
        perClient.Dispose();
        inFlight.Dispose();
    }
}

/// <summary>Leave to call a broker (disposed when the broker has answered), or why there is none.</summary>
public sealed class BrokerCall(RateLimitLease? lease, Rejection? refusal) : IDisposable
{
    public Rejection? Refusal { get; } = refusal;

    public void Dispose() => lease?.Dispose();
}
