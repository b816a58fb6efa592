namespace GenomeNode.Beacon.Store;

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

    /// <summary>How many individuals the allele is seen in: its carriers, or a sites-only VCF's INFO allele count.</summary>
    public int SeenIn => CarrierCount > 0 ? CarrierCount : AlleleCount;

    /// <summary>The id /g_variants/{id} takes: chromosome:start:ref:alt with 0-based start, '-' for an empty allele.</summary>
    public string VariantInternalId => VariantIds.Format(Chromosome, Start, Ref, Alt);
}

/// <summary>
/// Who one ingested VCF genotyped: its number of samples and the dataset's sample index of each sample column, in column
/// order (empty for a sites-only VCF); <see cref="SampleIndexes"/> is null for a file ingested before they were recorded.
/// </summary>
public sealed record VariantFileSamples(int Samples, IReadOnlyList<int>? SampleIndexes);

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
