using GenomeNode.Beacon.Privacy;
using GenomeNode.Beacon.Requests;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Api;

/// <summary>
/// The rules every Beacon query runs under, whatever its entry type: which datasets it reaches, what each may reveal to
/// this caller (the granted ceiling of its tier when the caller's passport grants it, else its anonymous ceiling), what
/// the privacy rules allow of the query's shape, the caller's query budget, and the audit rows of the answer (one per
/// dataset, recorded before the answer goes out).
/// </summary>
/// <param name="catalog">read only when the catalog held in memory (<paramref name="datasets"/>) was dropped by a change</param>
public sealed class DatasetQueries(
    CatalogSnapshot datasets, Lazy<DatasetCatalog> catalog, DatasetVisibility visibility, QueryBudgets budgets, IOptions<BeaconOptions> options,
    PrivacyRules privacy, IOptions<QueryBudgetOptions> budgetOptions)
{
    public QueryBudgetOptions Costs => budgetOptions.Value;

    /// <summary>
    /// Admits a query of <paramref name="kind"/> to the datasets it names (null: every dataset the caller may query):
    /// refuses it (recorded, then thrown) when it names a dataset the caller may not learn of, when the privacy rules
    /// refuse its shape on the datasets named or on every dataset, or when the caller's budget is spent.
    /// </summary>
    /// <exception cref="BeaconRequestException">the request names a dataset the caller may not query</exception>
    /// <exception cref="PrivacyRefusalException">privacy rules refuse the query's shape, or the caller's budget is spent</exception>
    /// <exception cref="AuditUnavailableException">a refusal could not be recorded</exception>
    public async Task<AdmittedQuery> AdmitAsync(
        string resource, QueryKind kind, IReadOnlyList<string>? datasetIds, bool testMode, RequestAccess access, Caller caller, string asked,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(caller);
        var trail = new QueryTrail(access, caller, asked, resource);
        var considered = await ConsiderAsync(testMode, access, caller, cancellationToken);
        var requested = datasetIds?.Distinct(StringComparer.Ordinal).ToList();
        var unknown = requested?.FirstOrDefault(id => !considered.Any(c => c.Ceiling is not null && c.Dataset.Id == id));
        if (unknown is not null)
        {
            // The same answer whether the dataset does not exist or is hidden from this caller.
            await trail.RefuseAllAsync(considered);
            throw new BeaconRequestException("datasetIds", $"no dataset '{unknown}' can be queried here");
        }

        var queried = considered.Where(c => c.Ceiling is not null && (requested is null || requested.Contains(c.Dataset.Id, StringComparer.Ordinal))).ToList();
        var refused = queried.Where(c => !c.Privacy.Allows(c.Standing, kind)).ToList();
        if (refused.Count > 0 && (requested is not null || refused.Count == queried.Count))
        {
            // Asked of these datasets by name, or of nothing else: a refusal saying why, not a silent miss.
            await trail.RefuseAllAsync(considered, refused.ToDictionary(c => c.Dataset.Id, c => Refusal(c, kind), StringComparer.Ordinal));
            throw new PrivacyRefusalException(
                caller.Passport is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden, Refusal(refused[0], kind));
        }

        var answering = queried.Except(refused).ToList();
        var costs = budgetOptions.Value;
        var charged = answering.Where(c => c.Dataset.Tier != AccessTier.Public && c.Standing != CallerStanding.Granted).ToList();
        BudgetReservation? reservation = null;
        if (charged.Count > 0)
        {
            (reservation, var retryAfter) = budgets.TryReserve(access.BudgetIdentity(caller), budgets.LimitFor(caller), charged.Count * costs.MostCost);
            if (reservation is null)
            {
                var spent = $"the query budget of this {(caller.Passport is null ? "client" : "passport")} for registered and controlled datasets " +
                    $"is spent for now; try again in {Math.Ceiling(retryAfter.TotalSeconds):0} s";
                await trail.RefuseAllAsync(considered, charged.ToDictionary(c => c.Dataset.Id, _ => "query budget spent", StringComparer.Ordinal));
                throw new PrivacyRefusalException(StatusCodes.Status429TooManyRequests, spent, retryAfter);
            }
        }

        return new AdmittedQuery(kind, considered, answering, refused, charged, reservation, trail);
    }

    /// <summary>What the query spent of the caller's budget, settled once it was answered (or failed).</summary>
    public void Settle(AdmittedQuery query, double cost)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Reservation is not null)
        {
            budgets.Settle(query.Reservation, cost);
        }
    }

    /// <summary>What answering <paramref name="dataset"/> costs the caller: nothing for public or granted datasets.</summary>
    public double Cost(AdmittedQuery query, ConsideredDataset dataset, long count, int fewestSeenIn)
    {
        ArgumentNullException.ThrowIfNull(query);
        var costs = budgetOptions.Value;
        return !query.Charged.Contains(dataset) ? 0
            : count == 0 ? costs.MissCost
            : fewestSeenIn < costs.RareBelow ? costs.RareHitCost
            : costs.HitCost;
    }

    public static string Refusal(ConsideredDataset c, QueryKind kind)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Privacy.Refusal(c.Standing, kind, c.Dataset.Id, c.Dataset.Tier);
    }

    /// <summary>Every dataset a request could reach, with this caller's decision, ceiling (null: hidden) and privacy rules.</summary>
    public async Task<List<ConsideredDataset>> ConsiderAsync(bool testMode, RequestAccess access, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        var beacon = options.Value;
        var considered = new List<ConsideredDataset>();
        foreach (var dataset in await datasets.ListAsync(() => catalog.Value, cancellationToken))
        {
            if (testMode && !dataset.IsDemo)
            {
                continue; // testMode answers from synthetic (demo) datasets only
            }

            var decision = access.Decide(caller, dataset);
            var ceiling = visibility.IsVisible(dataset, decision) ? beacon.Ceiling(dataset.Id, dataset.Tier, decision.Granted) : null;
            var standing = decision.Grant is AccessGrant.Registered or AccessGrant.Controlled ? CallerStanding.Granted
                : caller.Passport is null ? CallerStanding.Anonymous
                : CallerStanding.Registered;
            considered.Add(new ConsideredDataset(dataset, decision, ceiling, standing, privacy.For(dataset)));
        }

        return considered;
    }
}

