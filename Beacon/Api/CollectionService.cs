using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Filters;
using GenomeNode.Beacon.Privacy;
using GenomeNode.Beacon.Requests;
using GenomeNode.DataUseOntology.DataUse;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Storage;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Api;

/// <summary>
/// The collections: datasets (the catalog's, as far as the caller may learn of them, with their DUO data use
/// conditions and collection counts) and cohorts (imported per dataset, with their dataset's counts). Filters keep a
/// collection when they select at least one of its individuals, where the caller may filter that dataset at all.
/// </summary>
public sealed class CollectionService(
    DatasetQueries queries, EntryIndex entries, IOntologyTerms ontology, IOptions<BeaconOptions> options, DataUseViews dataUseViews,
    Lazy<DatasetDataUse> dataUse, Lazy<OntologyStore> ontologies, Lazy<GenomeNode.Beacon.Store.VariantStore> store)
{
    /// <summary>The datasets or cohorts (<paramref name="type"/>) the caller may see, or the one named <paramref name="id"/>.</summary>
    /// <exception cref="AuditUnavailableException">the decisions could not be recorded</exception>
    public async Task<CollectionsResponse> AnswerAsync(
        EntryType type, string? id, EntryRequest request, RequestAccess access, Caller caller, string asked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trail = new QueryTrail(access, caller, asked, EntryService.Resource(type));
        var considered = await queries.ConsiderAsync(request.InTestMode, access, caller, cancellationToken);
        var visible = considered.Where(c => c.Ceiling is not null
            && (request.DatasetIds is null || request.DatasetIds.Contains(c.Dataset.Id, StringComparer.Ordinal))).ToList();
        var selections = new List<FilterResult>();
        var notFiltered = new List<DatasetNotQueried>();
        var collections = new List<JsonElement>();
        var answered = new List<ConsideredDataset>();
        foreach (var c in visible.OrderBy(c => c.Dataset.Id, StringComparer.Ordinal))
        {
            var held = entries.For(c.Dataset.Id);
            if (request.Filters.Count > 0)
            {
                if (!c.Privacy.Allows(c.Standing, QueryKind.Filters))
                {
                    notFiltered.Add(new DatasetNotQueried(c.Dataset.Id, DatasetQueries.Refusal(c, QueryKind.Filters)));
                    continue;
                }

                var selected = FilterMatcher.Apply(held, EntryType.Individual, request.Filters, ontology);
                selections.Add(selected);
                if (selected.Entries is not { Count: > 0 })
                {
                    answered.Add(c);
                    continue;
                }
            }

            answered.Add(c);
            var counts = Counts(held);
            if (type == EntryType.Dataset)
            {
                if (id is null || id == c.Dataset.Id)
                {
                    collections.Add(DatasetDocument(c, held, counts));
                }
            }
            else
            {
                foreach (var cohort in held.Of(EntryType.Cohort).Where(e => id is null || e.Id == id))
                {
                    collections.Add(WithCounts(EntryService.Document(cohort), counts));
                }
            }
        }

        foreach (var c in answered)
        {
            trail.Add(c, "record", null, 0);
        }

        trail.AddOthers(considered, answered, notFiltered.ToDictionary(n => n.DatasetId, n => n.Reason, StringComparer.Ordinal));
        await trail.RecordAsync();
        var beacon = options.Value;
        var page = collections.Skip((int)Math.Min(request.Skip, int.MaxValue)).Take((int)Math.Min(request.Limit, int.MaxValue)).ToList();
        var meta = new ResponseMeta(beacon.Id, BeaconOptions.ApiVersion, EntryService.ReturnedSchemas(type), Granularity.Record.ToName(),
            GVariantService.Summary(request.Received, request.RequestedGranularity, EntryService.ReturnedSchemas(type)), request.InTestMode);
        var warnings = FilterMatcher.WarningsOfAll(selections);
        var privacy = notFiltered.Count == 0 ? null : new PrivacyInfo(null, notFiltered);
        var info = privacy is null && warnings.Count == 0 ? null : new ResponseInfo(privacy, warnings.Count == 0 ? null : warnings);
        return new CollectionsResponse(meta, new ResponseSummary(collections.Count > 0, collections.Count), new CollectionsBody(page), info);
    }

    /// <summary>How many entries of each type the dataset holds, and its genomic variations.</summary>
    private Dictionary<string, long> Counts(DatasetEntries held)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["individuals"] = held.Of(EntryType.Individual).Count,
            ["biosamples"] = held.Of(EntryType.Biosample).Count,
            ["runs"] = held.Of(EntryType.Run).Count,
            ["analyses"] = held.Of(EntryType.Analysis).Count,
            ["cohorts"] = held.Of(EntryType.Cohort).Count,
            ["genomicVariations"] = store.Value.VariantCount(held.DatasetId),
        };
        return counts;
    }

    /// <summary>
    /// The dataset as Beacon's model has it: the catalog's id, name and description, what an imported datasets.json
    /// adds, its DUO data use conditions, and its counts in <c>info.counts</c>.
    /// </summary>
    private JsonElement DatasetDocument(ConsideredDataset c, DatasetEntries held, Dictionary<string, long> counts)
    {
        var document = held.DatasetDocument is { } imported ? (JsonObject)JsonNode.Parse(imported.Document!.Value.Span)! : [];
        document["id"] = c.Dataset.Id;
        document["name"] ??= c.Dataset.Name;
        if (c.Dataset.Description is { } description)
        {
            document["description"] ??= description;
        }

        document["createDateTime"] ??= c.Dataset.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (dataUseViews.Get(c.Dataset.Id, () => DataUseEndpoints.Build(c.Dataset.Id, dataUse.Value, ontologies.Value)) is { } view)
        {
            var duo = new JsonArray();
            foreach (var term in view.DuoDataUse)
            {
                var node = new JsonObject { ["id"] = term.Id, ["version"] = term.Version };
                if (term.Label is { } label)
                {
                    node["label"] = label;
                }

                if (term.Modifiers is { Count: > 0 } modifiers)
                {
                    node["modifiers"] = new JsonArray([.. modifiers.Select(m => (JsonNode)new JsonObject { ["id"] = m.Id, ["label"] = m.Label })]);
                }

                duo.Add(node);
            }

            document["dataUseConditions"] = new JsonObject { ["duoDataUse"] = duo };
        }

        return WithCounts(JsonSerializer.SerializeToElement(document, BeaconJsonContext.Default.JsonObject), counts);
    }

    /// <summary>The document with the counts of its collection in <c>info.counts</c> (other info kept).</summary>
    private static JsonElement WithCounts(JsonElement document, Dictionary<string, long> counts)
    {
        var node = JsonNode.Parse(document.GetRawText())!.AsObject();
        var info = node["info"] as JsonObject ?? [];
        var countsNode = new JsonObject();
        foreach (var (name, value) in counts)
        {
            countsNode[name] = value;
        }

        info["counts"] = countsNode;
        node["info"] = info;
        return JsonSerializer.SerializeToElement(node, BeaconJsonContext.Default.JsonObject);
    }
}
