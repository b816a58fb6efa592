using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GenomeNode.Passport.Rdf;

/// <summary>
/// Writes a graph as Turtle (RDF 1.1): statements grouped by subject in the order they were added, prefixed names only
/// where the local part is a plain name, every literal in double quotes with its special characters escaped.
/// </summary>
public static partial class TurtleWriter
{
    private const string RdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

    public static string Write(RdfGraph graph, IReadOnlyList<(string Prefix, string Namespace)> prefixes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(prefixes);
        var text = new StringBuilder();
        foreach (var (prefix, ns) in prefixes)
        {
            text.Append(CultureInfo.InvariantCulture, $"@prefix {prefix}: <{ns}> .\n");
        }

        foreach (var subject in graph.Triples.GroupBy(t => t.Subject))
        {
            text.Append('\n').Append(Term(subject.Key, prefixes));
            var byPredicate = subject
                .GroupBy(t => t.Predicate)
                .OrderBy(p => p.Key.Value == RdfType ? 0 : 1)
                .ToList();
            for (var i = 0; i < byPredicate.Count; i++)
            {
                var predicate = byPredicate[i];
                text.Append(i == 0 ? " " : "    ");
                text.Append(predicate.Key.Value == RdfType ? "a" : Term(predicate.Key, prefixes));
                text.Append(' ');
                text.AppendJoin(", ", predicate.Select(t => Term(t.Value, prefixes)));
                text.Append(i == byPredicate.Count - 1 ? " .\n" : " ;\n");
            }
        }

        return text.ToString();
    }

    /// <summary>A term as Turtle writes it.</summary>
    public static string Term(RdfTerm term, IReadOnlyList<(string Prefix, string Namespace)> prefixes) => term switch
    {
        RdfIri iri => Name(iri.Value, prefixes),
        RdfBlank blank => $"_:{blank.Label}",
        RdfLiteral literal => Literal(literal, prefixes),
        _ => throw new ArgumentException($"unknown term {term}", nameof(term)),
    };

    /// <summary>
    /// A string between double quotes: <c>"</c> and <c>\</c> escaped, line breaks and tabs as <c>\n \r \t</c>, other
    /// control characters as <c>\uXXXX</c>; everything else as it is (the document is UTF-8).
    /// </summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < ' ' || c == '\u007f')
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    private static string Literal(RdfLiteral literal, IReadOnlyList<(string Prefix, string Namespace)> prefixes) =>
        literal switch
        {
            { Language: { } language } => $"{Quote(literal.Value)}@{language}",
            { Datatype: { } datatype } => $"{Quote(literal.Value)}^^{Name(datatype, prefixes)}",
            _ => Quote(literal.Value),
        };

    private static string Name(string iri, IReadOnlyList<(string Prefix, string Namespace)> prefixes)
    {
        foreach (var (prefix, ns) in prefixes)
        {
            if (iri.Length > ns.Length && iri.StartsWith(ns, StringComparison.Ordinal) && LocalName().IsMatch(iri.AsSpan(ns.Length)))
            {
                return $"{prefix}:{iri[ns.Length..]}";
            }
        }

        // RdfIri refuses every character IRIREF would need escaped, so the IRI is written as it is.
        return $"<{iri}>";
    }

    // A subset of Turtle's PN_LOCAL that needs no escape and cannot end in '.'.
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LocalName();
}
