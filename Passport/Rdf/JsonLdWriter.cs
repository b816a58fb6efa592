using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GenomeNode.Passport.Rdf;

/// <summary>
/// Writes a graph as JSON-LD 1.1 in flattened form: one node object per subject (in the order the subjects were
/// added) under <c>@graph</c>, property names as compact IRIs of the given prefixes (declared in <c>@context</c>),
/// every value as an explicit object (<c>@id</c>, or <c>@value</c> with <c>@language</c> or <c>@type</c>) holding a
/// full IRI. The graph it denotes is exactly the one <see cref="TurtleWriter"/> writes.
/// </summary>
public static class JsonLdWriter
{
    private const string RdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // The default encoder: everything outside ASCII letters, digits and safe punctuation as \uXXXX.
        Encoder = JavaScriptEncoder.Default,
    };

    public static string Write(RdfGraph graph, IReadOnlyList<(string Prefix, string Namespace)> prefixes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(prefixes);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteStartObject("@context");
            foreach (var (prefix, ns) in prefixes)
            {
                json.WriteString(prefix, ns);
            }

            json.WriteEndObject();
            json.WriteStartArray("@graph");
            foreach (var subject in graph.Triples.GroupBy(t => t.Subject))
            {
                json.WriteStartObject();
                json.WriteString("@id", Id(subject.Key));
                var types = subject.Where(t => t.Predicate.Value == RdfType).Select(t => t.Value).ToList();
                if (types.Count > 0)
                {
                    json.WriteStartArray("@type");
                    foreach (var type in types)
                    {
                        json.WriteStringValue(type is RdfIri or RdfBlank ? Id(type)
                            : throw new ArgumentException("rdf:type with a literal value cannot be written as @type", nameof(graph)));
                    }

                    json.WriteEndArray();
                }

                foreach (var predicate in subject.Where(t => t.Predicate.Value != RdfType).GroupBy(t => t.Predicate))
                {
                    json.WriteStartArray(Key(predicate.Key.Value, prefixes));
                    foreach (var triple in predicate)
                    {
                        WriteValue(json, triple.Value);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter json, RdfTerm value)
    {
        json.WriteStartObject();
        switch (value)
        {
            case RdfIri or RdfBlank:
                json.WriteString("@id", Id(value));
                break;
            case RdfLiteral literal:
                json.WriteString("@value", literal.Value);
                if (literal.Language is { } language)
                {
                    json.WriteString("@language", language);
                }
                else if (literal.Datatype is { } datatype)
                {
                    json.WriteString("@type", datatype);
                }

                break;
            default:
                throw new ArgumentException($"unknown term {value}", nameof(value));
        }

        json.WriteEndObject();
    }

    private static string Id(RdfTerm term) => term switch
    {
        RdfIri iri => iri.Value,
        RdfBlank blank => $"_:{blank.Label}",
        _ => throw new ArgumentException($"{term} cannot be a node", nameof(term)),
    };

    // A compact IRI only where the prefix is declared and the rest cannot be read as anything else; else the full IRI.
    private static string Key(string iri, IReadOnlyList<(string Prefix, string Namespace)> prefixes)
    {
        foreach (var (prefix, ns) in prefixes)
        {
            if (iri.Length > ns.Length && iri.StartsWith(ns, StringComparison.Ordinal)
                && !iri.AsSpan(ns.Length).StartsWith("//") && iri.AsSpan(ns.Length).IndexOfAny(':', '/', '#') < 0)
            {
                return $"{prefix}:{iri[ns.Length..]}";
            }
        }

        return iri;
    }
}