/// <summary>A dataset a request could reach: the caller's decision, ceiling (null when hidden), standing and the dataset's rules.</summary>
public sealed record ConsideredDataset(Dataset Dataset, AccessDecision Decision, Granularity? Ceiling, CallerStanding Standing, DatasetPrivacy Privacy);

/// <summary>A query admitted: the datasets it answers from, those the rules refused, those it is charged for, and its audit rows.</summary>
public sealed record AdmittedQuery(
    QueryKind Kind, List<ConsideredDataset> Considered, List<ConsideredDataset> Answering, List<ConsideredDataset> Refused,
    List<ConsideredDataset> Charged, BudgetReservation? Reservation, QueryTrail Trail)
{
    /// <summary>Why each refused dataset was not queried.</summary>
    public Dictionary<string, string> RefusalReasons() =>
        Refused.ToDictionary(c => c.Dataset.Id, c => DatasetQueries.Refusal(c, Kind), StringComparer.Ordinal);

    /// <summary>
    /// The answer's shape from each answering dataset's count: the datasets with a hit, the granularity returned (the
    /// requested one, lowered to what every dataset with a hit allows, or with no hit to the most any queried dataset
    /// allows: never more than a dataset's ceiling), the total, and its precision.
    /// </summary>
    public AnsweredCounts Counted(IReadOnlyDictionary<string, CountAnswer> answers, Granularity requested)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var ceilings = Answering.ToDictionary(c => c.Dataset.Id, c => answers[c.Dataset.Id].BooleanOnly ? Granularity.Boolean : c.Ceiling!.Value,
            StringComparer.Ordinal);
        var hits = Answering.Where(c => answers[c.Dataset.Id].Count > 0).Select(c => c.Dataset.Id).ToList();
        var ceiling = hits.Count > 0
            ? hits.Min(id => ceilings[id])
            : ceilings.Count > 0 ? ceilings.Values.Max() : Granularity.Boolean;
        var precision = GVariantService.Precision(Answering.Where(c => hits.Contains(c.Dataset.Id) && GVariantService.CountsShown(requested, c))
            .Select(c => c.Privacy.Precision(c.Standing)));
        return new AnsweredCounts(hits, (Granularity)Math.Min((int)requested, (int)ceiling), hits.Sum(id => answers[id].Count), precision);
    }

    /// <summary>Whether a dataset's result set is sent, by <c>includeResultsetResponses</c>.</summary>
    public static bool Includes(ResultSetResponses include, bool hit) => include switch
    {
        ResultSetResponses.All => true,
        ResultSetResponses.Hit => hit,
        ResultSetResponses.Miss => !hit,
        _ => false,
    };

    /// <summary>Rows for the datasets not answered, then every row recorded (awaited until durable).</summary>
    public Task RecordAsync()
    {
        Trail.AddOthers(Considered, Answering, RefusalReasons());
        return Trail.RecordAsync();
    }

    /// <summary>
    /// Records the rows (as <see cref="RecordAsync"/>) while <paramref name="answer"/> builds the answer they describe,
    /// so that reading its records overlaps the rows' append and fsync; the answer, or its error, waits for the rows.
    /// </summary>
    public async Task<T> RecordWhileAsync<T>(Func<T> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var recorded = RecordAsync();
        T result;
        try
        {
            result = answer();
        }
        catch
        {
            await recorded.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await recorded;
        return result;
    }
}

