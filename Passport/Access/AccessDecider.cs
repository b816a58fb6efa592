using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Visas;

namespace GenomeNode.Passport.Access;

/// <summary>What the caller holds for a dataset: nothing beyond anonymous access, or the dataset's own tier of access.</summary>
public enum AccessGrant
{
    /// <summary>No grant: the caller sees what anonymous callers see of the dataset's tier.</summary>
    None,

    /// <summary>A public dataset: everyone holds it.</summary>
    Public,

    /// <summary>Registered Access visas (AcceptedTermsAndPolicies + bona fide ResearcherStatus).</summary>
    Registered,

    /// <summary>A ControlledAccessGrants visa for the dataset.</summary>
    Controlled,
}

/// <summary>The decision for one dataset: whether the caller holds its tier's grant, why, and until when.</summary>
public sealed record AccessDecision(string DatasetId, AccessGrant Grant, string Reason, DateTimeOffset? Until = null)
{
    public bool Granted => Grant != AccessGrant.None;
}

/// <summary>
/// The access rule of the node as a plain function: PUBLIC datasets are everyone's; REGISTERED datasets need an
/// AcceptedTermsAndPolicies and a ResearcherStatus visa with the same Registered Access policy value; CONTROLLED
/// datasets need a ControlledAccessGrants visa whose value is the dataset's visa value. The visas were validated
/// (signature, trusted issuer, fields, subject); here they must also be unexpired now, have an accepted <c>by</c>, and
/// meet their conditions against the passport's other unexpired, unconditional visas.
/// </summary>
public static class AccessDecider
{
    private const int IgnoredVisasNamed = 3;

    public static AccessDecision Decide(Dataset dataset, ValidatedPassport? passport, DateTimeOffset now, PassportOptions policy)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(policy);
        if (dataset.Tier == AccessTier.Public)
        {
            return new AccessDecision(dataset.Id, AccessGrant.Public, "public dataset");
        }

        if (passport is null)
        {
            return new AccessDecision(dataset.Id, AccessGrant.None, $"{dataset.Tier.ToName()} dataset and no passport was given");
        }

