using System.Runtime.CompilerServices;

namespace GenomeNode.Beacon.Variants;

/// <summary>An allele in the store's canonical form: 0-based half-open span of the trimmed REF, trimmed REF and ALT.</summary>
public readonly record struct CanonicalAllele(int Start, int End, string Ref, string Alt, string VariantType);

/// <summary>
/// Normalisation of VCF alleles, the same for stored records and for queries: the common suffix, then the common
/// prefix of REF and ALT are removed, and the start moves by the prefix removed. So <c>POS=100 REF=AT ALT=A</c> is
/// stored as start 100, end 101, REF 'T', ALT '' (a deletion), whichever notation a query uses.
/// </summary>
public static class Alleles
{
    /// <summary>True for bases Beacon's allele pattern allows (IUPAC nucleotides), case-insensitive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsSequence(ReadOnlySpan<char> bases)
    {
        foreach (var c in bases)
        {
            switch (char.ToUpperInvariant(c))
            {
                case 'A' or 'C' or 'G' or 'T' or 'U' or 'N' or 'R' or 'Y' or 'S' or 'W' or 'K' or 'M' or 'B' or 'D' or 'H' or 'V':
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>True for ALTs that stand for no concrete allele: '*' (overlapping deletion), '&lt;*&gt;', '&lt;NON_REF&gt;', '.'.</summary>
    public static bool IsPlaceholder(ReadOnlySpan<char> alt) =>
        alt is "*" or "." or "<*>" or "<NON_REF>" or "<X>";

    /// <summary>True for symbolic ALTs (&lt;DEL&gt;, &lt;DUP:TANDEM&gt;, ...) and breakends (N[chr2:123[).</summary>
    public static bool IsSymbolic(ReadOnlySpan<char> alt) =>
        alt.Length > 0 && (alt[0] == '<' || alt.Contains('[') || alt.Contains(']') || (alt.Length > 1 && (alt[0] == '.' || alt[^1] == '.')));

    /// <summary>
    /// Canonical form of a sequence allele at 0-based <paramref name="start"/>; null when REF equals ALT (no variant).
    /// Both must be sequences (see <see cref="IsSequence"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CanonicalAllele? Normalise(int start, ReadOnlySpan<char> reference, ReadOnlySpan<char> alternate)
    {
        var end = reference.Length;
        var altEnd = alternate.Length;
        while (end > 0 && altEnd > 0 && ToUpper(reference[end - 1]) == ToUpper(alternate[altEnd - 1]))
        {
            end--;
            altEnd--;
        }

        var prefix = 0;
        while (prefix < end && prefix < altEnd && ToUpper(reference[prefix]) == ToUpper(alternate[prefix]))
        {
            prefix++;
        }

        var r = reference[prefix..end];
        var a = alternate[prefix..altEnd];
        if (r.Length == 0 && a.Length == 0)
        {
            return null;
        }

        var type = (r.Length, a.Length) switch
        {
            (1, 1) => "SNP",
            (0, _) => "INS",
            (_, 0) => "DEL",
            var (x, y) when x == y => "MNP",
            _ => "INDEL",
        };
        var s = start + prefix;
        return new CanonicalAllele(s, s + r.Length, Upper(r), Upper(a), type);
    }

    /// <summary>The variant type of a symbolic ALT: &lt;DEL&gt; DEL, &lt;DUP:TANDEM&gt; DUP, &lt;CN0&gt; CNV, breakends BND.</summary>
    public static string SymbolicType(ReadOnlySpan<char> alt)
    {
        if (alt.Length > 2 && alt[0] == '<' && alt[^1] == '>')
        {
            var inner = alt[1..^1];
            var colon = inner.IndexOf(':');
            var head = (colon < 0 ? inner : inner[..colon]).ToString().ToUpperInvariant();
            return head.StartsWith("CN", StringComparison.Ordinal) ? "CNV" : head;
        }

        return "BND";
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Upper(ReadOnlySpan<char> bases)
    {
        if (bases.Length == 1)
        {
            return bases[0] switch
            {
                'A' or 'a' => "A",
                'C' or 'c' => "C",
                'G' or 'g' => "G",
                'T' or 't' => "T",
                _ => ToUpper(bases[0]).ToString(),
            };
        }

        Span<char> upper = bases.Length <= 256 ? stackalloc char[bases.Length] : new char[bases.Length];
        for (var i = 0; i < bases.Length; i++)
        {
            upper[i] = ToUpper(bases[i]);
        }

        return new string(upper);
    }

    // char.ToUpperInvariant without its call for the ASCII letters alleles are made of.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char ToUpper(char c) => c is >= 'a' and <= 'z' ? (char)(c - ('a' - 'A')) : c < 0x80 ? c : char.ToUpperInvariant(c);
}
