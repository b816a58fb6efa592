using System.Text.Json;
using System.Text.RegularExpressions;
using GenomeNode.DataUseOntology.Matching;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GenomeNode.DataUseOntology.DataUse;

public sealed record DuoTermView(
    string Id, string? Shorthand, string? Label, string? Definition, string Kind, IReadOnlyList<string> Parents,
    bool Obsolete, string? ReplacedBy);

public sealed record OntologyTermView(string Id, string? Label);

/// <summary>A DUO code as Beacon v2's <c>dataUseConditions.duoDataUse</c> lists it (disease terms as modifiers of DS).</summary>
public sealed record DuoDataUseView(string Id, string? Label, string Version, IReadOnlyList<OntologyTermView>? Modifiers);

public sealed record DatasetDataUseView(string DatasetId, IReadOnlyList<DuoDataUseView> DuoDataUse, string Summary);

/// <summary>Conditions given directly in a match request: DUO terms (one permission, any modifiers) and diseases.</summary>
public sealed record ConditionsInput(IReadOnlyList<string>? Duo, IReadOnlyList<string>? Diseases);

/// <summary>A purpose, and either a dataset whose recorded conditions apply or explicit conditions.</summary>
public sealed record MatchRequest(ResearchPurpose? Purpose, string? DatasetId, ConditionsInput? Conditions);

public sealed record MatchReasonView(string Rule, string Decision, string Explanation);

public sealed record MatchResponse(
    string Decision, IReadOnlyList<MatchReasonView> Reasons, string? DatasetId, IReadOnlyList<DuoDataUseView> Conditions);

/// <summary>The <c>/dataUse</c> HTTP surface: DUO terms, datasets' conditions and purpose matching.</summary>
public static partial class DataUseEndpoints
{
    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex ReleaseDate();

    public static IEndpointRouteBuilder MapDataUse(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/dataUse").WithTags("Data use (DUO)");
        group.MapGet("/terms", GetTerms)
            .WithName("GetDuoTerms")
            .WithSummary("The DUO terms this node knows: permissions, modifiers and the rest, with labels and parents");
        group.MapGet("/datasets/{datasetId}", GetDatasetConditions)
            .WithName("GetDatasetDataUse")
            .WithSummary("A dataset's data-use conditions, in Beacon's duoDataUse form");
        group.MapPost("/match", MatchAsync)
            .Accepts<MatchRequest>("application/json")
            .WithName("MatchResearchPurpose")
            .WithSummary("Match a research purpose against a dataset's data-use conditions (or explicit ones): APPROVE, DENY or ABSTAIN, with reasons");
        return endpoints;
    }

    private static Ok<List<DuoTermView>> GetTerms(OntologyStore ontologies) =>
        TypedResults.Ok(ontologies.Terms(DuoOntology.Prefix)
            .Where(term => Curie.PrefixOf(term.Id) == DuoOntology.Prefix)
            .Select(term => new DuoTermView(
                term.Id, term.Shorthand, term.Label, term.Definition, KindOf(ontologies, term.Id), ontologies.Parents(term.Id),
                term.IsObsolete, term.ReplacedBy))
            .ToList());

    private static async Task<Results<Ok<DatasetDataUseView>, NotFound<HttpValidationProblemDetails>>> GetDatasetConditions(
        string datasetId, DataUseViews views, Lazy<DatasetDataUse> dataUse, Lazy<OntologyStore> ontologies, IDatasetScope datasets, HttpContext context,
        CancellationToken cancellationToken)
    {
        // The database is opened only to build a view that is not held.
        if (!await datasets.IsVisibleAsync(context, datasetId, cancellationToken)
            || views.Get(datasetId, () => Build(datasetId, dataUse.Value, ontologies.Value)) is not { } view)
        {
            return NoConditions(datasetId);
        }

        return TypedResults.Ok(view);
    }

    /// <summary>The dataset's data-use view (null: no conditions recorded), as <c>/dataUse/datasets/{id}</c> and Beacon's datasets show it.</summary>
    public static DatasetDataUseView? Build(string datasetId, DatasetDataUse dataUse, OntologyStore ontologies) =>
        dataUse.Find(datasetId) is { } conditions
            ? new DatasetDataUseView(datasetId, ToDuoDataUse(conditions, ontologies), DatasetDataUse.Describe(conditions))
            : null;

    /// <summary>
    /// Reads the body under the node's rule for caller JSON (StrictJson: no repeated member, only well-formed Unicode),
    /// then binds it with the host's JSON options, as model binding would.
    /// </summary>
    private static async Task<Results<Ok<MatchResponse>, ValidationProblem, NotFound<HttpValidationProblemDetails>, ProblemHttpResult>> MatchAsync(
        HttpRequest http, DatasetDataUse dataUse, OntologyStore ontologies, IOptions<JsonOptions> json, IDatasetScope datasets,
        CancellationToken cancellationToken)
    {
        if (!http.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: "the request body must be JSON (Content-Type: application/json)");
        }

