using GenomeNode.Beacon.Requests;
using GenomeNode.Beacon.Store;
using GenomeNode.Beacon.Variants;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using GenomeNode.Beacon.Privacy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Api;

/// <summary>
/// Answers g_variants requests: which datasets are queried, what each may reveal to this caller (the granted ceiling
/// of its tier when the caller's passport grants it, else its anonymous ceiling), what the privacy rules allow and make
/// of it (query shapes, thresholds, rounding, hidden rare alleles, the caller's query budget), and the response at the
/// granularity actually returned. Every dataset's decision, with what was asked, returned, adjusted and spent, is in the
/// audit table before the answer goes out.
/// </summary>
/// <param name="store">opened only when DuckDB answers: the in-memory index answers the hottest queries without a connection</param>
/// <param name="catalog">read only when the catalog held in memory (<paramref name="datasets"/>) was dropped by a change</param>
public sealed class GVariantService(
    VariantIndex index, VariantRecords records, Lazy<VariantStore> store, CatalogSnapshot datasets, Lazy<DatasetCatalog> catalog, DatasetVisibility visibility,
    QueryBudgets budgets, IOptions<BeaconOptions> options, PrivacyRules privacy, IOptions<QueryBudgetOptions> budgetOptions,
    PopulationIndex populations)
{
    public const string EntityType = "genomicVariant";
    public const string DefaultSchemaId = "ga4gh-beacon-variant-v2.1.0";

    /// <summary>How g_variants decisions are named in the audit table.</summary>
    public const string Resource = "beacon:g_variants";

    public static IReadOnlyList<SchemaReference> ReturnedSchemas { get; } = [new(EntityType, DefaultSchemaId)];

    private static readonly OntologyTerm Heterozygous = new("GENO:0000135", "heterozygous");
    private static readonly OntologyTerm Homozygous = new("GENO:0000136", "homozygous");
    private static readonly OntologyTerm Hemizygous = new("GENO:0000134", "hemizygous");

    /// <summary>
    /// The answer to <paramref name="request"/> from <paramref name="caller"/>: the summary, and at record granularity the
    /// result sets. <paramref name="asked"/> is the request as it came, for the audit.
    /// </summary>
    /// <exception cref="BeaconRequestException">the request names a dataset the caller may not query</exception>
    /// <exception cref="PrivacyRefusalException">privacy rules refuse the query's shape, or the caller's budget is spent</exception>
    /// <exception cref="AuditUnavailableException">the decisions could not be recorded</exception>
    public async Task<GVariantAnswer> AnswerAsync(
        GVariantRequest request, RequestAccess access, Caller caller, string asked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(access);
        var kind = QueryKinds.Of(request.Query);
        var trail = new Trail(access, caller, asked);
        var considered = await ConsiderAsync(request, access, caller, cancellationToken);
        var requested = request.DatasetIds?.Distinct(StringComparer.Ordinal).ToList();
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

        var cost = 0.0;
        try
        {
            var byId = answering.ToDictionary(c => c.Dataset.Id, StringComparer.Ordinal);
            int HiddenBelow(string id) => byId[id].Privacy.HiddenBelow(byId[id].Standing);
            var matches = index.TryMatch(request.Query, byId.Keys, HiddenBelow) ?? store.Value.Match(request.Query, byId.Keys, HiddenBelow);
            var answers = answering.ToDictionary(
                c => c.Dataset.Id,
                c => matches.TryGetValue(c.Dataset.Id, out var m)
                    ? c.Privacy.Answer(c.Standing, m.Count, m.FewestSeenIn, CountsShown(request, c))
                    : new CountAnswer(0, false, null, CountPrecision.Exact),
                StringComparer.Ordinal);
            var answer = Answer(request, answering, answers, refused, kind, HiddenBelow);
            foreach (var c in answering)
            {
                var dataset = answers[c.Dataset.Id];
                var dataCost = !charged.Contains(c) ? 0
                    : dataset.Count == 0 ? costs.MissCost
                    : matches[c.Dataset.Id].FewestSeenIn < costs.RareBelow ? costs.RareHitCost
                    : costs.HitCost;
                cost += dataCost;
                trail.Add(c, answer.Meta.ReturnedGranularity ?? "boolean", dataset.Adjustment, dataCost);
            }

            trail.AddOthers(considered, answering, refused.ToDictionary(c => c.Dataset.Id, c => Refusal(c, kind), StringComparer.Ordinal));
            await trail.RecordAsync();
            return answer;
        }
        finally
        {
            if (reservation is not null)
            {
                budgets.Settle(reservation, cost);
            }
        }
    }

    private GVariantAnswer Answer(
        GVariantRequest request, List<Considered> answering, Dictionary<string, CountAnswer> answers, List<Considered> refused, QueryKind kind,
        Func<string, int> hiddenBelow)
    {
        var beacon = options.Value;
        var ceilings = answering.ToDictionary(c => c.Dataset.Id, c => answers[c.Dataset.Id].BooleanOnly ? Granularity.Boolean : c.Ceiling!.Value,
            StringComparer.Ordinal);
        var hits = answering.Where(c => answers[c.Dataset.Id].Count > 0).Select(c => c.Dataset.Id).ToList();

        // The returned granularity is the requested one, lowered to what every dataset with a hit allows (or, with
        // no hit, to the most any queried dataset allows): never more than a dataset's ceiling, always what is sent.
        var ceiling = hits.Count > 0
            ? hits.Min(id => ceilings[id])
            : ceilings.Count > 0 ? ceilings.Values.Max() : Granularity.Boolean;
        var returned = (Granularity)Math.Min((int)request.RequestedGranularity, (int)ceiling);
        var total = hits.Sum(id => answers[id].Count);
        var meta = Meta(beacon, request, returned);
        var info = Info(request, answering, refused, kind);
        var precision = Precision(answering.Where(c => hits.Contains(c.Dataset.Id) && CountsShown(request, c)).Select(c => c.Privacy.Precision(c.Standing)));
        if (returned == Granularity.Boolean)
        {
            return new GVariantAnswer(meta, new ResponseSummary(hits.Count > 0), null, info);
        }

        if (returned == Granularity.Count)
        {
            return new GVariantAnswer(meta, new ResponseSummary(hits.Count > 0, total, precision), null, info);
        }

        var sets = new List<ResultSet>();
        foreach (var c in answering.OrderBy(c => c.Dataset.Id, StringComparer.Ordinal))
        {
            var id = c.Dataset.Id;
            var count = answers[id].Count;
            var hit = count > 0;
            var include = request.IncludeResultsetResponses switch
            {
                ResultSetResponses.All => true,
                ResultSetResponses.Hit => hit,
                ResultSetResponses.Miss => !hit,
                _ => false,
            };
            if (!include)
            {
                continue;
            }

            var results = hit ? Documents(id, Page(request, id, hiddenBelow(id)), c.Privacy.SmallestPopulation(c.Standing)) : [];
            sets.Add(new ResultSet(id, "dataset", hit, count, results, Precision([c.Privacy.Precision(c.Standing)])));
        }

        return new GVariantAnswer(meta, new ResponseSummary(hits.Count > 0, total, precision), new ResultSetsBody(sets), info);
    }

    /// <summary>Whether the answer may show this dataset's count: the request asks for counts or records, and its ceiling allows them.</summary>
    private static bool CountsShown(GVariantRequest request, Considered c) =>
        request.RequestedGranularity != Granularity.Boolean && c.Ceiling is not Granularity.Boolean;

    /// <summary>The response's <c>info</c>: the rules that apply to each queried dataset, and the datasets not queried and why.</summary>
    private static ResponseInfo? Info(GVariantRequest request, List<Considered> answering, List<Considered> refused, QueryKind kind)
    {
        var rules = answering.Select(c => new DatasetRules(c.Dataset.Id, c.Privacy.Statements(c.Standing, CountsShown(request, c))))
            .Where(r => r.Rules.Count > 0).ToList();
        var notQueried = refused.Select(c => new DatasetNotQueried(c.Dataset.Id, Refusal(c, kind))).ToList();
        return rules.Count == 0 && notQueried.Count == 0
            ? null
            : new ResponseInfo(new PrivacyInfo(rules.Count == 0 ? null : rules, notQueried.Count == 0 ? null : notQueried));
    }

    /// <summary>The least precise of the counts summed (exact when nothing changed them), in Beacon v2.2's words.</summary>
    private static string? Precision(IEnumerable<CountPrecision> precisions)
    {
        var least = precisions.DefaultIfEmpty(CountPrecision.Exact).Max();
        return least switch
        {
            CountPrecision.Exact => null,
            CountPrecision.Rounded => "rounded",
            _ => "imprecise",
        };
    }

    private static string Refusal(Considered c, QueryKind kind) => c.Privacy.Refusal(c.Standing, kind, c.Dataset.Id, c.Dataset.Tier);

    /// <summary>An errorResponse for a refused request, echoing what was understood of it.</summary>
    public static ErrorResponse Error(BeaconOptions beacon, ReceivedRequest received, int status, string message)
    {
        ArgumentNullException.ThrowIfNull(beacon);
        ArgumentNullException.ThrowIfNull(received);
        var summary = Summary(received, received.RequestedGranularity ?? beacon.RequestSettings.DefaultGranularity);
        return new ErrorResponse(
            new ResponseMeta(beacon.Id, BeaconOptions.ApiVersion, ReturnedSchemas, summary.RequestedGranularity, summary, received.TestMode),
            new BeaconError(status, message));
    }

    /// <summary>Every dataset the request could reach, with this caller's decision, ceiling (null: hidden) and privacy rules.</summary>
    private async Task<List<Considered>> ConsiderAsync(GVariantRequest request, RequestAccess access, Caller caller, CancellationToken cancellationToken)
    {
        var beacon = options.Value;
        var considered = new List<Considered>();
        foreach (var dataset in await datasets.ListAsync(() => catalog.Value, cancellationToken))
        {
            if (request.InTestMode && !dataset.IsDemo)
            {
                continue; // testMode answers from synthetic (demo) datasets only
            }

            var decision = access.Decide(caller, dataset);
            var ceiling = visibility.IsVisible(dataset, decision) ? beacon.Ceiling(dataset.Id, dataset.Tier, decision.Granted) : null;
            var standing = decision.Grant is AccessGrant.Registered or AccessGrant.Controlled ? CallerStanding.Granted
                : caller.Passport is null ? CallerStanding.Anonymous
                : CallerStanding.Registered;
            considered.Add(new Considered(dataset, decision, ceiling, standing, privacy.For(dataset)));
        }

        return considered;
    }

    /// <summary>A dataset the request could reach: the caller's decision, ceiling (null when hidden), standing and the dataset's rules.</summary>
    private sealed record Considered(Dataset Dataset, AccessDecision Decision, Granularity? Ceiling, CallerStanding Standing, DatasetPrivacy Privacy);

    /// <summary>
    /// The audit rows of one request, one per dataset it could reach, recorded as one unit (all or none, in one batch)
    /// and awaited before the answer or the refusal goes out.
    /// </summary>
    private sealed class Trail(RequestAccess access, Caller caller, string asked)
    {
        private readonly List<AuditedDecision> decisions = [];

        /// <summary>The row of a dataset answered.</summary>
        public void Add(Considered c, string returned, string? adjustment, double cost) =>
            decisions.Add(new AuditedDecision(c.Decision, true, c.Ceiling!.Value.ToName(), new AuditDetails(asked, returned, adjustment, cost)));

        /// <summary>Rows for the datasets not answered: hidden from the caller, not named, or refused by a rule (with why).</summary>
        public void AddOthers(List<Considered> considered, List<Considered> answering, IReadOnlyDictionary<string, string>? reasons = null)
        {
            foreach (var c in considered.Except(answering))
            {
                var why = reasons?.GetValueOrDefault(c.Dataset.Id);
                decisions.Add(new AuditedDecision(why is null ? c.Decision : c.Decision with { Reason = $"{c.Decision.Reason}; {why}" },
                    false, "none", new AuditDetails(asked, why is null ? null : "error", null, 0)));
            }
        }

        public Task RefuseAllAsync(List<Considered> considered, IReadOnlyDictionary<string, string>? reasons = null)
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

            return access.AuditAsync(caller, Resource, decisions);
        }
    }

    private static ResponseMeta Meta(BeaconOptions beacon, GVariantRequest request, Granularity returned) =>
        new(beacon.Id, BeaconOptions.ApiVersion, ReturnedSchemas, returned.ToName(), Summary(request.Received, request.RequestedGranularity),
            request.InTestMode);

    private static ReceivedRequestSummary Summary(ReceivedRequest received, Granularity granularity)
    {
        var parameters = received.Parameters;
        var variant = parameters.HasVariantParameters ? parameters : null;
        var datasets = parameters.DatasetIds is { } ids ? new EchoedDatasets(ids) : null;
        return new ReceivedRequestSummary(
            received.Meta.ApiVersion ?? BeaconOptions.ApiVersion,
            received.Meta.RequestedSchemas.Count > 0 ? received.Meta.RequestedSchemas : ReturnedSchemas,
            new PaginationEcho(received.Skip, received.Limit),
            granularity.ToName(),
            received.IncludeResultsetResponses switch
            {
                ResultSetResponses.Hit => "HIT",
                ResultSetResponses.Miss => "MISS",
                ResultSetResponses.All => "ALL",
                ResultSetResponses.None => "NONE",
                _ => null,
            },
            variant is null && datasets is null ? null : new EchoedParameters(variant, datasets),
            null,
            received.TestMode);
    }

    // From the index and the records read before when the index answers the query; from DuckDB otherwise.
    private IReadOnlyList<StoredVariant> Page(GVariantRequest request, string datasetId, int hiddenBelow) =>
        index.TryPage(request.Query, datasetId, request.Skip, request.Limit, hiddenBelow) is { } alleles
            ? records.Page(datasetId, alleles, (dataset, assembly, chromosome, first, last) => store.Value.Rows(
                dataset, assembly, index.FileIds(dataset, id => store.Value.FileIds(id)).GetValueOrDefault(assembly) ?? [], chromosome, first, last))
            : store.Value.Page(request.Query, datasetId, request.Skip, request.Limit, hiddenBelow);

    /// <param name="smallestPopulation">populations with fewer members are left out of the frequencies (0: none is)</param>
    private List<GenomicVariation> Documents(string datasetId, IReadOnlyList<StoredVariant> variants, int smallestPopulation)
    {
        var individuals = index.IndividualIds(datasetId, id => store.Value.IndividualIds(id));
        var shown = populations.For(datasetId, id => store.Value.FileSamples(id)).ShownTo(smallestPopulation);
        return variants.Select(variant => Document(datasetId, variant, individuals, shown)).ToList();
    }

    /// <summary>
    /// A genomicVariations document for a stored variant of a dataset whose records the caller may see, with the
    /// frequencies of the dataset's <paramref name="populations"/> the caller may be given.
    /// </summary>
    public static GenomicVariation Document(
        string datasetId, StoredVariant variant, IReadOnlyDictionary<int, string> individuals, DatasetPopulations populations)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(individuals);
        var symbolic = variant.Alt.Length > 0 && Alleles.IsSymbolic(variant.Alt);
        var sequenceId = ReferenceNames.TryAccession(variant.Assembly, variant.Chromosome, out var accession)
            ? $"refseq:{accession}"
            : $"{variant.Assembly}:{variant.Chromosome}";
        var location = new VrsLocation("SequenceLocation", sequenceId,
            new VrsInterval("SequenceInterval", new VrsNumber("Number", variant.Start), new VrsNumber("Number", variant.End)));
        var variation = symbolic
            ? new Variation(null, location, null, variant.VariantType, "", "")
            : new Variation("Allele", location, new VrsState("LiteralSequenceExpression", variant.Alt));

        var hgvs = symbolic ? null : GenomicHgvs(accession ?? $"{variant.Chromosome}", variant);
        var identifiers = hgvs is null && variant.TranscriptHgvs.Count == 0 && variant.ProteinHgvs.Count == 0
            ? null
            : new Identifiers(hgvs, NullIfEmpty(variant.TranscriptHgvs), NullIfEmpty(variant.ProteinHgvs));
        var molecular = variant.Genes.Count == 0 && variant.Effects.Count == 0 && variant.AminoacidChanges.Count == 0
            ? null
            : new MolecularAttributes(
                NullIfEmpty(variant.Genes),
                variant.Effects.Count == 0 ? null : variant.Effects.Select(e => new OntologyTerm(SequenceOntology.IdOf(e), e)).ToList(),
                NullIfEmpty(variant.AminoacidChanges));
        // Counts from genotypes name their carriers; a sites-only VCF's INFO AC/AN have none to name. With no called
        // allele at all there is no frequency to give (not a frequency of 0). All populations in one entry: clients
        // read the first entry's list (docs/population-frequencies.md).
        var fromGenotypes = variant.CarrierCount > 0 || variant.AlleleCount == 0;
        var perPopulation = PopulationFrequencies.Of(variant, populations);
        FrequencyInPopulations[]? frequencies = perPopulation.Count == 0 ? null :
        [
            new FrequencyInPopulations(
                $"Genome Node dataset {datasetId}",
                fromGenotypes ? $"genotypes of dataset {datasetId}" : $"INFO AC/AN of dataset {datasetId}'s sites-only VCF",
                perPopulation),
        ];
        var cases = new List<CaseLevelVariant>(variant.CarrierCount);
        void AddCases(IReadOnlyList<int> samples, OntologyTerm zygosity)
        {
            foreach (var sample in samples)
            {
                var id = individuals.TryGetValue(sample, out var name) ? name : $"sample-{sample}";
                cases.Add(new CaseLevelVariant(id, id, zygosity));
            }
        }

        AddCases(variant.Heterozygous, Heterozygous);
        AddCases(variant.Homozygous, Homozygous);
        AddCases(variant.Hemizygous, Hemizygous);
        cases.Sort((a, b) => string.CompareOrdinal(a.IndividualId, b.IndividualId));
        return new GenomicVariation(variant.VariantInternalId, variation, identifiers, molecular, frequencies, cases.Count == 0 ? null : cases);
    }

    /// <summary>The genomic HGVS of a stored (left-trimmed, not 3'-shifted) allele.</summary>
    public static string GenomicHgvs(string sequence, StoredVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var first = variant.Start + 1;
        var change = variant.VariantType switch
        {
            "SNP" => $"{first}{variant.Ref}>{variant.Alt}",
            "DEL" => variant.End - variant.Start == 1 ? $"{first}del" : $"{first}_{variant.End}del",
            "INS" => $"{variant.Start}_{variant.Start + 1}ins{variant.Alt}",
            _ => variant.End - variant.Start == 1 ? $"{first}delins{variant.Alt}" : $"{first}_{variant.End}delins{variant.Alt}",
        };
        return FormattableString.Invariant($"{sequence}:g.{change}");
    }

    private static List<string>? NullIfEmpty(IReadOnlyList<string> values) => values.Count == 0 ? null : [.. values];
}

/// <summary>The answer to a g_variants request: the summary, with the result sets at record granularity.</summary>
public sealed record GVariantAnswer(ResponseMeta Meta, ResponseSummary Summary, ResultSetsBody? ResultSets, ResponseInfo? Info = null);
