using System.Text.RegularExpressions;

namespace GenomeNode.DataUseOntology.Ontologies;

/// <summary>Compact URIs (PREFIX:LOCAL) and the OBO Foundry IRIs they stand for.</summary>
public static partial class Curie
{
    public const string OboNamespace = "http://purl.obolibrary.org/obo/";

    [GeneratedRegex(@"^(?<prefix>[A-Za-z][A-Za-z0-9_.-]*):(?<local>[^\s:][^\s]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^(?<prefix>[A-Za-z][A-Za-z0-9.-]*)_(?<local>[^\s_/#]+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex OboLocalName();

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    /// <summary>The prefix of a CURIE, or null when <paramref name="curie"/> is not one.</summary>
    public static string? PrefixOf(string? curie)
    {
        var match = curie is null ? null : Pattern().Match(curie);
        return match is { Success: true } ? match.Groups["prefix"].Value : null;
    }

    /// <summary>DUO_0000007 under the OBO namespace becomes DUO:0000007; other IRIs give null.</summary>
    public static string? FromOboIri(string iri)
    {
        if (!iri.StartsWith(OboNamespace, StringComparison.Ordinal))
        {
            return null;
        }

        var match = OboLocalName().Match(iri[OboNamespace.Length..]);
        return match.Success ? $"{match.Groups["prefix"].Value}:{match.Groups["local"].Value}" : null;
    }
}
