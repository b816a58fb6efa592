using System.Text.Json.Nodes;
using Hl7.Fhir.Model;

namespace GenomeNode.Beacon.Import.Fhir;

/// <summary>
/// FHIR codings as Beacon ontology terms: the code system URI (Coding.system) names the CURIE prefix, the code is the
/// local part. The table is docs/fhir-mapping.md's "Code systems".
/// </summary>
internal static class FhirTerms
{
    private const string OboPurl = "http://purl.obolibrary.org/obo/";

    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["http://snomed.info/sct"] = "SNOMED",
        ["http://hl7.org/fhir/sid/icd-10"] = "ICD10",
        ["http://hl7.org/fhir/sid/icd-10-cm"] = "ICD10CM",
        ["http://hl7.org/fhir/sid/icd-9-cm"] = "ICD9CM",
        ["http://loinc.org"] = "LOINC",
        // HL7 Terminology's URIs for HPO, NCIt, Orphanet and OMIM; the OBO PURLs of every OBO ontology follow below.
        ["http://human-phenotype-ontology.org"] = "HP",
        ["http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"] = "NCIT",
        ["http://www.orpha.net"] = "ORPHA",
        ["http://www.orpha.net/ORDO"] = "ORPHA",
        ["https://omim.org"] = "OMIM",
        ["http://omim.org"] = "OMIM",
        ["http://www.ebi.ac.uk/efo/efo.owl"] = "EFO",
        ["http://unitsofmeasure.org"] = "UCUM",
    };

    /// <summary>The CURIE prefix of a code system, or null when the import does not map it.</summary>
    public static string? PrefixOf(string? system)
    {
        if (system is null)
        {
            return null;
        }

        if (Prefixes.TryGetValue(system.TrimEnd('/'), out var prefix))
        {
            return prefix;
        }

        // OBO Foundry PURLs: http://purl.obolibrary.org/obo/mondo.owl is MONDO, hp.owl HP, ncit.owl NCIT, uberon.owl UBERON.
        if (system.StartsWith(OboPurl, StringComparison.Ordinal) && system.EndsWith(".owl", StringComparison.Ordinal))
        {
            var name = system[OboPurl.Length..^".owl".Length];
            if (name.Length > 0 && name.All(char.IsAsciiLetterOrDigit))
            {
                return name.ToUpperInvariant();
            }
        }

        return null;
    }

    /// <summary>The CURIE of a coding, or null when its system is not mapped or its code is not one concept id.</summary>
    public static string? CurieOf(Coding coding)
    {
        var prefix = PrefixOf(coding.System);
        var code = coding.Code?.Trim();
        if (prefix is null || string.IsNullOrEmpty(code))
        {
            return null;
        }

        // Codes written as CURIEs already (HP:0001250, ORPHA:558) keep their local part.
        if (code.Length > prefix.Length + 1 && code.StartsWith(prefix + ":", StringComparison.OrdinalIgnoreCase))
        {
            code = code[(prefix.Length + 1)..];
        }

        // One concept, not an expression: SNOMED post-coordination (a:b=c, |label|) or free text is no term.
        if (code.Any(c => char.IsWhiteSpace(c) || c is '|' or '{' or '}' or '=' or ',' or ':'))
        {
            return null;
        }

        return prefix + ":" + code;
    }

    /// <summary>
    /// The concept as an ontology term ({id, label}): its first coding of a mapped system (or, with
    /// <paramref name="preferredPrefix"/>, the first of that prefix if any); null when none maps.
    /// </summary>
    public static JsonObject? TermOf(CodeableConcept? concept, string? preferredPrefix = null)
    {
        if (concept is null)
        {
            return null;
        }

        (Coding Coding, string Curie)? chosen = null;
        foreach (var coding in concept.Coding)
        {
            if (CurieOf(coding) is not { } curie)
            {
                continue;
            }

            if (preferredPrefix is not null && curie.StartsWith(preferredPrefix + ":", StringComparison.Ordinal))
            {
                chosen = (coding, curie);
                break;
            }

            chosen ??= (coding, curie);
        }

        if (chosen is not { } found)
        {
            return null;
        }

        var term = new JsonObject { ["id"] = found.Curie };
        var label = found.Coding.Display ?? concept.Text;
        if (!string.IsNullOrWhiteSpace(label))
        {
            term["label"] = label;
        }

        return term;
    }

    /// <summary>Whether any coding of the concept is of the code system with this CURIE prefix.</summary>
    public static bool Has(CodeableConcept? concept, string prefix) =>
        concept?.Coding.Any(c => string.Equals(PrefixOf(c.System), prefix, StringComparison.Ordinal)) == true;

    /// <summary>The code systems of a concept, for an error saying why none mapped.</summary>
    public static string SystemsOf(CodeableConcept? concept) =>
        concept is null || concept.Coding.Count == 0
            ? "no coding" + (string.IsNullOrEmpty(concept?.Text) ? "" : $", only the text '{concept.Text}'")
            : "codings of " + string.Join(", ", concept.Coding.Select(c => c.System ?? "no system").Distinct(StringComparer.Ordinal));

    /// <summary>Whether a coding is the code <paramref name="code"/> of the system <paramref name="system"/>.</summary>
    public static bool Is(Coding coding, string system, string code) =>
        string.Equals(coding.System, system, StringComparison.Ordinal) && string.Equals(coding.Code, code, StringComparison.Ordinal);
}