/// <summary>What an answer's counts make of it: the datasets with a hit, the granularity returned, the total and its precision.</summary>
public sealed record AnsweredCounts(IReadOnlyList<string> Hits, Granularity Returned, long Total, string? Precision);

/// <summary>
/// The audit rows of one request, one per dataset it could reach, recorded as one unit (all or none, in one batch) and
/// awaited before the answer or the refusal goes out.
/// </summary>
public sealed class QueryTrail(RequestAccess access, Caller caller, string asked, string resource)
{
    private readonly List<AuditedDecision> decisions = [];

    /// <summary>The row of a dataset answered.</summary>
    public void Add(ConsideredDataset c, string returned, string? adjustment, double cost)
    {
        ArgumentNullException.ThrowIfNull(c);
        decisions.Add(new AuditedDecision(c.Decision, true, c.Ceiling!.Value.ToName(), new AuditDetails(asked, returned, adjustment, cost)));
    }

    /// <summary>Rows for the datasets not answered: hidden from the caller, not named, or refused by a rule (with why).</summary>
    public void AddOthers(List<ConsideredDataset> considered, List<ConsideredDataset> answering, IReadOnlyDictionary<string, string>? reasons = null)
    {
        ArgumentNullException.ThrowIfNull(considered);
        foreach (var c in considered.Except(answering))
        {
            var why = reasons?.GetValueOrDefault(c.Dataset.Id);
            decisions.Add(new AuditedDecision(why is null ? c.Decision : c.Decision with { Reason = $"{c.Decision.Reason}; {why}" },
                false, "none", new AuditDetails(asked, why is null ? null : "error", null, 0)));
        }
    }

    public Task RefuseAllAsync(List<ConsideredDataset> considered, IReadOnlyDictionary<string, string>? reasons = null)
    {
        AddOthers(considered, [], reasons);
        return RecordAsync();
    }

    public Task RecordAsync()
    {
        if (decisions.Count == 0)
        {
            // A node without a dataset this caller may learn of still records what was asked.
            decisions.Add(new AuditedDecision(new AccessDecision(AuditEntry.NoDataset, AccessGrant.None, "no dataset to query"), false, "none",
                new AuditDetails(asked, "boolean", null, 0)));
        }

        return access.AuditAsync(caller, resource, decisions);
    }
}
