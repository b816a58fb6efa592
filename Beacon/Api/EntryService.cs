using System.Text.Json;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Filters;
using GenomeNode.Beacon.Privacy;
using GenomeNode.Beacon.Requests;
using GenomeNode.Beacon.Store;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Api;

/// <summary>
/// Where an entry query starts: a collection (<c>/api/individuals</c>), one entry (<c>/api/individuals/{id}</c>) or the
/// entries related to one (<c>/api/individuals/{id}/biosamples</c>, <c>/api/g_variants/{id}/individuals</c>,
/// <c>/api/datasets/{id}/individuals</c>, ...).
/// </summary>
/// <param name="From">the type of the entry named in the path, null for a collection</param>
/// <param name="Id">the id named in the path</param>
/// <param name="Variant">for a path from a genomic variation, the variant its id names</param>
public sealed record EntryPath(EntryType? From, string? Id, VariantQuery? Variant = null)
{
    public static EntryPath Collection { get; } = new(null, null);
}

/// <summary>The answer to an entry query: the summary, and the result sets when counts per dataset or records are returned.</summary>
public sealed record EntryAnswer(ResponseMeta Meta, ResponseSummary Summary, EntryResultSetsBody? ResultSets, ResponseInfo? Info);

/// <summary>
/// Answers queries on individuals, biosamples, runs and analyses, and the cross-entry queries between them and genomic
/// variations, under the same rules as g_variants (<see cref="DatasetQueries"/>): per dataset, the entries the path
/// starts from, narrowed by the filters (<see cref="FilterMatcher"/>) and by the variant parameters (the individuals
/// carrying a matching variant), counted under the dataset's privacy rules, and returned at the granularity the
/// caller may see. Entries come from memory (<see cref="EntryIndex"/>); only variant parameters reach DuckDB.
/// </summary>
public sealed class EntryService(
    EntryIndex entries, Lazy<VariantStore> store, GVariantService variants, DatasetQueries queries, IOptions<BeaconOptions> options, IOntologyTerms ontology)
{
    /// <summary>How queries on an entry type are named in the audit table.</summary>
    public static string Resource(EntryType type) => $"beacon:{type.PathSegment()}";

    public static string SchemaId(EntryType type) => $"beacon-{type.Name()}-v2.0.0";

    /// <summary>The schemas an answer on <paramref name="type"/> returns.</summary>
    public static IReadOnlyList<SchemaReference> ReturnedSchemas(EntryType type) =>
        type == EntryType.GenomicVariation ? GVariantService.ReturnedSchemas : [new(type.Name(), SchemaId(type))];

    /// <summary>The answer to a query on <paramref name="target"/> entries starting at <paramref name="path"/>.</summary>
    /// <exception cref="BeaconRequestException">the request names a dataset the caller may not query</exception>
    /// <exception cref="PrivacyRefusalException">privacy rules refuse the query's shape, or the caller's budget is spent</exception>
    /// <exception cref="AuditUnavailableException">the decisions could not be recorded</exception>
    public async Task<EntryAnswer> AnswerAsync(
        EntryType target, EntryPath path, EntryRequest request, RequestAccess access, Caller caller, string asked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(request);
        // The shape privacy rules judge: the variant the path or the parameters name, else a query by filters or ids.
        var variant = path.Variant ?? request.Query;
        var kind = variant is not null ? QueryKinds.Of(variant) : QueryKind.Filters;
        var admitted = await queries.AdmitAsync(Resource(target), kind, request.DatasetIds, request.InTestMode, access, caller, asked, cancellationToken);
        var cost = 0.0;
        try
        {
            var selections = new List<FilterResult>();
            var found = new Dictionary<string, Found>(StringComparer.Ordinal);
            var answers = new Dictionary<string, CountAnswer>(StringComparer.Ordinal);
            foreach (var c in admitted.Answering)
            {
                var id = c.Dataset.Id;
                var hiddenBelow = c.Privacy.HiddenBelow(c.Standing);
                var result = Find(target, path, request, entries.For(id), hiddenBelow, selections);
                found[id] = result;
                // A count of entries is a count of people (or of their samples): the group size is the count itself.
                var fewest = target == EntryType.GenomicVariation ? result.FewestSeenIn : (int)Math.Min(result.Count, int.MaxValue);
                answers[id] = result.Count == 0
                    ? new CountAnswer(0, false, null, CountPrecision.Exact)
                    : c.Privacy.Answer(c.Standing, result.Count, fewest, GVariantService.CountsShown(request.RequestedGranularity, c));
            }

            var decided = Decide(target, request, admitted, answers, [.. FilterMatcher.WarningsOfAll(selections)]);
            foreach (var c in admitted.Answering)
            {
                var dataCost = queries.Cost(admitted, c, answers[c.Dataset.Id].Count, found[c.Dataset.Id].FewestSeenIn);
                cost += dataCost;
                admitted.Trail.Add(c, decided.Meta.ReturnedGranularity ?? "boolean", answers[c.Dataset.Id].Adjustment, dataCost);
            }

            // As for g_variants: the rows become durable while the records (a variant page from DuckDB) are read.
            return await admitted.RecordWhileAsync(() => Answer(request, decided, admitted.Answering, answers, found));
        }
        finally
        {
            queries.Settle(admitted, cost);
        }
    }

    /// <summary>What one dataset holds for the query: the count, and the records (entries or variants) when asked for.</summary>
    private sealed record Found(long Count, int FewestSeenIn, IReadOnlyList<Entry> Entries, Func<long, long, IReadOnlyList<StoredVariant>>? Variants);

    private Found Find(EntryType target, EntryPath path, EntryRequest request, DatasetEntries dataset, int hiddenBelow, List<FilterResult> selections)
    {
        var selected = FilterMatcher.Apply(dataset, target, request.Filters, ontology);
        selections.Add(selected);
        if (!Starts(path, dataset, out var from))
        {
            return new Found(0, 0, [], null);
        }

        if (target == EntryType.GenomicVariation)
        {
            // Variants carried by the individuals the path starts from (all of the dataset's for a dataset or cohort)
            // and the filters select.
            var among = Intersect(from is null ? null : IndividualsOf(dataset, from), selected.Individuals);
            var variants = store.Value.Carried(request.Query, dataset.DatasetId, among, hiddenBelow).ToList();
            return new Found(variants.Count, variants.Count == 0 ? 0 : variants.Min(v => v.SeenIn), [],
                (skip, limit) => variants.Skip((int)Math.Min(skip, int.MaxValue)).Take((int)Math.Min(limit, int.MaxValue)).ToList());
        }

        IEnumerable<Entry> candidates = selected.Entries ?? dataset.Of(target);
        if (from is not null)
        {
            var related = Related(dataset, from, target).ToHashSet();
            candidates = candidates.Where(related.Contains);
        }

        if (path.From == EntryType.GenomicVariation)
        {
            var carriers = store.Value.CarriersOf(path.Variant!, dataset.DatasetId, hiddenBelow);
            candidates = candidates.Where(e => carriers.Contains(e.Individual));
        }

        if (request.Query is not null)
        {
            var carriers = store.Value.CarriersOf(request.Query, dataset.DatasetId, hiddenBelow);
            candidates = candidates.Where(e => carriers.Contains(e.Individual));
        }

        var list = candidates.ToList();
        return new Found(list.Count, list.Count, list, null);
    }

    /// <summary>
    /// Whether the path reaches this dataset, and the entry it starts from (null: the whole dataset, for a collection,
    /// a dataset's or a cohort's path, or a variant's).
    /// </summary>
    private static bool Starts(EntryPath path, DatasetEntries dataset, out Entry? from)
    {
        from = null;
        switch (path.From)
        {
            case null or EntryType.GenomicVariation:
                return true;
            case EntryType.Dataset:
                return string.Equals(path.Id, dataset.DatasetId, StringComparison.Ordinal);
            case EntryType.Cohort:
                // A cohort of this node is the cohort of its dataset's individuals (docs/beacon-entries.md).
                return dataset.Find(EntryType.Cohort, path.Id!) is not null;
            default:
                from = dataset.Find(path.From.Value, path.Id!);
                return from is not null;
        }
    }

    private static IReadOnlySet<int>? Intersect(IReadOnlySet<int>? a, IReadOnlySet<int>? b) =>
        a is null ? b : b is null ? a : a.Where(b.Contains).ToHashSet();

    private static HashSet<int> IndividualsOf(DatasetEntries dataset, Entry entry) =>
        entry.Individual >= 0 ? [entry.Individual] : [];

    /// <summary>
    /// The entries of <paramref name="target"/> related to <paramref name="from"/>: itself, those it links to and those
    /// linking to it (a run's biosample, a biosample's runs), else those of the same individual.
    /// </summary>
    private static IEnumerable<Entry> Related(DatasetEntries dataset, Entry from, EntryType target)
    {
        if (from.Type == target)
        {
            return [from];
        }

        var linked = target switch
        {
            EntryType.Biosample when from.BiosampleId is { } biosample => dataset.Find(EntryType.Biosample, biosample) is { } b ? [b] : [],
            EntryType.Run when from.RunId is { } run => dataset.Find(EntryType.Run, run) is { } r ? [r] : [],
            EntryType.Run when from.Type == EntryType.Biosample => dataset.Of(EntryType.Run).Where(r => r.BiosampleId == from.Id).ToList(),
            EntryType.Analysis when from.Type == EntryType.Run => dataset.Of(EntryType.Analysis).Where(a => a.RunId == from.Id).ToList(),
            EntryType.Analysis when from.Type == EntryType.Biosample => dataset.Of(EntryType.Analysis).Where(a => a.BiosampleId == from.Id).ToList(),
            _ => null,
        };
        return linked ?? (from.Individual < 0 ? [] : dataset.Of(target).Where(e => e.Individual == from.Individual));
    }

    /// <summary>What the answer will be, from the counts alone: its shape, meta and info (no records read yet).</summary>
    private Decided Decide(EntryType target, EntryRequest request, AdmittedQuery admitted, Dictionary<string, CountAnswer> answers, List<string> warnings)
    {
        var counts = admitted.Counted(answers, request.RequestedGranularity);
        var meta = new ResponseMeta(options.Value.Id, BeaconOptions.ApiVersion, ReturnedSchemas(target), counts.Returned.ToName(),
            GVariantService.Summary(request.Received, request.RequestedGranularity, ReturnedSchemas(target)), request.InTestMode);
        return new Decided(counts, meta, GVariantService.Info(request.RequestedGranularity, admitted, warnings));
    }

    private EntryAnswer Answer(
        EntryRequest request, Decided decided, List<ConsideredDataset> answering, Dictionary<string, CountAnswer> answers, Dictionary<string, Found> found)
    {
        var ((hits, returned, total, precision), meta, info) = decided;
        if (returned == Granularity.Boolean)
        {
            return new EntryAnswer(meta, new ResponseSummary(hits.Count > 0), null, info);
        }

        var summary = new ResponseSummary(hits.Count > 0, total, precision);
        if (returned == Granularity.Count && request.RequestedGranularity == Granularity.Count)
        {
            return new EntryAnswer(meta, summary, null, info);
        }

        // Asked for records: each dataset's count, with its records where the caller may see them. A count-only caller
        // still gets the counts per dataset (what a portal reads from resultSets), with no records.
        var sets = new List<EntryResultSet>();
        foreach (var c in answering.OrderBy(c => c.Dataset.Id, StringComparer.Ordinal))
        {
            var id = c.Dataset.Id;
            var count = answers[id].Count;
            var hit = count > 0;
            if (!AdmittedQuery.Includes(request.IncludeResultsetResponses, hit))
            {
                continue;
            }

            var records = hit && returned == Granularity.Record
                ? Records(id, found[id], request.Skip, request.Limit, c.Privacy.SmallestPopulation(c.Standing))
                : [];
            sets.Add(new EntryResultSet(id, "dataset", hit, count, records, GVariantService.Precision([c.Privacy.Precision(c.Standing)])));
        }

        return new EntryAnswer(meta, summary, new EntryResultSetsBody(sets), info);
    }

    private List<JsonElement> Records(string datasetId, Found found, long skip, long limit, int smallestPopulation)
    {
        if (found.Variants is { } page)
        {
            return [.. variants.Documents(datasetId, page(skip, limit), smallestPopulation)
                .Select(v => JsonSerializer.SerializeToElement(v, BeaconJsonContext.Default.GenomicVariation))];
        }

        return [.. found.Entries.Skip((int)Math.Min(skip, int.MaxValue)).Take((int)Math.Min(limit, int.MaxValue)).Select(Document)];
    }

    /// <summary>
    /// The entry's document; an individual known only as a VCF sample has none and is given the two fields the model
    /// requires (its id, and sex unknown).
    /// </summary>
    public static JsonElement Document(Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Document is { } bytes)
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }

        return JsonSerializer.SerializeToElement(new SampleOnlyIndividual(entry.Id, UnknownSex), BeaconJsonContext.Default.SampleOnlyIndividual);
    }

    private static readonly OntologyTerm UnknownSex = new("NCIT:C17998", "Unknown");
}

/// <summary>An individual known only as a VCF sample: its id, and sex unknown (both required by the model).</summary>
public sealed record SampleOnlyIndividual(string Id, OntologyTerm Sex);
