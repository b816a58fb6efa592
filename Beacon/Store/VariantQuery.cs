namespace GenomeNode.Beacon.Store;

/// <summary>The kinds of genomic variant query Beacon v2 defines.</summary>
public enum VariantQueryKind
{
    Sequence,
    Range,
    Bracket,
    Gene,
    GenomicAllele,
    All,
}

/// <summary>
/// A validated, normalised variant query in store terms: canonical chromosome, 0-based coordinates, trimmed alleles.
/// </summary>
public sealed record VariantQuery
{
    public required VariantQueryKind Kind { get; init; }

    /// <summary>Canonical assembly (GRCh38/GRCh37) or null for any.</summary>
    public string? Assembly { get; init; }

    public string? Chromosome { get; init; }

    /// <summary>Sequence: the canonical start. Range: inclusive start of the window. Bracket: minimum start.</summary>
    public long Start { get; init; }

    /// <summary>Range: exclusive end of the window. Bracket: maximum start.</summary>
    public long End { get; init; }

    /// <summary>Bracket: minimum and maximum end.</summary>
    public long EndMin { get; init; }

    public long EndMax { get; init; }

    /// <summary>Sequence: canonical (trimmed) REF; null when the query gave none.</summary>
    public string? Ref { get; init; }

    /// <summary>Sequence: canonical (trimmed) ALT. Range/gene: an optional ALT filter as given (upper case).</summary>
    public string? Alt { get; init; }

    /// <summary>Sequence/genomic allele: the canonical end, when the query fixes it.</summary>
    public long? AlleleEnd { get; init; }

    /// <summary>The stored variant types to match (any of them); null for any type.</summary>
    public IReadOnlyList<string>? VariantTypes { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    public string? GeneId { get; init; }

    /// <summary>One-letter form (V600E).</summary>
    public string? AminoacidChange { get; init; }

    /// <summary>An exact variant id (from /g_variants/{id}).</summary>
    public string? VariantId { get; init; }
}

/// <summary>A stored variant as a query returns it.</summary>
public sealed record StoredVariant(
    string DatasetId,
    string Assembly,
    string Chromosome,
    int Start,
    int End,
    string Ref,
    string Alt,
    string VariantType,
    string? VcfId,
    int AlleleCount,
    int AlleleNumber,
    IReadOnlyList<int> Heterozygous,
    IReadOnlyList<int> Homozygous,
    IReadOnlyList<int> Hemizygous,
    IReadOnlyList<string> Genes,
    IReadOnlyList<string> Effects,
    IReadOnlyList<string> AminoacidChanges,
    IReadOnlyList<string> TranscriptHgvs,
    IReadOnlyList<string> ProteinHgvs)
{
    /// <summary>Individuals carrying the allele.</summary>
    public int CarrierCount => Heterozygous.Count + Homozygous.Count + Hemizygous.Count;

    /// <summary>The id /g_variants/{id} takes: chromosome:start:ref:alt with 0-based start, '-' for an empty allele.</summary>
    public string VariantInternalId => VariantIds.Format(Chromosome, Start, Ref, Alt);
}

/// <summary>Variant ids: <c>17:43045711:G:A</c> (0-based start, trimmed alleles, '-' for empty).</summary>
public static class VariantIds
{
    public static string Format(string chromosome, int start, string reference, string alternate) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{chromosome}:{start}:{(reference.Length == 0 ? "-" : reference)}:{(alternate.Length == 0 ? "-" : alternate)}");

    public static bool TryParse(string id, out string chromosome, out int start, out string reference, out string alternate)
    {
        chromosome = reference = alternate = "";
        start = 0;
        // Contig names may hold ':' themselves (HLA-A*01:01:01:01): the last three parts are start, ref and alt.
        var parts = id.Split(':');
        if (parts.Length < 4 ||
            !int.TryParse(parts[^3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out start))
        {
            return false;
        }

        chromosome = string.Join(':', parts[..^3]);
        reference = parts[^2] == "-" ? "" : parts[^2];
        alternate = parts[^1] == "-" ? "" : parts[^1];
        return chromosome.Length > 0 && reference.Length + alternate.Length > 0;
    }
}
