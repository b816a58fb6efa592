using System.Globalization;
using GenomeNode.Beacon.Entries;

namespace GenomeNode.Beacon.Filters;

/// <summary>What one filter asks of an entry, once its id is resolved against a dataset and the ontologies.</summary>
internal abstract class FilterCondition
{
    /// <summary>Whether entries of this type carry the term or field at all (how a filter without scope finds its type).</summary>
    public abstract bool OccursIn(DatasetFacts facts, EntryType type);

    public abstract bool Matches(Entry entry);
}

/// <summary>An ontology filter: the entry carries one of the terms (the filter's term, with its descendants if asked).</summary>
internal sealed class TermCondition(IReadOnlySet<string> terms) : FilterCondition
{
    public override bool OccursIn(DatasetFacts facts, EntryType type) => facts.TermsOf(type).Overlaps(terms);

    public override bool Matches(Entry entry)
    {
        foreach (var term in entry.Facts.Terms)
        {
            if (terms.Contains(term))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// An alphanumeric filter (and a custom <c>field:value</c> one, as <c>=</c>): a value at one of the paths satisfies the
/// operator; for <c>!</c>, no value at the paths equals.
/// </summary>
internal sealed class FieldCondition(IReadOnlyList<string> paths, FilterOperator op, string value) : FilterCondition
{
    private readonly FilterValue wanted = new(value);

    public override bool OccursIn(DatasetFacts facts, EntryType type) => paths.Any(facts.FieldsOf(type).Contains);

    public override bool Matches(Entry entry)
    {
        var equalFound = false;
        foreach (var (path, actual) in entry.Facts.Values)
        {
            if (!OnPaths(path))
            {
                continue;
            }

            if (op == FilterOperator.NotEqual)
            {
                equalFound |= wanted.Equal(actual);
            }
            else if (wanted.Satisfies(op, actual))
            {
                return true;
            }
        }

        return op == FilterOperator.NotEqual && !equalFound;
    }

    private bool OnPaths(string path)
    {
        var normalised = FieldPaths.Normalise(path);
        foreach (var candidate in paths)
        {
            if (string.Equals(candidate, normalised, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The paths a filter's field id selects in a dataset: the field itself when entries have values at it, else, for a
    /// field that is an ontology term object (<c>sex</c>), its <c>id</c> and <c>label</c>; null when the dataset has
    /// neither.
    /// </summary>
    public static IReadOnlyList<string>? Resolve(DatasetFacts facts, string field)
    {
        var path = FieldPaths.Normalise(field);
        if (facts.HasField(path))
        {
            return [path];
        }

        string[] parts = [$"{path}.id", $"{path}.label"];
        return parts.Any(facts.HasField) ? parts : null;
    }
}

/// <summary>
/// The value of an alphanumeric filter and how it compares: as ISO 8601 durations when it is one (entry values that are
/// not durations then never order against it), as numbers when it is one, else as text (ordinal; equality ignores case
/// and a <c>%</c> stands for any run of characters).
/// </summary>
internal sealed class FilterValue
{
    private readonly string text;
    private readonly Iso8601Duration? duration;
    private readonly double? number;
    private readonly bool wildcard;

    public FilterValue(string text)
    {
        this.text = text;
        wildcard = text.Contains('%', StringComparison.Ordinal);
        if (Iso8601Duration.TryParse(text, out var parsed))
        {
            duration = parsed;
        }
        else if (TryNumber(text, out var value))
        {
            number = value;
        }
    }

    /// <summary>Whether <paramref name="actual"/> equals the value (the <c>=</c> and <c>!</c> operators).</summary>
    public bool Equal(string actual)
    {
        if (wildcard)
        {
            return Wildcard.Matches(text, actual);
        }

        if (duration is { } wantedDuration && Iso8601Duration.TryParse(actual, out var actualDuration) && actualDuration.CompareTo(wantedDuration) == 0)
        {
            return true;
        }

        if (number is { } wantedNumber && TryNumber(actual, out var actualNumber) && actualNumber == wantedNumber)
        {
            return true;
        }

        return string.Equals(text, actual, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether <paramref name="actual"/> satisfies <paramref name="op"/> against the value (any operator but <c>!</c>).</summary>
    public bool Satisfies(FilterOperator op, string actual)
    {
        if (op == FilterOperator.Equal)
        {
            return Equal(actual);
        }

        int order;
        if (duration is { } wantedDuration)
        {
            if (!Iso8601Duration.TryParse(actual, out var actualDuration))
            {
                return false;
            }

            order = actualDuration.CompareTo(wantedDuration);
        }
        else if (number is { } wantedNumber)
        {
            if (!TryNumber(actual, out var actualNumber))
            {
                return false;
            }

            order = actualNumber.CompareTo(wantedNumber);
        }
        else
        {
            order = string.CompareOrdinal(actual, text);
        }

        return op switch
        {
            FilterOperator.Less => order < 0,
            FilterOperator.Greater => order > 0,
            FilterOperator.LessOrEqual => order <= 0,
            FilterOperator.GreaterOrEqual => order >= 0,
            _ => order != 0,
        };
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

/// <summary>Text patterns with <c>%</c> for any run of characters, compared ignoring case.</summary>
internal static class Wildcard
{
    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/>: no regular expression, at worst pattern length × text length steps.</summary>
    public static bool Matches(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '%')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && SameIgnoringCase(pattern[p], text[t]))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '%')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool SameIgnoringCase(char a, char b) => a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
