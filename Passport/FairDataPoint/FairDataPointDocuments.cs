using System.Globalization;
using GenomeNode.Passport.Datasets;
using GenomeNode.Passport.Rdf;

namespace GenomeNode.Passport.FairDataPoint;

/// <summary>The resources of the FAIR Data Point, as FDP 1.2 nests them.</summary>
public enum FairDataPointResource
{
    Root,
    Catalog,
    Dataset,
    Distribution,
}

/// <summary>
/// Builds the graph of each FAIR Data Point resource (FDP 1.2 over DCAT and HealthDCAT-AP, as the GDI metadata model's
/// SHACL shapes require): the FDP root, which contains the catalogue; the catalogue, which contains the listed
/// datasets; each dataset, which contains its distributions (one per file format). Containment is written the LDP way
/// (<c>ldp:DirectContainer</c> ... <c>ldp:contains</c>), which the GDI portal's harvester follows breadth-first. Each
/// document stands alone: the agents and contact points a resource names are described in its own document.
/// </summary>
/// <param name="root">the FDP root's absolute IRI (the node's public URL and <see cref="FairDataPointOptions.Path"/>)</param>
/// <param name="nodeBase">the node's public base URL, without a trailing slash</param>
public sealed class FairDataPointDocuments(FairDataPointOptions options, string root, string nodeBase, string softwareVersion)
{
    // What the node says of itself; the host fills these from Node:* when they are not configured, so the fallbacks
    // only serve a composition without the host (a module's own tests).
    private readonly IReadOnlyDictionary<string, string> title =
        options.Title.Count > 0 ? options.Title : new Dictionary<string, string> { ["en"] = "FAIR Data Point" };

    private readonly IReadOnlyDictionary<string, string> description =
        options.Description.Count > 0 ? options.Description
        : options.Title.Count > 0 ? options.Title : new Dictionary<string, string> { ["en"] = "FAIR Data Point" };

    private readonly string publisher = string.IsNullOrWhiteSpace(options.Publisher.Name) ? "Unconfigured publisher" : options.Publisher.Name.Trim();

    public const string FdpSpecification = "https://specs.fairdatapoint.org/fdp-specs-v1.2.html";

    /// <summary>The prefixes both serialisations declare.</summary>
    public static IReadOnlyList<(string Prefix, string Namespace)> Prefixes { get; } =
    [
        ("dcat", Vocabulary.Dcat),
        ("dct", Vocabulary.Dct),
        ("dcatap", Vocabulary.DcatAp),
        ("healthdcatap", Vocabulary.HealthDcatAp),
        ("foaf", Vocabulary.Foaf),
        ("vcard", Vocabulary.Vcard),
        ("ldp", Vocabulary.Ldp),
        ("fdp-o", Vocabulary.FdpO),
        ("xsd", Vocabulary.Xsd),
    ];

    public string RootIri => root;

    public string CatalogIri => $"{root}/catalog/{options.CatalogId}";

    public string DatasetIri(string id) => $"{root}/dataset/{id}";

    public string DistributionIri(string id, string name) => $"{root}/distribution/{id}/{name}";

    /// <summary>The distributions of a dataset: one per format it names (by short name, or <c>format-N</c>), else one (<c>data</c>).</summary>
    public static IReadOnlyList<(string Name, string? Format)> Distributions(DatasetMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Formats is not { Count: > 0 } formats)
        {
            return [("data", null)];
        }

