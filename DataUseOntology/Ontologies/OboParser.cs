using System.Text;

namespace GenomeNode.DataUseOntology.Ontologies;

/// <summary>
/// Reads OBO flat files (format 1.2 and 1.4): [Term] stanzas with id, name, def, synonyms, is_a, relationship,
/// is_obsolete and replaced_by. Other tags and stanzas ([Typedef], [Instance]) are read for well-formedness and skipped.
/// </summary>
public static class OboParser
{
    public const string Format = "obo";

    public static OntologyGraph Parse(TextReader reader, string source, string? prefix, IReadOnlySet<string> knownPrefixes)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var declaredPrefixes = new HashSet<string>(StringComparer.Ordinal);
        var terms = new List<OntologyTerm>();
        var edges = new List<(OntologyEdge Edge, int Line)>();
        StanzaBuilder? stanza = null;
        var lineNumber = 0;

        void Finish()
        {
            if (stanza?.ToTerm(source) is { } term)
            {
                terms.Add(term);
                edges.AddRange(stanza.Edges);
            }

            stanza = null;
        }

        while (reader.ReadLine() is { } rawLine)
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '!')
            {
                continue;
            }

            if (line[0] == '[')
            {
                if (line[^1] != ']')
                {
                    throw Fault(source, lineNumber, $"malformed stanza header '{line}'");
                }

                Finish();
                stanza = new StanzaBuilder(line[1..^1].Trim(), lineNumber);
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Fault(source, lineNumber, $"expected 'tag: value', found '{Shorten(line)}'");
            }

            var tag = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (stanza is null)
            {
                header.TryAdd(tag, value);
                if (tag == "idspace" && value.Split(' ', 2)[0] is { Length: > 0 } space)
                {
                    declaredPrefixes.Add(space);
                }

                continue;
            }

            stanza.Add(tag, value, source, lineNumber);
        }

        Finish();
        if (terms.Count == 0)
        {
            throw new OntologyFormatException($"{source}: no [Term] stanza with an id: not an OBO ontology, or the file is truncated");
        }

        var ownPrefix = ResolvePrefix(source, prefix, terms);
        var defined = terms.Select(term => Curie.PrefixOf(term.Id)!).ToHashSet(StringComparer.Ordinal);
        foreach (var (edge, line) in edges.Where(e => e.Edge.Relation == OntologyEdge.IsA))
        {
            var parentPrefix = Curie.PrefixOf(edge.Parent)!;
            if (!defined.Contains(parentPrefix) && !declaredPrefixes.Contains(parentPrefix) && !knownPrefixes.Contains(parentPrefix))
            {
                throw Fault(source, line,
                    $"unknown prefix '{parentPrefix}' in 'is_a: {edge.Parent}' of {edge.Child}: no term of the file, " +
                    "idspace declaration or loaded ontology uses it");
            }
        }

        return new OntologyGraph(
            ownPrefix,
            header.GetValueOrDefault("ontology"),
            header.GetValueOrDefault("data-version"),
            Format,
            terms,
            [.. edges.Select(e => e.Edge)]);
    }

    /// <summary>The prefix given, which some term must use, or else the prefix most of the file's terms use.</summary>
    internal static string ResolvePrefix(string source, string? prefix, IReadOnlyList<OntologyTerm> terms)
    {
        var counts = terms.GroupBy(term => Curie.PrefixOf(term.Id)!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(prefix))
        {
            return counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).First().Key;
        }

        return counts.ContainsKey(prefix)
            ? prefix
            : throw new OntologyFormatException(
                $"{source}: no term has the prefix '{prefix}' (the file's prefixes: {string.Join(", ", counts.Keys.Order(StringComparer.Ordinal))})");
    }

    private static OntologyFormatException Fault(string source, int line, string reason) => new($"{source}:{line}: {reason}");

    private static string Shorten(string text) => GenomeNode.Shared.UnicodeText.Shorten(text, 63);

    /// <summary>Collects one stanza's tags.</summary>
    private sealed class StanzaBuilder(string kind, int line)
    {
        private readonly List<OntologySynonym> synonyms = [];
        private readonly List<string> replacedBy = [];
        private string? id;
        private string? label;
        private string? definition;
        private bool obsolete;

        public List<(OntologyEdge Edge, int Line)> Edges { get; } = [];

        private bool IsTerm => kind == "Term";

        public void Add(string tag, string value, string source, int lineNumber)
        {
            if (!IsTerm)
            {
                return;
            }

            switch (tag)
            {
                case "id":
                    id = RequireCurie(StripComment(value), source, lineNumber, "id");
                    break;
                case "name":
                    label = value;
                    break;
                case "def":
                    definition = ReadQuoted(value, source, lineNumber, out _);
                    break;
                case "synonym":
                    var text = ReadQuoted(value, source, lineNumber, out var afterText);
                    var scope = value[afterText..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                        .FirstOrDefault(word => word is "EXACT" or "BROAD" or "NARROW" or "RELATED") ?? "RELATED";
                    synonyms.Add(new OntologySynonym(text, scope));
                    break;
                case "is_a":
                    Edges.Add((new OntologyEdge(Id(source), OntologyEdge.IsA,
                        RequireCurie(StripComment(value), source, lineNumber, "is_a")), lineNumber));
                    break;
                case "relationship":
                    var parts = StripComment(value).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length < 2)
                    {
                        throw Fault(source, lineNumber, $"relationship needs a relation and a target: '{value}'");
                    }

                    Edges.Add((new OntologyEdge(Id(source), parts[0], RequireCurie(parts[1], source, lineNumber, "relationship")), lineNumber));
                    break;
                case "is_obsolete":
                    obsolete = StripComment(value) == "true";
                    break;
                case "replaced_by":
                    replacedBy.Add(RequireCurie(StripComment(value), source, lineNumber, "replaced_by"));
                    break;
            }
        }

        public OntologyTerm? ToTerm(string source)
        {
            if (!IsTerm)
            {
                return null;
            }

            return id is null
                ? throw Fault(source, line, "[Term] stanza without an id (is the file truncated?)")
                : new OntologyTerm(id, label, definition, null, obsolete, replacedBy, synonyms);
        }

        private string Id(string source) =>
            id ?? throw Fault(source, line, "the id must come first in a [Term] stanza");

        private static string StripComment(string value)
        {
            // "GO:0007005 ! mitochondrion organization" and trailing qualifiers "{...}" are not part of the value.
            var end = value.IndexOfAny(['!', '{']);
            return (end < 0 ? value : value[..end]).Trim();
        }

        private static string RequireCurie(string value, string source, int lineNumber, string tag) =>
            Curie.IsValid(value) ? value : throw Fault(source, lineNumber, $"'{tag}: {value}' is not a PREFIX:ID identifier");

        /// <summary>The text between the leading quotes, unescaped; <paramref name="end"/> is the index after the closing quote.</summary>
        private static string ReadQuoted(string value, string source, int lineNumber, out int end)
        {
            if (value.Length == 0 || value[0] != '"')
            {
                throw Fault(source, lineNumber, "expected a quoted text");
            }

            var text = new StringBuilder();
            for (var i = 1; i < value.Length; i++)
            {
                switch (value[i])
                {
                    case '\\' when i + 1 < value.Length:
                        text.Append(value[++i]);
                        break;
                    case '"':
                        end = i + 1;
                        return text.ToString();
                    default:
                        text.Append(value[i]);
                        break;
                }
            }

            throw Fault(source, lineNumber, "unterminated quoted text (is the file truncated?)");
        }
    }
}
