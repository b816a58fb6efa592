namespace GenomeNode.DataUseOntology.Ontologies;

/// <summary>Parses an ontology file of either supported format.</summary>
public static class OntologyFiles
{
    /// <summary>OBO for .obo files, OWL RDF/XML for .owl/.rdf/.xml, else judged by the first character.</summary>
    public static OntologyGraph Parse(string path, string? prefix, IReadOnlySet<string> knownPrefixes)
    {
        var source = Path.GetFileName(path);
        try
        {
            using var stream = File.OpenRead(path);
            return Parse(stream, source, prefix, knownPrefixes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OntologyFormatException($"cannot read {path}: {ex.Message}");
        }
    }

    public static OntologyGraph Parse(Stream stream, string source, string? prefix, IReadOnlySet<string> knownPrefixes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!IsXml(stream, source))
        {
            using var reader = new StreamReader(stream);
            return OboParser.Parse(reader, source, prefix, knownPrefixes);
        }

        return OwlParser.Parse(stream, source, prefix);
    }

    private static bool IsXml(Stream stream, string source)
    {
        var extension = Path.GetExtension(source).ToUpperInvariant();
        if (extension is ".OBO")
        {
            return false;
        }

        if (extension is ".OWL" or ".RDF" or ".XML")
        {
            return true;
        }

        // Unknown extension: sniff the first non-blank byte, then rewind.
        int first;
        do
        {
            first = stream.ReadByte();
        }
        while (first is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF);

        stream.Position = 0;
        return first == '<';
    }
}
