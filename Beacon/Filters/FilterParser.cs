using System.Text.Json;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Requests;
using GenomeNode.Shared;

namespace GenomeNode.Beacon.Filters;

/// <summary>
/// Reads a request's filters (framework <c>requests/filteringTerms.json</c>) into <see cref="Filter"/> records: from a
/// query string (<c>filters=NCIT:C16576,HP:0001250</c>) or from a body's <c>query.filters</c>. Pure: no data, no
/// ontology; whether a term is known is the matcher's question (<see cref="FilterMatcher"/>).
/// </summary>
/// <remarks>
/// Real portals send members set to <c>null</c>; null counts as absent everywhere. A filter with neither operator nor
/// value is an ontology filter when its id is a CURIE, else a custom filter; a value without an operator compares with
/// <c>=</c>; an operator without a value is the filter without either (by its id). Refusals are
/// <see cref="BeaconRequestException"/>s naming the member (<c>filters[2].operator</c>).
/// </remarks>
public static class FilterParser
{
    /// <summary>The most filters one request may carry: each is evaluated over every entry of every dataset.</summary>
    public const int MaxFilters = 100;

    private const string NotUnicode = "the text is not valid Unicode (a lone UTF-16 surrogate)";

    /// <summary>
    /// The filters of a GET request: ids separated by commas (several <c>filters</c> parameters joined with commas
    /// are the same), blanks ignored. A CURIE is an ontology filter with its descendants, anything else a custom filter.
    /// </summary>
    /// <exception cref="BeaconRequestException">more than <see cref="MaxFilters"/> filters, or text that is not Unicode</exception>
    public static IReadOnlyList<Filter> FromQueryString(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        if (!UnicodeText.IsWellFormed(text))
        {
            throw new BeaconRequestException("filters", NotUnicode);
        }

        var ids = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length > MaxFilters)
        {
            throw new BeaconRequestException("filters", $"at most {MaxFilters} filters are accepted, not {ids.Length}");
        }

