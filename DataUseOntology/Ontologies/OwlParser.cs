using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace GenomeNode.DataUseOntology.Ontologies;

/// <summary>
/// Reads OWL ontologies in RDF/XML as the OBO Foundry publishes them (e.g. duo.owl): named classes with their
/// oboInOwl ids, labels, definitions, synonyms, deprecation, replacements, named superclasses (is_a) and
/// existential restrictions (relations).
/// </summary>
public static partial class OwlParser
{
    public const string Format = "owl";

    private static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static readonly XNamespace Rdfs = "http://www.w3.org/2000/01/rdf-schema#";
    private static readonly XNamespace Owl = "http://www.w3.org/2002/07/owl#";
    private static readonly XNamespace Obo = Curie.OboNamespace;
    private static readonly XNamespace OboInOwl = "http://www.geneontology.org/formats/oboInOwl#";
    private static readonly XNamespace Xml = XNamespace.Xml;

    private const string ObsoleteClass = "http://www.geneontology.org/formats/oboInOwl#ObsoleteClass";
    private const string OwlThing = "http://www.w3.org/2002/07/owl#Thing";

    private static readonly (XName Name, string Scope)[] SynonymProperties =
    [
        (OboInOwl + "hasExactSynonym", "EXACT"),
        (OboInOwl + "hasBroadSynonym", "BROAD"),
        (OboInOwl + "hasNarrowSynonym", "NARROW"),
        (OboInOwl + "hasRelatedSynonym", "RELATED"),
    ];

    [GeneratedRegex(@"\b([A-Za-z][A-Za-z0-9]*)_(\d+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex OboLocalNameInText();

    /// <summary>
    /// The version <see cref="Parse"/> would report (owl:versionIRI, else owl:versionInfo, of the root's owl:Ontology),
    /// read without parsing the classes: the Ontology element comes first in OBO releases, so this reads a few lines.
    /// Null when there is none or the document is not RDF/XML.
    /// </summary>
    public static string? ReadVersion(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "RDF" || reader.NamespaceURI != Rdf.NamespaceName
                || reader.IsEmptyElement)
            {
                return null;
            }

            reader.Read();
            while (!reader.EOF && reader.Depth >= 1)
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != 1)
                {
                    reader.Read();
                    continue;
                }

                if (reader.LocalName == "Ontology" && reader.NamespaceURI == Owl.NamespaceName)
                {
                    var ontology = (XElement)XNode.ReadFrom(reader);
                    return ontology.Element(Owl + "versionIRI")?.Attribute(Rdf + "resource")?.Value ?? ontology.Element(Owl + "versionInfo")?.Value;
                }

                reader.Skip();
            }

            return null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    public static OntologyGraph Parse(Stream stream, string source, string? prefix)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new OntologyFormatException($"{source}:{ex.LineNumber}: malformed RDF/XML (is the file truncated?): {ex.Message}");
        }

        var root = document.Root;
        if (root is null || root.Name != Rdf + "RDF")
        {
            throw new OntologyFormatException($"{source}: not an RDF/XML document (root element is {root?.Name.LocalName ?? "missing"})");
        }

        var classes = root.Elements(Owl + "Class").Where(element => element.Attribute(Rdf + "about") is not null).ToList();
        // Ids come from oboInOwl:id where present: some releases have IRIs that disagree with it (DUO's NPOA).
        var idsByIri = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in classes)
        {
            var iri = element.Attribute(Rdf + "about")!.Value;
            var id = element.Element(OboInOwl + "id")?.Value.Trim() ?? Curie.FromOboIri(iri)
                ?? throw Fault(source, element, $"unknown prefix: class {iri} has no oboInOwl:id and is not an OBO Foundry IRI");
            if (!Curie.IsValid(id))
            {
                throw Fault(source, element, $"class {iri} has the malformed id '{id}'");
            }

            idsByIri.TryAdd(iri, id);
        }

        string Resolve(XElement at, string iri) =>
            idsByIri.GetValueOrDefault(iri) ?? Curie.FromOboIri(iri)
            ?? throw Fault(source, at, $"unknown prefix: cannot name {iri} as PREFIX:ID");

        var terms = new List<OntologyTerm>();
        var edges = new List<OntologyEdge>();
        foreach (var element in classes)
        {
            var id = idsByIri[element.Attribute(Rdf + "about")!.Value];
            var obsolete = string.Equals(element.Element(Owl + "deprecated")?.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
            foreach (var superClass in element.Elements(Rdfs + "subClassOf"))
            {
                if (superClass.Attribute(Rdf + "resource")?.Value is { } parentIri)
                {
                    if (parentIri == ObsoleteClass)
                    {
                        obsolete = true;
                    }
                    else if (parentIri != OwlThing)
                    {
                        edges.Add(new OntologyEdge(id, OntologyEdge.IsA, Resolve(superClass, parentIri)));
                    }
                }
                else if (superClass.Element(Owl + "Restriction") is { } restriction
                         && restriction.Element(Owl + "onProperty")?.Attribute(Rdf + "resource")?.Value is { } property
                         && restriction.Element(Owl + "someValuesFrom")?.Attribute(Rdf + "resource")?.Value is { } filler)
                {
                    edges.Add(new OntologyEdge(id, Resolve(restriction, property), Resolve(restriction, filler)));
                }
            }

            terms.Add(new OntologyTerm(
                id,
                English(element, Rdfs + "label"),
                English(element, Obo + "IAO_0000115"),
                element.Element(OboInOwl + "shorthand")?.Value.Trim(),
                obsolete,
                ReplacedBy(element),
                [.. SynonymProperties.SelectMany(property => element.Elements(property.Name)
                    .Select(synonym => new OntologySynonym(synonym.Value.Trim(), property.Scope)))]));
        }

        if (terms.Count == 0)
        {
            throw new OntologyFormatException($"{source}: no owl:Class with an IRI: not an OWL ontology, or the file is truncated");
        }

        var ontology = root.Element(Owl + "Ontology");
        return new OntologyGraph(
            OboParser.ResolvePrefix(source, prefix, terms),
            ontology?.Attribute(Rdf + "about")?.Value,
            ontology?.Element(Owl + "versionIRI")?.Attribute(Rdf + "resource")?.Value ?? ontology?.Element(Owl + "versionInfo")?.Value,
            Format,
            terms,
            edges);
    }

    /// <summary>IAO_0100001 "term replaced by": an IRI, or in some releases free text naming PREFIX_NNN ids.</summary>
    private static List<string> ReplacedBy(XElement element)
    {
        var replacements = new List<string>();
        foreach (var replaced in element.Elements(Obo + "IAO_0100001"))
        {
            if (replaced.Attribute(Rdf + "resource")?.Value is { } iri)
            {
                if (Curie.FromOboIri(iri) is { } curie)
                {
                    replacements.Add(curie);
                }
            }
            else
            {
                replacements.AddRange(OboLocalNameInText().Matches(replaced.Value).Select(match => $"{match.Groups[1].Value}:{match.Groups[2].Value}"));
            }
        }

        return replacements;
    }

    private static string? English(XElement element, XName property)
    {
        var values = element.Elements(property).ToList();
        var chosen = values.FirstOrDefault(value => value.Attribute(Xml + "lang")?.Value is null or "en" or "en-GB" or "en-US") ?? values.FirstOrDefault();
        return chosen?.Value.Trim();
    }

    private static OntologyFormatException Fault(string source, XElement at, string reason) =>
        new($"{source}:{((IXmlLineInfo)at).LineNumber}: {reason}");
}
