using System.Runtime.CompilerServices;
using System.Text;
using GenomeNode.Beacon.Variants;

namespace GenomeNode.Beacon.Vcf;

/// <summary>
/// Reads the value of an ANN or CSQ INFO field into the alleles' <see cref="AlleleAnnotations"/>, by the rules of
/// <see cref="AnnotationLayout.Parse"/>: on the bytes, without a string per field, when the value and the ALTs are ASCII
/// without percent-escapes (what SnpEff and VEP write); otherwise through <see cref="AnnotationLayout.Parse"/> itself.
/// The alleles' annotations are empty before (<see cref="VcfRecord.ResetAlleles"/>).
/// </summary>
internal static class AnnotationFields
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Read(
        AnnotationLayout layout, ReadOnlySpan<byte> value, ReadOnlySpan<byte> reference, ReadOnlySpan<byte> altField,
        ReadOnlySpan<Range> alts, ReadOnlySpan<VcfAllele> alleles)
    {
        if (!Ascii.IsValid(value) || value.Contains((byte)'%') || !Ascii.IsValid(altField))
        {
            ReadAsText(layout, value, reference, altField, alts, alleles);
            return;
        }

        var last = Math.Max(Math.Max(Math.Max(layout.AlleleField, layout.EffectField), Math.Max(layout.GeneField, layout.FeatureField)),
            Math.Max(layout.HgvsCField, layout.HgvsPField));
        var rest = value;
        while (true)
        {
            var comma = rest.IndexOf((byte)',');
            var entry = comma < 0 ? rest : rest[..comma];
            Entry(layout, last, entry, reference, altField, alts, alleles);
            if (comma < 0)
            {
                break;
            }

            rest = rest[(comma + 1)..];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Entry(
        AnnotationLayout layout, int last, ReadOnlySpan<byte> entry, ReadOnlySpan<byte> reference, ReadOnlySpan<byte> altField,
        ReadOnlySpan<Range> alts, ReadOnlySpan<VcfAllele> alleles)
    {
        ReadOnlySpan<byte> allele = default, effect = default, gene = default, feature = default, hgvsC = default, hgvsP = default;
        var rest = entry;
        for (var field = 0; field <= last; field++)
        {
            var bar = rest.IndexOf((byte)'|');
            var text = bar < 0 ? rest : rest[..bar];
            if (field == layout.AlleleField)
            {
                allele = text;
            }

            if (field == layout.EffectField)
            {
                effect = text;
            }

            if (field == layout.GeneField)
            {
                gene = text;
            }

            if (field == layout.FeatureField)
            {
                feature = text;
            }

            if (field == layout.HgvsCField)
            {
                hgvsC = text;
            }

            if (field == layout.HgvsPField)
            {
                hgvsP = text;
            }

            if (bar < 0)
            {
                break;
            }

            rest = rest[(bar + 1)..];
        }

        var index = FindAlt(layout.IsVep, Trim(allele), reference, altField, alts);
        if (index < 0)
        {
            return;
        }

        var target = alleles[index].Annotation;
        target.Genes.AddDistinct(Trim(gene));
        var effects = Trim(effect);
        while (!effects.IsEmpty)
        {
            var ampersand = effects.IndexOf((byte)'&');
            target.Effects.AddDistinct(ampersand < 0 ? effects : effects[..ampersand]);
            effects = ampersand < 0 ? default : effects[(ampersand + 1)..];
        }

        hgvsC = Trim(hgvsC);
        if (!hgvsC.IsEmpty)
        {
            feature = Trim(feature);
            if (hgvsC.Contains((byte)':') || feature.IsEmpty)
            {
                target.TranscriptHgvs.AddDistinct(hgvsC);
            }
            else
            {
                target.TranscriptHgvs.AddDistinct(feature, (byte)':', hgvsC);
            }
        }

        hgvsP = Trim(hgvsP);
        if (!hgvsP.IsEmpty)
        {
            target.ProteinHgvs.AddDistinct(hgvsP);
            Span<byte> change = hgvsP.Length <= 256 ? stackalloc byte[256] : new byte[hgvsP.Length];
            var length = AminoAcidChange(hgvsP, change);
            if (length > 0)
            {
                target.AminoacidChanges.AddDistinct(change[..length]);
            }
        }
    }

    /// <summary>Which ALT an entry's allele names, as <see cref="AnnotationLayout.Parse"/> decides it; -1 for none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FindAlt(bool vep, ReadOnlySpan<byte> allele, ReadOnlySpan<byte> reference, ReadOnlySpan<byte> altField, ReadOnlySpan<Range> alts)
    {
        for (var i = 0; i < alts.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(altField[alts[i]], allele))
            {
                return i;
            }
        }

        if (vep && reference.Length > 0)
        {
            var first = Upper(reference[0]);
            var shared = true;
            foreach (var range in alts)
            {
                var alt = altField[range];
                shared &= alt.Length > 0 && Upper(alt[0]) == first;
            }

            if (shared)
            {
                for (var i = 0; i < alts.Length; i++)
                {
                    var alt = altField[alts[i]];
                    if (Ascii.EqualsIgnoreCase(alt.Length == 1 ? "-"u8 : alt[1..], allele))
                    {
                        return i;
                    }
                }
            }
        }

        return alts.Length == 1 ? 0 : -1;
    }

    /// <summary>
    /// <see cref="AminoAcids.ChangeFromHgvs"/> on ASCII bytes: writes the one-letter change to <paramref name="change"/>
    /// (at least as long as <paramref name="hgvs"/>) and returns its length, 0 for none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int AminoAcidChange(ReadOnlySpan<byte> hgvs, Span<byte> change)
    {
        var s = Trim(hgvs);
        var colon = s.LastIndexOf((byte)':');
        if (colon >= 0)
        {
            s = s[(colon + 1)..];
        }

        if (s.StartsWith("p."u8))
        {
            s = s[2..];
        }

        s = s.Trim("()"u8);
        if (s.Length < 2)
        {
            return 0;
        }

        var length = 0;
        for (var i = 0; i < s.Length;)
        {
            if (i + 3 <= s.Length && s[i] is >= (byte)'A' and <= (byte)'Z' && OneLetter(s.Slice(i, 3)) is var one and not 0)
            {
                change[length++] = one;
                i += 3;
            }
            else
            {
                change[length++] = s[i++];
            }
        }

        return length;
    }

    private static byte OneLetter(ReadOnlySpan<byte> code) => (code[0], code[1], code[2]) switch
    {
        ((byte)'A', (byte)'l', (byte)'a') => (byte)'A',
        ((byte)'A', (byte)'r', (byte)'g') => (byte)'R',
        ((byte)'A', (byte)'s', (byte)'n') => (byte)'N',
        ((byte)'A', (byte)'s', (byte)'p') => (byte)'D',
        ((byte)'C', (byte)'y', (byte)'s') => (byte)'C',
        ((byte)'G', (byte)'l', (byte)'n') => (byte)'Q',
        ((byte)'G', (byte)'l', (byte)'u') => (byte)'E',
        ((byte)'G', (byte)'l', (byte)'y') => (byte)'G',
        ((byte)'H', (byte)'i', (byte)'s') => (byte)'H',
        ((byte)'I', (byte)'l', (byte)'e') => (byte)'I',
        ((byte)'L', (byte)'e', (byte)'u') => (byte)'L',
        ((byte)'L', (byte)'y', (byte)'s') => (byte)'K',
        ((byte)'M', (byte)'e', (byte)'t') => (byte)'M',
        ((byte)'P', (byte)'h', (byte)'e') => (byte)'F',
        ((byte)'P', (byte)'r', (byte)'o') => (byte)'P',
        ((byte)'S', (byte)'e', (byte)'r') => (byte)'S',
        ((byte)'T', (byte)'h', (byte)'r') => (byte)'T',
        ((byte)'T', (byte)'r', (byte)'p') => (byte)'W',
        ((byte)'T', (byte)'y', (byte)'r') => (byte)'Y',
        ((byte)'V', (byte)'a', (byte)'l') => (byte)'V',
        ((byte)'S', (byte)'e', (byte)'c') => (byte)'U',
        ((byte)'P', (byte)'y', (byte)'l') => (byte)'O',
        ((byte)'T', (byte)'e', (byte)'r') => (byte)'*',
        ((byte)'X', (byte)'a', (byte)'a') => (byte)'X',
        _ => 0,
    };

    /// <summary>string.Trim() on ASCII: the characters char.IsWhiteSpace accepts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    private static bool IsWhiteSpace(byte b) => b is (byte)' ' or (>= 0x09 and <= 0x0D);

    private static byte Upper(byte b) => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b & ~0x20) : b;

    /// <summary>Text that is not plain ASCII, or has percent-escapes: decoded as before, then copied as UTF-8.</summary>
    private static void ReadAsText(
        AnnotationLayout layout, ReadOnlySpan<byte> value, ReadOnlySpan<byte> reference, ReadOnlySpan<byte> altField,
        ReadOnlySpan<Range> alts, ReadOnlySpan<VcfAllele> alleles)
    {
        var altStrings = new string[alts.Length];
        var perAlt = new AlleleAnnotation[alts.Length];
        for (var i = 0; i < alts.Length; i++)
        {
            altStrings[i] = Encoding.ASCII.GetString(altField[alts[i]]);
            perAlt[i] = new AlleleAnnotation();
        }

        layout.Parse(Encoding.UTF8.GetString(value), Encoding.ASCII.GetString(reference), altStrings, perAlt);
        for (var i = 0; i < alts.Length; i++)
        {
            var target = alleles[i].Annotation;
            Copy(perAlt[i].Genes, target.Genes);
            Copy(perAlt[i].Effects, target.Effects);
            Copy(perAlt[i].AminoacidChanges, target.AminoacidChanges);
            Copy(perAlt[i].TranscriptHgvs, target.TranscriptHgvs);
            Copy(perAlt[i].ProteinHgvs, target.ProteinHgvs);
        }
    }

    private static void Copy(List<string> from, Utf8List to)
    {
        foreach (var value in from)
        {
            to.AddDistinct(value);
        }
    }
}
