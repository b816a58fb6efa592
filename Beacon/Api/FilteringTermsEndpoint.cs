using System.Globalization;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Filters;
using GenomeNode.Beacon.Requests;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Datasets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Api;

using FilteringTermsResults = Results<JsonHttpResult<FilteringTermsResponse>, JsonHttpResult<ErrorResponse>>;

/// <summary>
/// <c>GET /api/filtering_terms</c>: the filtering terms present in the data of the datasets this caller may learn exist
/// (docs/beacon-filters.md), with the loaded ontologies they come from; <c>skip</c> and <c>limit</c> page the terms.
/// </summary>
public static class FilteringTermsEndpoint
{
    public const string Path = BeaconEndpoints.Prefix + "/filtering_terms";

    private static readonly IReadOnlyList<SchemaReference> NoSchemas = [];

    /// <summary>Names of ontologies commonly loaded, for <c>resources</c> (an OBO file's header names none).</summary>
    private static readonly Dictionary<string, string> OntologyNames = new(StringComparer.Ordinal)
    {
        ["DUO"] = "Data Use Ontology",
        ["EFO"] = "Experimental Factor Ontology",
        ["GO"] = "Gene Ontology",
        ["HP"] = "Human Phenotype Ontology",
        ["HsapDv"] = "Human Developmental Stages",
        ["MONDO"] = "Mondo Disease Ontology",
        ["NCIT"] = "NCI Thesaurus OBO Edition",
        ["OBI"] = "Ontology for Biomedical Investigations",
        ["UBERON"] = "Uberon multi-species anatomy ontology",
    };

    public static IEndpointRouteBuilder MapFilteringTerms(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, GetAsync)
            .WithTags("Beacon v2")
            .WithName("BeaconFilteringTerms")
            .WithSummary("The filtering terms present in the data of the datasets this caller may learn exist, with their ontologies")
            .Produces<FilteringTermsResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized);
        return endpoints;
    }

    private static async Task<FilteringTermsResults> GetAsync(
        HttpRequest http, RequestAccess access, CatalogSnapshot datasets, Lazy<DatasetCatalog> catalog, DatasetVisibility visibility,
        EntryIndex index, OntologyTerms ontology, IOptions<BeaconOptions> options, CancellationToken cancellationToken)
    {
        var beacon = options.Value;
        var caller = await access.CallerAsync(cancellationToken);
        if (caller.Rejection is { } rejection)
        {
            // As on every Beacon query: a token that is not accepted is refused rather than answered as if anonymous.
            http.HttpContext.Response.Headers.WWWAuthenticate = RequestAccess.Challenge(rejection);
            return Refused(beacon, StatusCodes.Status401Unauthorized, $"Authorization: the bearer token was not accepted ({rejection})");
        }

        long skip, limit;
        try
        {
            skip = Paging(http, "skip") ?? 0;
            // Without a limit (or with 0, as the framework has it) every term: a portal reads the whole list at once.
            limit = Paging(http, "limit") ?? 0;
        }
        catch (BeaconRequestException ex)
        {
            return Refused(beacon, StatusCodes.Status400BadRequest, $"{ex.Parameter}: {ex.Message}");
        }

        var lists = new List<IReadOnlyList<ListedTerm>>();
        foreach (var dataset in await datasets.ListAsync(() => catalog.Value, cancellationToken))
        {
            // The one visibility rule: a dataset hidden from this caller contributes nothing, not even its terms.
            if (visibility.IsVisible(dataset, access.Decide(caller, dataset)))
            {
                lists.Add(FilteringTermCatalog.Of(index.For(dataset.Id)));
            }
        }

        var terms = FilteringTermCatalog.Merge(lists, ontology);
        var page = terms.Skip((int)Math.Min(skip, int.MaxValue));
        if (limit > 0)
        {
            page = page.Take((int)Math.Min(limit, int.MaxValue));
        }

        var listed = page.Select(term => new FilteringTerm(TypeName(term.Kind), term.Id, term.Label,
            [.. term.Scopes.Order().Select(scope => scope.Name())])).ToList();
        var prefixes = terms.Where(term => term.Kind == FilteringTermKind.OntologyTerm)
            .Select(term => Curie.PrefixOf(term.Id)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var resources = ontology.Loaded().Where(loaded => prefixes.Contains(loaded.Prefix)).Select(Resource).ToList();
        return TypedResults.Json(
            new FilteringTermsResponse(new ResponseMeta(beacon.Id, BeaconOptions.ApiVersion, NoSchemas), new FilteringTermsBody(listed, resources)),
            BeaconJsonContext.Default.FilteringTermsResponse);
    }

    /// <summary>ftType as the framework names it.</summary>
    public static string TypeName(FilteringTermKind kind) => kind switch
    {
        FilteringTermKind.OntologyTerm => "ontologyTerm",
        FilteringTermKind.Alphanumeric => "alphanumeric",
        _ => "custom",
    };

    /// <summary>A loaded ontology as a Beacon resource, with the OBO Library's IRIs (the loaders read OBO-namespaced terms).</summary>
    private static FilteringResource Resource(LoadedOntology loaded)
    {
        var id = loaded.Prefix.ToLowerInvariant();
        var titleIsIri = loaded.Title?.Contains("://", StringComparison.Ordinal) == true;
        var name = OntologyNames.GetValueOrDefault(loaded.Prefix)
            ?? (loaded.Title is { } title && !titleIsIri && !string.Equals(title, id, StringComparison.Ordinal) ? title : loaded.Prefix);
        var url = titleIsIri ? loaded.Title : $"{Curie.OboNamespace}{id}.owl";
        return new FilteringResource(id, name, url, loaded.Version, loaded.Prefix, $"{Curie.OboNamespace}{loaded.Prefix}_");
    }

    /// <summary>A paging parameter: absent, or a non-negative whole number given once.</summary>
    private static long? Paging(HttpRequest http, string name)
    {
        if (!http.Query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new BeaconRequestException(name, $"'{name}' is given {values.Count} times");
        }

        return long.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new BeaconRequestException(name, $"{name} must be a whole number, 0 or more");
    }

    private static JsonHttpResult<ErrorResponse> Refused(BeaconOptions beacon, int status, string message) =>
        TypedResults.Json(GVariantService.Error(beacon, ReceivedRequest.Nothing, status, message), BeaconJsonContext.Default.ErrorResponse, statusCode: status);
}
