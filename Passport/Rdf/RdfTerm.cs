using System.Text.RegularExpressions;

namespace GenomeNode.Passport.Rdf;

/// <summary>An RDF term: an IRI, a blank node or a literal.</summary>
public abstract record RdfTerm;

/// <summary>
/// An absolute IRI. Refused when it holds a character that an IRI cannot (spaces, controls, <c>&lt;&gt;"{}|^`\</c>):
/// the writers then never have to escape one, and what they write is the IRI it was given.
/// </summary>
public sealed partial record RdfIri : RdfTerm
{
    public RdfIri(string value)
    {
        if (Problem(value) is { } problem)
        {
            throw new ArgumentException(problem, nameof(value));
        }

        Value = value;
    }

    /// <summary>Why <paramref name="value"/> cannot be an absolute IRI here, or null when it can.</summary>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "an IRI must not be empty";
        }

        if (!SchemePattern().IsMatch(value))
        {
            return $"'{value}' is not an absolute IRI (it needs a scheme such as https:)";
        }

        foreach (var c in value)
        {
            if (c <= ' ' || c == '\u007f' || "<>\"{}|^`\\".Contains(c, StringComparison.Ordinal))
            {
                return $"an IRI may not hold the character U+{(int)c:X4}";
            }
        }

        return RdfText.IsWellFormed(value) ? null : "an IRI may not hold a lone surrogate";
    }

    public string Value { get; }

    public override string ToString() => $"<{Value}>";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePattern();
}

/// <summary>A blank node, named by a label that is unique within its graph.</summary>
public sealed partial record RdfBlank : RdfTerm
{
    public RdfBlank(string label)
    {
        if (!LabelPattern().IsMatch(label))
        {
            throw new ArgumentException($"blank node label '{label}' must be letters and digits, starting with a letter", nameof(label));
        }

        Label = label;
    }

    public string Label { get; }

    public override string ToString() => $"_:{Label}";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}

/// <summary>
/// A literal: a string with a language tag (<c>rdf:langString</c>), a typed value, or a plain string (<c>xsd:string</c>).
/// </summary>
public sealed partial record RdfLiteral : RdfTerm
{
    public const string XsdString = "http://www.w3.org/2001/XMLSchema#string";

    private RdfLiteral(string value, string? language, string? datatype)
    {
        Value = value;
        Language = language;
        Datatype = datatype;
    }

    public string Value { get; }

    /// <summary>The BCP 47 language tag in lower case, or null.</summary>
    public string? Language { get; }

    /// <summary>The datatype IRI, or null for a language-tagged or plain (xsd:string) literal.</summary>
    public string? Datatype { get; }

    public static RdfLiteral Plain(string value) => new(RdfText.RequireWellFormed(value), null, null);

    public static RdfLiteral Tagged(string value, string language)
    {
        if (!IsLanguageTag(language))
        {
            throw new ArgumentException($"'{language}' is not a BCP 47 language tag", nameof(language));
        }

        return new(RdfText.RequireWellFormed(value), language.ToLowerInvariant(), null);
    }

    public static RdfLiteral Typed(string value, string datatype)
    {
        ArgumentException.ThrowIfNullOrEmpty(datatype);
        return datatype == XsdString ? Plain(value) : new(RdfText.RequireWellFormed(value), null, datatype);
    }

    /// <summary>Whether <paramref name="tag"/> has the form Turtle and JSON-LD accept for a language tag.</summary>
    public static bool IsLanguageTag(string? tag) => tag is not null && LanguageTagPattern().IsMatch(tag);

    [GeneratedRegex("^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTagPattern();
}

/// <summary>One statement.</summary>
public sealed record RdfTriple(RdfTerm Subject, RdfIri Predicate, RdfTerm Value);

/// <summary>Checks on text that becomes part of an RDF document.</summary>
public static class RdfText
{
    /// <summary>The text itself; refuses a lone surrogate, which neither Turtle nor JSON can carry.</summary>
    public static string RequireWellFormed(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return IsWellFormed(value) ? value : throw new ArgumentException("text holds a lone surrogate", nameof(value));
    }

    public static bool IsWellFormed(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
