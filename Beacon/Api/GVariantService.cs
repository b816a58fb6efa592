using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Filters;
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
    VariantIndex index, VariantRecords records, Lazy<VariantStore> store, DatasetQueries queries, IOptions<BeaconOptions> options,
    EntryIndex entries, IOntologyTerms ontology, PopulationIndex populations)
{
    public const string EntityType = "genomicVariant";
    public const string DefaultSchemaId = "ga4gh-beacon-variant-v2.1.0";

    /// <summary>How g_variants decisions are named in the audit table.</summary>
    public const string Resource = "beacon:g_variants";

    public static IReadOnlyList<SchemaReference> ReturnedSchemas { get; } = [new(EntityType, DefaultSchemaId)];

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
        var admitted = await queries.AdmitAsync(Resource, kind, request.DatasetIds, request.InTestMode, access, caller, asked, cancellationToken);
        var answering = admitted.Answering;
        var cost = 0.0;
        try
        {
            var byId = answering.ToDictionary(c => c.Dataset.Id, StringComparer.Ordinal);
            int HiddenBelow(string id) => byId[id].Privacy.HiddenBelow(byId[id].Standing);
            var warnings = new List<string>();
            Dictionary<string, Matches> matches;
            Dictionary<string, IReadOnlySet<int>?>? carriersAmong = null;
            if (request.Filters.Count == 0)
            {
                matches = index.TryMatch(request.Query, byId.Keys, HiddenBelow) ?? store.Value.Match(request.Query, byId.Keys, HiddenBelow);
            }
            else
            {
                // Filters select individuals; a variant matches when one of them carries it (read from DuckDB with its carriers).
                var selections = byId.Keys.ToDictionary(
                    id => id, id => FilterMatcher.Apply(entries.For(id), EntryType.GenomicVariation, request.Filters, ontology), StringComparer.Ordinal);
                warnings.AddRange(FilterMatcher.WarningsOfAll([.. selections.Values]));
                carriersAmong = selections.ToDictionary(p => p.Key, p => p.Value.Individuals, StringComparer.Ordinal);
                matches = new Dictionary<string, Matches>(StringComparer.Ordinal);
                foreach (var id in byId.Keys)
                {
                    var carried = store.Value.Carried(request.Query, id, carriersAmong[id], HiddenBelow(id)).ToList();
                    if (carried.Count > 0)
                    {
                        matches[id] = new Matches(carried.Count, carried.Min(v => v.SeenIn));
                    }
                }
            }

            var answers = answering.ToDictionary(
                c => c.Dataset.Id,
                c => matches.TryGetValue(c.Dataset.Id, out var m)
                    ? c.Privacy.Answer(c.Standing, m.Count, m.FewestSeenIn, CountsShown(request.RequestedGranularity, c))
                    : new CountAnswer(0, false, null, CountPrecision.Exact),
                StringComparer.Ordinal);
            var decided = Decide(request, admitted, answers, warnings);
            foreach (var c in answering)
            {
                var dataset = answers[c.Dataset.Id];
                var dataCost = queries.Cost(admitted, c, dataset.Count, matches.TryGetValue(c.Dataset.Id, out var m) ? m.FewestSeenIn : 0);
                cost += dataCost;
                admitted.Trail.Add(c, decided.Meta.ReturnedGranularity ?? "boolean", dataset.Adjustment, dataCost);
            }

            // The rows say what the counts decided, so they are made durable while the records are read: at scale the
            // 0.6-1 ms of the append and fsync pass during the records' statement instead of after it.
            return await admitted.RecordWhileAsync(() => Answer(request, decided, answering, answers, HiddenBelow, carriersAmong));
        }
        finally
        {
            queries.Settle(admitted, cost);
        }
    }

    /// <summary>What the answer will be, from the counts alone: its shape, meta and info (no records read yet).</summary>
    private Decided Decide(GVariantRequest request, AdmittedQuery admitted, Dictionary<string, CountAnswer> answers, List<string> warnings)
    {
        var counts = admitted.Counted(answers, request.RequestedGranularity);
        return new Decided(counts, Meta(options.Value, request, counts.Returned), Info(request.RequestedGranularity, admitted, warnings));
    }

    private GVariantAnswer Answer(
        GVariantRequest request, Decided decided, List<ConsideredDataset> answering, Dictionary<string, CountAnswer> answers,
        Func<string, int> hiddenBelow, Dictionary<string, IReadOnlySet<int>?>? carriersAmong)
    {
        var ((hits, returned, total, precision), meta, info) = decided;
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
            if (!AdmittedQuery.Includes(request.IncludeResultsetResponses, hit))
            {
                continue;
            }

            var page = carriersAmong is null
                ? Page(request, id, hiddenBelow(id))
                : store.Value.Carried(request.Query, id, carriersAmong[id], hiddenBelow(id)).Skip((int)Math.Min(request.Skip, int.MaxValue))
                    .Take((int)Math.Min(request.Limit, int.MaxValue)).ToList();
            var results = hit ? Documents(id, page, c.Privacy.SmallestPopulation(c.Standing)) : [];
            sets.Add(new ResultSet(id, "dataset", hit, count, results, Precision([c.Privacy.Precision(c.Standing)])));
        }

        return new GVariantAnswer(meta, new ResponseSummary(hits.Count > 0, total, precision), new ResultSetsBody(sets), info);
    }

    /// <summary>Whether the answer may show this dataset's count: the request asks for counts or records, and its ceiling allows them.</summary>
    internal static bool CountsShown(Granularity requested, ConsideredDataset c) =>
        requested != Granularity.Boolean && c.Ceiling is not Granularity.Boolean;

    /// <summary>
    /// The response's <c>info</c>: the rules that apply to each queried dataset, the datasets not queried and why, and
    /// warnings (filters the beacon could not apply).
    /// </summary>
    internal static ResponseInfo? Info(Granularity requested, AdmittedQuery admitted, IReadOnlyList<string> warnings)
    {
        var rules = admitted.Answering.Select(c => new DatasetRules(c.Dataset.Id, c.Privacy.Statements(c.Standing, CountsShown(requested, c))))
            .Where(r => r.Rules.Count > 0).ToList();
        var notQueried = admitted.Refused.Select(c => new DatasetNotQueried(c.Dataset.Id, DatasetQueries.Refusal(c, admitted.Kind))).ToList();
        var privacy = rules.Count == 0 && notQueried.Count == 0 ? null : new PrivacyInfo(rules.Count == 0 ? null : rules, notQueried.Count == 0 ? null : notQueried);
        return privacy is null && warnings.Count == 0 ? null : new ResponseInfo(privacy, warnings.Count == 0 ? null : [.. warnings.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>The least precise of the counts summed (exact when nothing changed them), in Beacon v2.2's words.</summary>
    internal static string? Precision(IEnumerable<CountPrecision> precisions)
    {
        var least = precisions.DefaultIfEmpty(CountPrecision.Exact).Max();
        return least switch
        {
            CountPrecision.Exact => null,
            CountPrecision.Rounded => "rounded",
            _ => "imprecise",
        };
    }

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

    private static ResponseMeta Meta(BeaconOptions beacon, GVariantRequest request, Granularity returned) =>
        new(beacon.Id, BeaconOptions.ApiVersion, ReturnedSchemas, returned.ToName(), Summary(request.Received, request.RequestedGranularity),
            request.InTestMode);

    internal static ReceivedRequestSummary Summary(ReceivedRequest received, Granularity granularity, IReadOnlyList<SchemaReference>? returnedSchemas = null)
    {
        var parameters = received.Parameters;
        var variant = parameters.HasVariantParameters ? parameters : null;
        var datasets = parameters.DatasetIds is { } ids ? new EchoedDatasets(ids) : null;
        return new ReceivedRequestSummary(
            received.Meta.ApiVersion ?? BeaconOptions.ApiVersion,
            received.Meta.RequestedSchemas.Count > 0 ? received.Meta.RequestedSchemas : returnedSchemas ?? ReturnedSchemas,
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
            received.Filters.Count == 0 ? null : [.. received.Filters.Select(f => f.Id)],
            received.TestMode);
    }

    // From the index and the records read before when the index answers the query; from DuckDB otherwise.
    private IReadOnlyList<StoredVariant> Page(GVariantRequest request, string datasetId, int hiddenBelow) =>
        index.TryPage(request.Query, datasetId, request.Skip, request.Limit, hiddenBelow) is { } alleles
            ? records.Page(datasetId, alleles, (dataset, assembly, chromosome, first, last) => store.Value.Rows(
                dataset, assembly, index.FileIds(dataset, id => store.Value.FileIds(id)).GetValueOrDefault(assembly) ?? [], chromosome, first, last))
            : store.Value.Page(request.Query, datasetId, request.Skip, request.Limit, hiddenBelow);

    /// <param name="smallestPopulation">populations with fewer members are left out of the frequencies (0: none is)</param>
    /// <summary>The documents of a page of a dataset's variants, with the populations a caller may be given (none smaller than <paramref name="smallestPopulation"/>).</summary>
    internal List<GenomicVariation> Documents(string datasetId, IReadOnlyList<StoredVariant> variants, int smallestPopulation)
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
        string datasetId, StoredVariant variant, SampleNames individuals, DatasetPopulations populations)
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
        return new GenomicVariation(variant.VariantInternalId, variation, identifiers, molecular, frequencies, CaseLevelData(variant, individuals));
    }

    /// <summary>The variant's carriers with their zygosity, in the ordinal order of their ids; null without carriers.</summary>
    private static IReadOnlyList<CaseLevelVariant>? CaseLevelData(StoredVariant variant, SampleNames individuals)
    {
        IReadOnlyList<int>[] carriers = [variant.Heterozygous, variant.Homozygous, variant.Hemizygous];
        if (carriers.All(samples => samples.Count == 0))
        {
            return null;
        }

        if (CarrierCases.Of(carriers, individuals) is { } cases)
        {
            return cases;
        }

        return ByIdText(carriers, individuals);
    }

    // A carrier without an id (one the individuals table does not name) is listed as sample-{index}, by its text.
    private static List<CaseLevelVariant> ByIdText(IReadOnlyList<int>[] carriers, SampleNames individuals)
    {
        var cases = new List<CaseLevelVariant>();
        for (var zygosity = 0; zygosity < carriers.Length; zygosity++)
        {
            foreach (var sample in carriers[zygosity])
            {
                var id = individuals.IdOf(sample);
                cases.Add(new CaseLevelVariant(id, id, CarrierCases.Zygosities[zygosity]));
            }
        }

        cases.Sort((a, b) => string.CompareOrdinal(a.IndividualId, b.IndividualId));
        return cases;
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

/// <summary>An answer as its counts decide it, before its records are read.</summary>
internal sealed record Decided(AnsweredCounts Counts, ResponseMeta Meta, ResponseInfo? Info);