        var usable = passport.Visas.Where(v => v.ExpiresAt + policy.ClockSkew > now).ToList();
        var unconditional = usable.Where(v => v.Visa.Conditions is null).ToList();
        return dataset.Tier == AccessTier.Registered
            ? DecideRegistered(dataset, passport, usable, unconditional, now, policy)
            : DecideControlled(dataset, passport, usable, unconditional, now, policy);
    }

    private static AccessDecision DecideRegistered(
        Dataset dataset, ValidatedPassport passport, List<AcceptedVisa> usable, List<AcceptedVisa> unconditional, DateTimeOffset now, PassportOptions policy)
    {
        var problems = new List<string>();
        foreach (var value in policy.RegisteredAccessPolicies)
        {
            var terms = Qualifying(usable, VisaTypes.AcceptedTermsAndPolicies, value, unconditional, policy, problems);
            var status = Qualifying(usable, VisaTypes.ResearcherStatus, value, unconditional, policy, problems);
            if (terms is not null && status is not null)
            {
                return new AccessDecision(dataset.Id, AccessGrant.Registered,
                    $"registered access: AcceptedTermsAndPolicies and ResearcherStatus for {value}", Min(terms.Value.Until, status.Value.Until));
            }
        }

        problems.Insert(0, $"registered dataset: the passport holds no unexpired AcceptedTermsAndPolicies and ResearcherStatus visas for the same Registered Access policy ({string.Join(", ", policy.RegisteredAccessPolicies)})");
        return Denied(dataset, passport, usable, now, problems);
    }

    private static AccessDecision DecideControlled(
        Dataset dataset, ValidatedPassport passport, List<AcceptedVisa> usable, List<AcceptedVisa> unconditional, DateTimeOffset now, PassportOptions policy)
    {
        if (dataset.VisaValue is not { } value)
        {
            return new AccessDecision(dataset.Id, AccessGrant.None, "controlled dataset without a visa value: no ControlledAccessGrants visa can grant it");
        }

        var problems = new List<string>();
        if (Qualifying(usable, VisaTypes.ControlledAccessGrants, value, unconditional, policy, problems) is { } grant)
        {
            return new AccessDecision(dataset.Id, AccessGrant.Controlled, $"ControlledAccessGrants for {value} from {grant.Visa.Issuer}", grant.Until);
        }

        var others = usable.Where(v => v.Visa.Type == VisaTypes.ControlledAccessGrants && v.Visa.Value != value).Select(v => v.Visa.Value).Distinct().ToList();
        problems.Insert(0, $"controlled dataset: the passport holds no usable ControlledAccessGrants visa for {value}"
            + (others.Count > 0 ? $" (its grants are for {string.Join(", ", others.Take(IgnoredVisasNamed))})" : ""));
        return Denied(dataset, passport, usable, now, problems);
    }

    /// <summary>
    /// The first visa of <paramref name="type"/> with <paramref name="value"/> that counts, and until when: its own
    /// expiry, or earlier when the visas meeting its conditions expire first. Notes why other visas do not count.
    /// </summary>
    private static (AcceptedVisa Visa, DateTimeOffset Until)? Qualifying(
        List<AcceptedVisa> usable, string type, string value, List<AcceptedVisa> unconditional, PassportOptions policy, List<string> problems)
    {
        var candidates = unconditional.Select(v => v.Visa).ToList();
        foreach (var visa in usable.Where(v => v.Visa.Type == type && string.Equals(v.Visa.Value, value, StringComparison.Ordinal)))
        {
            var accepted = policy.AcceptedBy.For(type);
            if (visa.Visa.By is not { } by || !accepted.Contains(by, StringComparer.Ordinal))
            {
                problems.Add($"a {type} visa for {value} is asserted by '{visa.Visa.By ?? "unknown"}', not one of {string.Join(", ", accepted)} (Passport:AcceptedBy:{type})");
                continue;
            }

            if (visa.Visa.Conditions is { } conditions)
            {
                if (!conditions.IsMetBy(candidates))
                {
                    problems.Add($"a {type} visa for {value} has conditions the passport's other visas do not meet");
                    continue;
                }

                return (visa, Min(visa.ExpiresAt, MetUntil(conditions, unconditional)));
            }

            return (visa, visa.ExpiresAt);
        }

        return null;
    }

    private static AccessDecision Denied(Dataset dataset, ValidatedPassport passport, List<AcceptedVisa> usable, DateTimeOffset now, List<string> problems)
    {
        var expired = passport.Visas.Count - usable.Count;
        if (expired > 0)
        {
            problems.Add($"{expired} visa(s) expired since the passport was validated (now {now:yyyy-MM-ddTHH:mm:ssZ})");
        }

        problems.AddRange(passport.Ignored.Take(IgnoredVisasNamed).Select(i => i.ToString()));
        if (passport.Ignored.Count > IgnoredVisasNamed)
        {
            problems.Add($"{passport.Ignored.Count - IgnoredVisasNamed} more visa(s) ignored");
        }

        return new AccessDecision(dataset.Id, AccessGrant.None, string.Join("; ", problems.Distinct(StringComparer.Ordinal)));
    }

    /// <summary>
    /// Until when met <paramref name="conditions"/> stay met as visas expire: the longest-lasting alternative that is
    /// met, which lasts until its first clause runs out of matching visas.
    /// </summary>
    private static DateTimeOffset MetUntil(VisaConditions conditions, List<AcceptedVisa> unconditional) =>
        conditions.Alternatives
            .Where(clauses => clauses.All(clause => unconditional.Any(v => clause.IsMatchedBy(v.Visa))))
            .Max(clauses => clauses.Min(clause => unconditional.Where(v => clause.IsMatchedBy(v.Visa)).Max(v => v.ExpiresAt)));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
