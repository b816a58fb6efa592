using System.Runtime.CompilerServices;
using System.Text;

namespace GenomeNode.Beacon.Vcf;

/// <summary>
/// One data line of a VCF as the store needs it. The reader fills the same instance for every line (no allocation per
/// record): read what you need before asking for the next record.
/// </summary>
public sealed class VcfRecord
{
    private readonly List<VcfAllele> alleles = [];
    private byte[] id = new byte[16];
    private int idLength;

    /// <summary>The canonical chromosome name ('17', 'X', 'MT'; see <see cref="Variants.ReferenceNames.Canonical"/>).</summary>
    public string Chromosome { get; internal set; } = "";

    /// <summary><see cref="Chromosome"/> as UTF-8.</summary>
    public ReadOnlySpan<byte> ChromosomeUtf8 => ChromosomeBytes;

    /// <summary>POS: 1-based, as written.</summary>
    public int Position { get; internal set; }

    /// <summary>ID as written; empty for '.'.</summary>
    public ReadOnlySpan<byte> Id => id.AsSpan(0, idLength);

    /// <summary>
    /// AN: the called alleles of the record's genotypes; for a sites-only VCF its INFO AN (0 without both AC and AN).
    /// </summary>
    public int AlleleNumber { get; internal set; }

    /// <summary>Whether the record carries the file's annotation field (ANN or CSQ); without it the alleles have none.</summary>
    public bool Annotated { get; internal set; }

    /// <summary>The ALT alleles, in ALT order ('*' and other placeholders included, as not <see cref="VcfAllele.Stored"/>).</summary>
    public ReadOnlySpan<VcfAllele> Alleles => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(alleles)[..AlleleCount];

    /// <summary>How many ALT alleles the record has.</summary>
    public int AlleleCount { get; private set; }

    internal byte[] ChromosomeBytes { get; set; } = [];

    internal void SetId(ReadOnlySpan<byte> value)
    {
        if (value.Length > id.Length)
        {
            id = new byte[Math.Max(value.Length, id.Length * 2)];
        }

        value.CopyTo(id);
        idLength = value.Length;
    }

    /// <summary>Makes room for <paramref name="count"/> ALT alleles, each emptied.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void ResetAlleles(int count)
    {
        while (alleles.Count < count)
        {
            alleles.Add(new VcfAllele(alleles.Count + 1));
        }

        for (var i = 0; i < count; i++)
        {
            alleles[i].Reset();
        }

        AlleleCount = count;
    }

    internal VcfAllele Allele(int index) => alleles[index];

    public override string ToString() =>
        $"{Chromosome}:{Position} [{string.Join("; ", Alleles.ToArray().Select(allele => allele.ToString()))}] AN={AlleleNumber}";
}

/// <summary>One ALT allele of a <see cref="VcfRecord"/>: its canonical form, its carriers and its annotation.</summary>
public sealed class VcfAllele
{
    private byte[] reference = new byte[8];
    private byte[] alternate = new byte[8];
    private int referenceLength;
    private int alternateLength;

    internal VcfAllele(int index) => Index = index;

    /// <summary>Its position in ALT, from 1 (the number genotypes name it by).</summary>
    public int Index { get; }

    /// <summary>
    /// False for what is no allele to store: '*', '&lt;*&gt;', '&lt;NON_REF&gt;' (and '.', '&lt;X&gt;'), and an ALT equal to REF.
    /// </summary>
    public bool Stored { get; internal set; }

    /// <summary>0-based start of the trimmed REF (for a symbolic allele: of the event).</summary>
    public int Start { get; internal set; }

    /// <summary>0-based, exclusive end; <c>End == Start</c> for a pure insertion.</summary>
    public int End { get; internal set; }

    /// <summary>Trimmed, upper-case REF; empty for an insertion or a symbolic allele.</summary>
    public ReadOnlySpan<byte> Ref => reference.AsSpan(0, referenceLength);

