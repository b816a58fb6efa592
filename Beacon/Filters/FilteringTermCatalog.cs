using System.Runtime.CompilerServices;
using System.Text.Json;
using GenomeNode.Beacon.Entries;

namespace GenomeNode.Beacon.Filters;

/// <summary>The kinds of filtering terms (framework <c>filteringTermsSchema.json</c>, ftType).</summary>
public enum FilteringTermKind
{
    OntologyTerm,
    Alphanumeric,
    Custom,
}

/// <summary>A filtering term found in the data: its kind, id, label (the document's, or a description) and the entry types that carry it.</summary>
public sealed record ListedTerm(FilteringTermKind Kind, string Id, string? Label, IReadOnlySet<EntryType> Scopes);

/// <summary>
/// The filtering terms present in datasets' entries, as <c>/api/filtering_terms</c> lists them (docs/beacon-filters.md):
/// <list type="bullet">
/// <item>ontology terms: every object with a CURIE <c>id</c>, labelled with its <c>label</c>;</item>
/// <item>alphanumeric: every field path holding numbers or ISO 8601 durations (where &lt; and &gt; mean something);</item>
/// <item>custom <c>field:value</c>: values of enumeration-like text fields (see <see cref="IsListedCustomValue"/>), the
/// terms a custom filter takes.</item>
/// </list>
/// Pure: derived once per <see cref="DatasetEntries"/> (a changed dataset is a new instance).
/// </summary>
public static class FilteringTermCatalog
{
    /// <summary>A text field with more distinct values than this in one dataset is free text, not an enumeration: its values are not listed.</summary>
    public const int MaxCustomValuesPerField = 20;

    /// <summary>The longest value listed as a custom term.</summary>
    public const int MaxCustomValueLength = 32;

    private static readonly ConditionalWeakTable<DatasetEntries, IReadOnlyList<ListedTerm>> Derived = [];

    private static readonly EntryType[] Types =
        [EntryType.Individual, EntryType.Biosample, EntryType.Run, EntryType.Analysis, EntryType.Cohort, EntryType.Dataset];

    /// <summary>The terms of one dataset, in id order (ontology terms, then fields, then custom terms of equal id).</summary>
    public static IReadOnlyList<ListedTerm> Of(DatasetEntries entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return Derived.GetValue(entries, Read);
    }

    /// <summary>
    /// Several datasets' terms as one list: scopes joined, the label of a loaded ontology first, else the first
    /// document label met (datasets in the order given).
    /// </summary>
    public static IReadOnlyList<ListedTerm> Merge(IEnumerable<IReadOnlyList<ListedTerm>> lists, IOntologyTerms ontology)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(ontology);
        var merged = new Dictionary<(FilteringTermKind, string), (string? Label, HashSet<EntryType> Scopes)>();
        foreach (var list in lists)
        {
            foreach (var term in list)
            {
                if (!merged.TryGetValue((term.Kind, term.Id), out var known))
                {
                    merged[(term.Kind, term.Id)] = known = (term.Label, []);
                }

                known.Scopes.UnionWith(term.Scopes);
                if (known.Label is null && term.Label is not null)
                {
                    merged[(term.Kind, term.Id)] = (term.Label, known.Scopes);
                }
            }
        }