        var options = json.Value.SerializerOptions;
        // Members bind case-insensitively under the web defaults: then "purpose" and "Purpose" are the same member.
        var names = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var (document, refused) = await StrictJson.ParseAsync(http.Body, names, cancellationToken);
        if (refused is not null)
        {
            return Invalid(refused.PathOr("body"), refused.Problem == StrictJsonProblem.Syntax ? $"the request body is {refused.Message}" : refused.Message);
        }

        MatchRequest? request;
        using (document)
        {
            try
            {
                request = document!.RootElement.Deserialize<MatchRequest>(options);
            }
            catch (JsonException ex)
            {
                var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
                return Invalid(field, $"{field} does not have the expected type: {UnicodeText.Printable(ex.Message)}");
            }
        }

        // The lists are bound as lists of strings, but JSON can put a null in one; nothing past here expects it.
        if (ListHoldingNull(request) is { } list)
        {
            return Invalid(list, $"{list} must be a list of term ids, without nulls");
        }

        return await AnswerAsync(request, dataUse, ontologies, datasets, http.HttpContext, cancellationToken);
    }

    private static string? ListHoldingNull(MatchRequest? request) =>
        HoldsNull(request?.Conditions?.Duo) ? "conditions.duo"
        : HoldsNull(request?.Conditions?.Diseases) ? "conditions.diseases"
        : HoldsNull(request?.Purpose?.Diseases) ? "purpose.diseases"
        : null;

    private static bool HoldsNull(IReadOnlyList<string?>? list) => list?.Any(item => item is null) == true;

    private static async Task<Results<Ok<MatchResponse>, ValidationProblem, NotFound<HttpValidationProblemDetails>, ProblemHttpResult>> AnswerAsync(
        MatchRequest? request, DatasetDataUse dataUse, OntologyStore ontologies, IDatasetScope datasets, HttpContext context,
        CancellationToken cancellationToken)
    {
        if (request?.Purpose is not { } purpose)
        {
            return Invalid("purpose", "a research purpose is required");
        }

        if ((request.DatasetId is null) == (request.Conditions is null))
        {
            return Invalid("datasetId", "give either datasetId or conditions, not both and not neither");
        }

        DataUseConditions conditions;
        try
        {
            if (request.DatasetId is { } datasetId)
            {
                // A hidden dataset answers as one without conditions, exactly as an unknown id.
                if (!await datasets.IsVisibleAsync(context, datasetId, cancellationToken) || dataUse.Find(datasetId) is not { } recorded)
                {
                    return NoConditions(datasetId);
                }

                conditions = recorded;
            }
            else
            {
                conditions = dataUse.Interpret(request.Conditions!.Duo ?? [], request.Conditions.Diseases ?? []);
            }
        }
        catch (DataUseException ex)
        {
            return Invalid("conditions", ex.Message);
        }

        MatchResult result;
        try
        {
            result = DataUseMatcher.Match(purpose, conditions, new StoredDiseaseHierarchy(ontologies));
        }
        catch (ArgumentException ex)
        {
            return Invalid("purpose", ex.Message);
        }

        return TypedResults.Ok(new MatchResponse(
            Upper(result.Decision),
            [.. result.Reasons.Select(reason => new MatchReasonView(reason.Rule, Upper(reason.Decision), reason.Explanation))],
            request.DatasetId,
            ToDuoDataUse(conditions, ontologies)));
    }

    /// <summary>Beacon's duoDataUse: the permission (with DS's diseases as its modifiers), then each DUO modifier.</summary>
    public static IReadOnlyList<DuoDataUseView> ToDuoDataUse(DataUseConditions conditions, OntologyStore ontologies)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(ontologies);
        var loaded = ontologies.Find(DuoOntology.Prefix);
        var version = loaded?.Version is { } iri && ReleaseDate().Match(iri) is { Success: true } date ? date.Value : loaded?.Version ?? "unknown";
        var diseases = conditions.Diseases.Select(id => new OntologyTermView(id, ontologies.FindTerm(id)?.Label)).ToList();
        return
        [
            new DuoDataUseView(conditions.Permission, ontologies.FindTerm(conditions.Permission)?.Label, version,
                diseases.Count > 0 ? diseases : null),
            .. conditions.Modifiers.Select(id => new DuoDataUseView(id, ontologies.FindTerm(id)?.Label, version, null)),
        ];
    }

    private static string KindOf(OntologyStore ontologies, string id) =>
        id is DuoTerms.Permission or DuoTerms.Modifier ? "category"
        : ontologies.IsSameOrDescendant(id, DuoTerms.Permission) ? "permission"
        : ontologies.IsSameOrDescendant(id, DuoTerms.Modifier) ? "modifier"
        : "other";

    private static string Upper(MatchDecision decision) => decision.ToString().ToUpperInvariant();

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);

    private static NotFound<HttpValidationProblemDetails> NoConditions(string datasetId) =>
        TypedResults.NotFound(new HttpValidationProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Title = "No data-use conditions",
            Detail = $"no data-use conditions are recorded for dataset '{datasetId}'",
        });

    /// <summary>Disease hierarchy from the loaded ontologies' is_a closure.</summary>
    private sealed class StoredDiseaseHierarchy(OntologyStore ontologies) : IDiseaseHierarchy
    {
        public bool IsSameOrDescendant(string term, string ancestor) => ontologies.IsSameOrDescendant(term, ancestor);
    }
}
