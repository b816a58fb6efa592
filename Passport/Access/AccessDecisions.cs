using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.Options;

namespace GenomeNode.Passport.Access;

/// <summary>
/// The node's access decisions (<see cref="AccessDecider"/>) under its current policy and clock, remembered per
/// passport: a cached passport asks the same question on every request, and its answer holds until a visa it used
/// expires (a denial, until the passport does: visas only ever drop out).
/// </summary>
public sealed class AccessDecisions(TimeProvider time, IOptionsMonitor<PassportOptions> options)
{
    private readonly ConditionalWeakTable<ValidatedPassport, ConcurrentDictionary<Dataset, Remembered>> remembered = new();

    public AccessDecision Decide(Caller caller, Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = time.GetUtcNow();
        var policy = options.CurrentValue;
        if (caller.Passport is not { } passport)
        {
            return AccessDecider.Decide(dataset, null, now, policy);
        }

        // The dataset record is part of the key, so a changed catalog entry is decided afresh.
        var decisions = remembered.GetOrCreateValue(passport);
        if (decisions.TryGetValue(dataset, out var known) && now < known.ValidUntil && ReferenceEquals(known.Policy, policy))
        {
            return known.Decision;
        }

        var decision = AccessDecider.Decide(dataset, passport, now, policy);
        var validUntil = decision.Granted ? (decision.Until ?? passport.ExpiresAt) + policy.ClockSkew : passport.ExpiresAt + policy.ClockSkew;
        decisions[dataset] = new Remembered(decision, validUntil, policy);
        return decision;
    }

    private sealed record Remembered(AccessDecision Decision, DateTimeOffset ValidUntil, PassportOptions Policy);
}