        return [.. merged
            .Select(pair => new ListedTerm(pair.Key.Item1, pair.Key.Item2,
                (pair.Key.Item1 == FilteringTermKind.OntologyTerm ? ontology.Label(pair.Key.Item2) : null) ?? pair.Value.Label,
                pair.Value.Scopes))
            .OrderBy(term => term.Id, StringComparer.Ordinal)
            .ThenBy(term => term.Kind)];
    }

    private static IReadOnlyList<ListedTerm> Read(DatasetEntries entries)
    {
        var terms = new Dictionary<string, (string? Label, HashSet<EntryType> Scopes)>(StringComparer.Ordinal);
        var fields = new Dictionary<string, (string Label, HashSet<EntryType> Scopes)>(StringComparer.Ordinal);
        var texts = new Dictionary<string, Dictionary<string, HashSet<EntryType>>>(StringComparer.Ordinal);
        foreach (var type in Types)
        {
            foreach (var entry in entries.Of(type))
            {
                if (entry.Document is { } document)
                {
                    using var parsed = JsonDocument.Parse(document);
                    CollectTerms(parsed.RootElement, isRoot: true, type, terms);
                }

                foreach (var (path, value) in entry.Facts.Values)
                {
                    CollectValue(path, value, type, fields, texts);
                }
            }
        }

        var listed = new List<ListedTerm>();
        listed.AddRange(terms.Select(pair => new ListedTerm(FilteringTermKind.OntologyTerm, pair.Key, pair.Value.Label, pair.Value.Scopes)));
        listed.AddRange(fields.Select(pair => new ListedTerm(FilteringTermKind.Alphanumeric, pair.Key, pair.Value.Label, pair.Value.Scopes)));
        foreach (var (path, values) in texts.Where(pair => pair.Value.Count <= MaxCustomValuesPerField))
        {
            listed.AddRange(values.Select(pair => new ListedTerm(FilteringTermKind.Custom, $"{path}:{pair.Key}", $"{path} is {pair.Key}", pair.Value)));
        }

        return [.. listed.OrderBy(term => term.Id, StringComparer.Ordinal).ThenBy(term => term.Kind)];
    }

    /// <summary>Objects with a CURIE id below the document's root (its own id is the entry's), each with its label.</summary>
    private static void CollectTerms(JsonElement element, bool isRoot, EntryType type, Dictionary<string, (string? Label, HashSet<EntryType> Scopes)> terms)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (!isRoot && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && EntryFacts.IsCurie(id.GetString()!))
                {
                    var label = element.TryGetProperty("label", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
                    if (!terms.TryGetValue(id.GetString()!, out var known))
                    {
                        terms[id.GetString()!] = known = (label, []);
                    }
                    else if (known.Label is null && label is not null)
                    {
                        terms[id.GetString()!] = known = (label, known.Scopes);
                    }

                    known.Scopes.Add(type);
                }

                foreach (var property in element.EnumerateObject())
                {
                    CollectTerms(property.Value, isRoot: false, type, terms);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectTerms(item, isRoot: false, type, terms);
                }

                break;
            default:
                break;
        }
    }

    private static void CollectValue(
        string path, string value, EntryType type, Dictionary<string, (string Label, HashSet<EntryType> Scopes)> fields,
        Dictionary<string, Dictionary<string, HashSet<EntryType>>> texts)
    {
        var lastSegment = path[(path.LastIndexOf('.') + 1)..];
        if (lastSegment is "id" or "label" || lastSegment.StartsWith('$'))
        {
            return; // the id and label of an ontology term (listed as the term), the entry's own id, $schema
        }

        var kind = Iso8601Duration.TryParse(value, out _) ? "ISO 8601 duration"
            : double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) ? "number"
            : null;
        if (kind is not null)
        {
            // Listed as Beacon writes it (without Phenopackets' age level); filters accept either form.
            var field = FieldPaths.Normalise(path);
            if (!fields.TryGetValue(field, out var listed))
            {
                fields[field] = listed = ($"{field} ({kind})", []);
            }

            listed.Scopes.Add(type);
            return;
        }

        if (!IsListedCustomValue(lastSegment, value))
        {
            return;
        }

        if (!texts.TryGetValue(path, out var values))
        {
            texts[path] = values = new(StringComparer.Ordinal);
        }

        // One past the limit is enough to know the field is free text.
        if (values.Count <= MaxCustomValuesPerField || values.ContainsKey(value))
        {
            if (!values.TryGetValue(value, out var scopes))
            {
                values[value] = scopes = [];
            }

            scopes.Add(type);
        }
    }

    /// <summary>
    /// Whether a text value is listed as a custom term: a short word-like value (no spaces, no URL, at most
    /// <see cref="MaxCustomValueLength"/> characters) that is no CURIE (listed as an ontology term) and no date, of a field
    /// that does not link to another entry (<c>individualId</c>, <c>runId</c>, ...): values such as
    /// <c>libraryStrategy:WGS</c>, <c>karyotypicSex:XX</c>, <c>diseases.familyHistory:false</c>. Free text, names and
    /// identifiers are not listed: the list must not disclose more than the terms a filter can take.
    /// </summary>
    public static bool IsListedCustomValue(string fieldName, string value)
    {
        ArgumentNullException.ThrowIfNull(fieldName);
        ArgumentNullException.ThrowIfNull(value);
        return value.Length is > 0 and <= MaxCustomValueLength
            && !fieldName.EndsWith("Id", StringComparison.Ordinal) && !fieldName.EndsWith("Ids", StringComparison.Ordinal)
            && !value.Any(char.IsWhiteSpace) && !value.Any(char.IsControl) && !value.Contains("://", StringComparison.Ordinal)
            && !EntryFacts.IsCurie(value)
            && !(value.Length >= 10 && char.IsAsciiDigit(value[0]) && char.IsAsciiDigit(value[3]) && value[4] == '-');
    }
}