    /// <summary>Trimmed, upper-case ALT; empty for a deletion; a symbolic allele as written.</summary>
    public ReadOnlySpan<byte> Alt => alternate.AsSpan(0, alternateLength);

    /// <summary>SNP, MNP, INS, DEL, INDEL; symbolic alleles by their symbol (DEL, DUP, CNV, ...), breakends BND.</summary>
    public string VariantType { get; internal set; } = "";

    /// <summary>AC: copies of the allele in the genotypes (for a sites-only VCF its INFO AC).</summary>
    public int Count { get; internal set; }

    /// <summary>Sample columns (from 0, in header order) with one copy of the allele in a call of two or more alleles.</summary>
    public CarrierList Heterozygous { get; } = new();

    /// <summary>Sample columns whose called alleles are all this one (and at least two).</summary>
    public CarrierList Homozygous { get; } = new();

    /// <summary>Sample columns with a haploid call of this allele.</summary>
    public CarrierList Hemizygous { get; } = new();

    /// <summary>What the record's ANN or CSQ says about this allele.</summary>
    public AlleleAnnotations Annotation { get; } = new();

    internal void Reset()
    {
        Stored = false;
        Count = 0;
        Heterozygous.Clear();
        Homozygous.Clear();
        Hemizygous.Clear();
        Annotation.Clear();
    }

    internal void SetAlleles(ReadOnlySpan<byte> trimmedRef, ReadOnlySpan<byte> trimmedAlt, bool upper)
    {
        Copy(ref reference, ref referenceLength, trimmedRef, upper);
        Copy(ref alternate, ref alternateLength, trimmedAlt, upper);
    }

    public override string ToString() =>
        $"{Start}-{End} {Encoding.UTF8.GetString(Ref)}>{Encoding.UTF8.GetString(Alt)} {VariantType} AC={Count} het={Heterozygous} hom={Homozygous} hemi={Hemizygous}";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Copy(ref byte[] target, ref int length, ReadOnlySpan<byte> value, bool upper)
    {
        if (value.Length > target.Length)
        {
            target = new byte[Math.Max(value.Length, target.Length * 2)];
        }

        if (upper)
        {
            // Bases are ASCII letters (checked before): clearing bit 5 upper-cases them.
            for (var i = 0; i < value.Length; i++)
            {
                var b = value[i];
                target[i] = b is >= (byte)'a' and <= (byte)'z' ? (byte)(b & ~0x20) : b;
            }
        }
        else
        {
            value.CopyTo(target);
        }

        length = value.Length;
    }
}

/// <summary>Sample indexes, in the order added; reused from record to record.</summary>
public sealed class CarrierList
{
    private int[] items = new int[8];

    public int Count { get; private set; }

    public ReadOnlySpan<int> Span => items.AsSpan(0, Count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int sample)
    {
        if (Count == items.Length)
        {
            Array.Resize(ref items, items.Length * 2);
        }

        items[Count++] = sample;
    }

    public void Clear() => Count = 0;

    public override string ToString() => "[" + string.Join(",", Span.ToArray()) + "]";
}

/// <summary>
/// An allele's annotation from SnpEff's ANN or VEP's CSQ: distinct genes, effects, one-letter amino-acid changes
/// (R1831W), transcript HGVS (with its transcript) and protein HGVS, each in the order first seen.
/// </summary>
public sealed class AlleleAnnotations
{
    public Utf8List Genes { get; } = new();
    public Utf8List Effects { get; } = new();
    public Utf8List AminoacidChanges { get; } = new();
    public Utf8List TranscriptHgvs { get; } = new();
    public Utf8List ProteinHgvs { get; } = new();

    public void Clear()
    {
        Genes.Clear();
        Effects.Clear();
        AminoacidChanges.Clear();
        TranscriptHgvs.Clear();
        ProteinHgvs.Clear();
    }
}
