namespace GenomeNode.Beacon.Requests;

/// <summary>
/// A genomic variant query in store terms (canonical assembly and chromosome, 0-based half-open coordinates, alleles
/// trimmed as stored), one of a closed set of kinds, each with exactly the fields it has: <see cref="SequenceQuery"/>,
/// <see cref="VariantIdQuery"/>, <see cref="GenomicAlleleQuery"/>, <see cref="RangeQuery"/>, <see cref="BracketQuery"/>
/// and <see cref="GeneQuery"/>.
/// </summary>
public abstract record VariantQuery
{
    // Only the kinds below: whoever answers a query can switch over them.
    private protected VariantQuery(string? assembly) => Assembly = assembly;

    /// <summary>The canonical assembly (GRCh38, GRCh37), or null for any.</summary>
    public string? Assembly { get; init; }
}

/// <summary>
/// An allele at a position, from referenceBases/alternateBases or an HGVS substitution. With a reference, the allele as
/// stored (start, end, REF and ALT after <c>Alleles.Normalise</c>). Without one (none given, or N), a single-base change at
/// <paramref name="Start"/> to <paramref name="Alternate"/> (any ALT when null), of <paramref name="VariantTypes"/>.
/// </summary>
/// <param name="VariantTypes">the stored types to match (any of them), null for any</param>
public sealed record SequenceQuery(
    string? Assembly, string Chromosome, long Start, long End, string? Reference, string? Alternate, IReadOnlyList<string>? VariantTypes)
    : VariantQuery(Assembly)
{
    /// <summary>True when the query names one stored allele and nothing else: what the in-memory index answers.</summary>
    public bool IsExactAllele => Reference is not null && Alternate is not null && VariantTypes is null;
}

/// <summary>The variant of an id as <c>/g_variants/{id}</c> takes it: its start, REF and ALT as stored.</summary>
public sealed record VariantIdQuery(string? Assembly, string Chromosome, long Start, string Reference, string Alternate) : VariantQuery(Assembly);

/// <summary>
/// The allele an HGVS deletion, insertion, delins or duplication describes, at the stored (left-trimmed) position.
/// A duplication names no bases (they need the reference sequence): any insertion of <paramref name="Length"/> at its
/// end matches, and <paramref name="Alternate"/> is null.
/// </summary>
public sealed record GenomicAlleleQuery(
    string? Assembly, string Chromosome, long Start, long End, string? Alternate, string VariantType, int? Length) : VariantQuery(Assembly);

/// <summary>Every allele whose span overlaps <c>[Start, End)</c>; a pure insertion counts as the point at its start.</summary>
public sealed record RangeQuery(string? Assembly, string Chromosome, long Start, long End, string? GeneId, VariantNarrowing Narrowing)
    : VariantQuery(Assembly);

/// <summary>Every allele with <c>StartMin ≤ start ≤ StartMax</c> and <c>EndMin ≤ end ≤ EndMax</c>.</summary>
public sealed record BracketQuery(
    string? Assembly, string Chromosome, long StartMin, long StartMax, long EndMin, long EndMax, string? GeneId, VariantNarrowing Narrowing)
    : VariantQuery(Assembly);

/// <summary>Every allele whose annotation names the gene symbol.</summary>
public sealed record GeneQuery(string? Assembly, string GeneId, VariantNarrowing Narrowing) : VariantQuery(Assembly);

/// <summary>
/// The parameters that narrow range, bracket and gene queries, each null when not given.
/// </summary>
/// <param name="VariantTypes">the stored types to match (any of them)</param>
/// <param name="AlternateBases">the ALT as given (upper case), compared with the stored one</param>
/// <param name="AminoacidChange">in one-letter form (V600E)</param>
/// <param name="MinLength">the least length of the allele (the longer trimmed allele, or a symbolic one's span)</param>
/// <param name="MaxLength">the greatest length</param>
public sealed record VariantNarrowing(
    IReadOnlyList<string>? VariantTypes, string? AlternateBases, string? AminoacidChange, int? MinLength, int? MaxLength)
{
    public static VariantNarrowing None { get; } = new(null, null, null, null, null);
}