        return [.. formats.Select((format, i) => (DatasetMetadataRules.FormatName(format) ?? $"format-{i + 1}", (string?)format))];
    }

    public RdfGraph Root()
    {
        var graph = new RdfGraph();
        var self = new RdfIri(root);
        graph.Add(self, Vocabulary.Type, new RdfIri(Vocabulary.FdpO + "MetadataService"))
            .Add(self, Vocabulary.Type, new RdfIri(Vocabulary.FdpO + "FAIRDataPoint"))
            .Add(self, Vocabulary.Type, new RdfIri(Vocabulary.Dcat + "DataService"))
            .Add(self, Vocabulary.Type, new RdfIri(Vocabulary.Dcat + "Resource"));
        Texts(graph, self, Vocabulary.Dct + "title", title);
        Texts(graph, self, Vocabulary.Dct + "description", description);
        graph.Add(self, Vocabulary.Iri(Vocabulary.Dct + "hasVersion"), RdfLiteral.Plain(softwareVersion))
            .Add(self, Vocabulary.Iri(Vocabulary.FdpO + "conformsToFdpSpec"), new RdfIri(FdpSpecification))
            .Add(self, Vocabulary.Iri(Vocabulary.Dcat + "endpointURL"), self)
            .Add(self, Vocabulary.Iri(Vocabulary.Dct + "publisher"), Agent(graph, publisher, options.Publisher.Email, options.Publisher.Url))
            .Add(self, Vocabulary.Iri(Vocabulary.FdpO + "metadataCatalog"), new RdfIri(CatalogIri));
        Container(graph, root + "#catalogs", "Catalogues", self, Vocabulary.FdpO + "metadataCatalog", [CatalogIri]);
        return graph;
    }

    public RdfGraph Catalog(IReadOnlyList<DescribedDataset> listed)
    {
        ArgumentNullException.ThrowIfNull(listed);
        var graph = new RdfGraph();
        var self = new RdfIri(CatalogIri);
        graph.Add(self, Vocabulary.Type, new RdfIri(Vocabulary.Dcat + "Catalog"))
            .Add(self, Vocabulary.Type, new RdfIri(Vocabulary.Dcat + "Resource"));
        Texts(graph, self, Vocabulary.Dct + "title", title);
        Texts(graph, self, Vocabulary.Dct + "description", description);
        graph.Add(self, Vocabulary.Iri(Vocabulary.DcatAp + "applicableLegislation"), new RdfIri(DatasetMetadataRules.Ehds))
            .Add(self, Vocabulary.Iri(Vocabulary.Dct + "publisher"), Agent(graph, publisher, options.Publisher.Email, options.Publisher.Url))
            .Add(self, Vocabulary.Iri(Vocabulary.Dct + "isPartOf"), new RdfIri(root));
        foreach (var described in listed)
        {
            graph.Add(self, Vocabulary.Iri(Vocabulary.Dcat + "dataset"), new RdfIri(DatasetIri(described.Dataset.Id)));
        }

        Container(graph, CatalogIri + "#datasets", "Datasets", self, Vocabulary.Dcat + "dataset",
            [.. listed.Select(d => DatasetIri(d.Dataset.Id))]);
        return graph;
    }

    public RdfGraph Dataset(DescribedDataset described)
    {
        ArgumentNullException.ThrowIfNull(described);
        var (dataset, metadata) = (described.Dataset, described.Metadata);
        var graph = new RdfGraph();
        var self = new RdfIri(DatasetIri(dataset.Id));
        graph.Add(self, Vocabulary.Type, new RdfIri(Vocabulary.Dcat + "Dataset"))
            .Add(self, Vocabulary.Type, new RdfIri(Vocabulary.Dcat + "Resource"))
            .Add(self, Vocabulary.Iri(Vocabulary.Dct + "identifier"), RdfLiteral.Plain(dataset.Id));
        Texts(graph, self, Vocabulary.Dct + "title", metadata.Title!);
        Texts(graph, self, Vocabulary.Dct + "description", metadata.Description!);
        foreach (var (language, words) in metadata.Keywords ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            foreach (var word in words)
            {
                graph.Add(self, Vocabulary.Iri(Vocabulary.Dcat + "keyword"), RdfLiteral.Tagged(word, language));
            }
        }

        foreach (var creator in metadata.Creators!)
        {
            graph.Add(self, Vocabulary.Iri(Vocabulary.Dct + "creator"), Agent(graph, creator, null, null));
        }

        var datasetPublisher = metadata.Publisher is { Name: { } name } own
            ? Agent(graph, name, own.Email, own.Url)
            : Agent(graph, publisher, options.Publisher.Email, options.Publisher.Url);
        graph.Add(self, Vocabulary.Iri(Vocabulary.Dct + "publisher"), datasetPublisher)
            .Add(self, Vocabulary.Iri(Vocabulary.Dcat + "contactPoint"), Contact(graph, metadata.ContactPoint!.Name!, metadata.ContactPoint.Email!, metadata.ContactPoint.Url))
            .Add(self, Vocabulary.Iri(Vocabulary.Dct + "accessRights"), new RdfIri(metadata.AccessRights!));
        Iris(graph, self, Vocabulary.DcatAp + "applicableLegislation", metadata.ApplicableLegislation);
        Iris(graph, self, Vocabulary.HealthDcatAp + "healthCategory", metadata.HealthCategories);
        Iris(graph, self, Vocabulary.Dcat + "theme", metadata.Themes);
        Iris(graph, self, Vocabulary.Dct + "language", metadata.Languages);
        if (metadata.Hdab is { Name: { } hdabName } hdab)
        {
            graph.Add(self, Vocabulary.Iri(Vocabulary.HealthDcatAp + "hdab"), Agent(graph, hdabName, hdab.Email, hdab.Url));
        }

        Count(graph, self, Vocabulary.HealthDcatAp + "numberOfRecords", metadata.NumberOfRecords);
        Count(graph, self, Vocabulary.HealthDcatAp + "numberOfUniqueIndividuals", metadata.NumberOfUniqueIndividuals);
        graph.Add(self, Vocabulary.Iri(Vocabulary.Dct + "isPartOf"), new RdfIri(CatalogIri));
        var distributions = Distributions(metadata).Select(d => DistributionIri(dataset.Id, d.Name)).ToList();
        foreach (var distribution in distributions)
        {
            graph.Add(self, Vocabulary.Iri(Vocabulary.Dcat + "distribution"), new RdfIri(distribution));
        }

        Container(graph, self.Value + "#distributions", "Distributions", self, Vocabulary.Dcat + "distribution", distributions);
        return graph;
    }

    /// <summary>The distribution <paramref name="name"/> of the dataset, or null when it has none of that name.</summary>
    public RdfGraph? Distribution(DescribedDataset described, string name)
    {
        ArgumentNullException.ThrowIfNull(described);
        var (dataset, metadata) = (described.Dataset, described.Metadata);
        var found = Distributions(metadata).Where(d => d.Name == name).ToList();
        if (found.Count == 0)
        {
            return null;
        }

        var format = found[0].Format;
        var graph = new RdfGraph();
        var self = new RdfIri(DistributionIri(dataset.Id, name));
        graph.Add(self, Vocabulary.Type, new RdfIri(Vocabulary.Dcat + "Distribution"))
            .Add(self, Vocabulary.Type, new RdfIri(Vocabulary.Dcat + "Resource"));
        var suffix = format is null ? "" : $" ({DatasetMetadataRules.FormatName(format)?.ToUpperInvariant() ?? name})";
        foreach (var (language, title) in metadata.Title!)
        {
            graph.Add(self, Vocabulary.Iri(Vocabulary.Dct + "title"), RdfLiteral.Tagged(title + suffix, language));
        }

        if (format is not null)
        {
            graph.Add(self, Vocabulary.Iri(Vocabulary.Dct + "format"), new RdfIri(format));
        }

        graph.Add(self, Vocabulary.Iri(Vocabulary.Dcat + "accessURL"), new RdfIri(metadata.AccessUrl ?? DefaultAccessUrl(dataset.Id)));
        Iris(graph, self, Vocabulary.DcatAp + "applicableLegislation", metadata.ApplicableLegislation);
        return graph;
    }

    private string DefaultAccessUrl(string id)
    {
        var url = options.AccessUrlTemplate.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal);
        return url.StartsWith('/') ? nodeBase + url : url;
    }

    private static void Container(RdfGraph graph, string iri, string title, RdfIri membership, string relation, IReadOnlyList<string> members)
    {
        var container = new RdfIri(iri);
        graph.Add(container, Vocabulary.Type, new RdfIri(Vocabulary.Ldp + "DirectContainer"))
            .Add(container, Vocabulary.Iri(Vocabulary.Dct + "title"), RdfLiteral.Plain(title))
            .Add(container, Vocabulary.Iri(Vocabulary.Ldp + "membershipResource"), membership)
            .Add(container, Vocabulary.Iri(Vocabulary.Ldp + "hasMemberRelation"), new RdfIri(relation));
        foreach (var member in members)
        {
            graph.Add(container, Vocabulary.Iri(Vocabulary.Ldp + "contains"), new RdfIri(member));
        }
    }

    private static void Texts(RdfGraph graph, RdfIri subject, string predicate, IReadOnlyDictionary<string, string> texts)
    {
        foreach (var (language, text) in texts.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            graph.Add(subject, Vocabulary.Iri(predicate), RdfLiteral.Tagged(text.Trim(), language));
        }
    }

    private static void Iris(RdfGraph graph, RdfIri subject, string predicate, IReadOnlyList<string>? iris)
    {
        foreach (var iri in iris ?? [])
        {
            graph.Add(subject, Vocabulary.Iri(predicate), new RdfIri(iri));
        }
    }

    private static void Count(RdfGraph graph, RdfIri subject, string predicate, long? count)
    {
        if (count is { } value)
        {
            graph.Add(subject, Vocabulary.Iri(predicate),
                RdfLiteral.Typed(value.ToString(CultureInfo.InvariantCulture), Vocabulary.Xsd + "nonNegativeInteger"));
        }
    }

    /// <summary>An organisation as a blank <c>foaf:Agent</c>; with an e-mail address, also its contact point.</summary>
    private static RdfBlank Agent(RdfGraph graph, string name, string? email, string? url)
    {
        var agent = graph.NewBlank();
        graph.Add(agent, Vocabulary.Type, new RdfIri(Vocabulary.Foaf + "Agent"))
            .Add(agent, Vocabulary.Iri(Vocabulary.Foaf + "name"), RdfLiteral.Plain(name));
        if (url is not null)
        {
            graph.Add(agent, Vocabulary.Iri(Vocabulary.Foaf + "homepage"), new RdfIri(url));
        }

        if (email is not null)
        {
            graph.Add(agent, Vocabulary.Iri(Vocabulary.Dcat + "contactPoint"), Contact(graph, name, email, null));
        }

        return agent;
    }

    /// <summary>A contact point: a blank <c>vcard:Kind</c> with its name and a <c>mailto:</c> IRI.</summary>
    private static RdfBlank Contact(RdfGraph graph, string name, string email, string? url)
    {
        var contact = graph.NewBlank();
        graph.Add(contact, Vocabulary.Type, new RdfIri(Vocabulary.Vcard + "Kind"))
            .Add(contact, Vocabulary.Iri(Vocabulary.Vcard + "fn"), RdfLiteral.Plain(name))
            .Add(contact, Vocabulary.Iri(Vocabulary.Vcard + "hasEmail"), new RdfIri("mailto:" + email));
        if (url is not null)
        {
            graph.Add(contact, Vocabulary.Iri(Vocabulary.Vcard + "hasURL"), new RdfIri(url));
        }

        return contact;
    }
}

/// <summary>The namespaces of the vocabularies the FAIR Data Point writes.</summary>
public static class Vocabulary
{
    public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string Xsd = "http://www.w3.org/2001/XMLSchema#";
    public const string Dct = "http://purl.org/dc/terms/";
    public const string Dcat = "http://www.w3.org/ns/dcat#";
    public const string DcatAp = "http://data.europa.eu/r5r/";
    public const string HealthDcatAp = "http://healthdataportal.eu/ns/health#";
    public const string Foaf = "http://xmlns.com/foaf/0.1/";
    public const string Vcard = "http://www.w3.org/2006/vcard/ns#";
    public const string Ldp = "http://www.w3.org/ns/ldp#";
    public const string FdpO = "https://w3id.org/fdp/fdp-o#";

    public static RdfIri Type { get; } = new(Rdf + "type");

    public static RdfIri Iri(string iri) => new(iri);
}