        return [.. ids.Select(ById)];
    }

    /// <summary>
    /// The filters of a POST body: <paramref name="filters"/> is <c>query.filters</c>, an array of filter objects
    /// (id, operator, value, includeDescendantTerms, scope, similarity) or bare id strings; null or absent is none.
    /// </summary>
    /// <exception cref="BeaconRequestException">a filter the beacon cannot read, naming its member</exception>
    public static IReadOnlyList<Filter> FromJson(JsonElement filters)
    {
        if (filters.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return [];
        }

        if (filters.ValueKind != JsonValueKind.Array)
        {
            throw new BeaconRequestException("filters", "filters must be an array of filters (objects with an id, or id strings)");
        }

        var count = filters.GetArrayLength();
        if (count > MaxFilters)
        {
            throw new BeaconRequestException("filters", $"at most {MaxFilters} filters are accepted, not {count}");
        }

        var read = new List<Filter>(count);
        var position = 0;
        foreach (var element in filters.EnumerateArray())
        {
            read.Add(FromElement(element, $"filters[{position++}]"));
        }

        return read;
    }

    private static Filter FromElement(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return ById(RequireId(Text(element, path + ".id"), path + ".id"));
            case JsonValueKind.Object:
                break;
            default:
                throw new BeaconRequestException(path, $"a filter must be an object with an id (or an id string), not {Kind(element)}");
        }

        var id = Member(element, "id") is { } idElement
            ? idElement.ValueKind == JsonValueKind.String
                ? RequireId(Text(idElement, path + ".id"), path + ".id")
                : throw new BeaconRequestException(path + ".id", $"id must be a string (one term or field), not {Kind(idElement)}")
            : throw new BeaconRequestException(path + ".id", "a filter needs an id");

        EntryType? scope = null;
        if (Member(element, "scope") is { } scopeElement)
        {
            if (scopeElement.ValueKind != JsonValueKind.String || !EntryTypes.TryParse(Text(scopeElement, path + ".scope"), out var type))
            {
                throw new BeaconRequestException(path + ".scope",
                    $"scope must name an entry type ({string.Join(", ", EntryTypes.All.Select(t => t.Name()))}), not {Quoted(scopeElement, path + ".scope")}");
            }

            scope = type;
        }

        var includeDescendants = true;
        if (Member(element, "includeDescendantTerms") is { } descendants)
        {
            includeDescendants = descendants.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new BeaconRequestException(path + ".includeDescendantTerms", $"includeDescendantTerms must be true or false, not {Quoted(descendants, path + ".includeDescendantTerms")}"),
            };
        }

        if (Member(element, "similarity") is { } similarity
            && (similarity.ValueKind != JsonValueKind.String || Text(similarity, path + ".similarity") is not ("exact" or "high" or "medium" or "low")))
        {
            throw new BeaconRequestException(path + ".similarity", $"similarity must be exact, high, medium or low, not {Quoted(similarity, path + ".similarity")}");
        }

        FilterOperator? op = null;
        if (Member(element, "operator") is { } operatorElement)
        {
            op = operatorElement.ValueKind == JsonValueKind.String ? Operator(Text(operatorElement, path + ".operator")) : null;
            if (op is null)
            {
                throw new BeaconRequestException(path + ".operator", $"operator must be one of =, !, <, >, <=, >=, not {Quoted(operatorElement, path + ".operator")}");
            }
        }

        string? value = null;
        if (Member(element, "value") is { } valueElement)
        {
            value = valueElement.ValueKind switch
            {
                JsonValueKind.String => Text(valueElement, path + ".value"),
                // A number is its JSON text, which compares as the number.
                JsonValueKind.Number => valueElement.GetRawText(),
                _ => throw new BeaconRequestException(path + ".value", $"value must be a string or a number, not {Kind(valueElement)}"),
            };
        }

        if (value is null)
        {
            // No value, with or without an operator: the filter by its id alone.
            return EntryFacts.IsCurie(id) ? new OntologyFilter(id, scope, includeDescendants) : new CustomFilter(id, scope);
        }

        return new AlphanumericFilter(id, scope, op ?? FilterOperator.Equal, value);
    }

    private static Filter ById(string id) => EntryFacts.IsCurie(id) ? new OntologyFilter(id, null) : new CustomFilter(id, null);

    /// <summary>The member, or null when it is absent or JSON null (both mean "not given").</summary>
    private static JsonElement? Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var member) && member.ValueKind != JsonValueKind.Null ? member : null;

    private static string RequireId(string id, string path)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new BeaconRequestException(path, "id must not be empty");
        }

        return id.Trim();
    }

    /// <summary>A JSON string's text; one that escapes a lone surrogate (which the node's JSON rule refuses earlier) is refused here too.</summary>
    private static string Text(JsonElement element, string path)
    {
        try
        {
            var text = element.GetString()!;
            return UnicodeText.IsWellFormed(text) ? text : throw new BeaconRequestException(path, NotUnicode);
        }
        catch (InvalidOperationException)
        {
            throw new BeaconRequestException(path, NotUnicode);
        }
    }

    /// <summary>The operator a request names; null for anything else.</summary>
    public static FilterOperator? Operator(string text) => text switch
    {
        "=" => FilterOperator.Equal,
        "!" => FilterOperator.NotEqual,
        "<" => FilterOperator.Less,
        ">" => FilterOperator.Greater,
        "<=" => FilterOperator.LessOrEqual,
        ">=" => FilterOperator.GreaterOrEqual,
        _ => null,
    };

    /// <summary>The operator as requests write it.</summary>
    public static string Symbol(this FilterOperator op) => op switch
    {
        FilterOperator.Equal => "=",
        FilterOperator.NotEqual => "!",
        FilterOperator.Less => "<",
        FilterOperator.Greater => ">",
        FilterOperator.LessOrEqual => "<=",
        FilterOperator.GreaterOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.String => "a string",
        _ => "null",
    };

    private static string Quoted(JsonElement element, string path) => element.ValueKind == JsonValueKind.String
        ? $"'{UnicodeText.Shorten(Text(element, path), 40)}'"
        : Kind(element);
}
