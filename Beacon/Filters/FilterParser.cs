// PLACEHOLDER until the filters branch lands (replaced by it).
using System.Text.Json;
using GenomeNode.Beacon.Entries;

namespace GenomeNode.Beacon.Filters;

public static class FilterParser
{
    public static IReadOnlyList<Filter> FromQueryString(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => EntryFacts.IsCurie(id) ? (Filter)new OntologyFilter(id, null) : new CustomFilter(id, null))];

    public static IReadOnlyList<Filter> FromJson(JsonElement array) =>
        [.. array.EnumerateArray().Select(f => f.ValueKind == JsonValueKind.String
            ? (Filter)new OntologyFilter(f.GetString()!, null)
            : new OntologyFilter(f.GetProperty("id").GetString()!, null))];
}
