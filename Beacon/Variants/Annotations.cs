using System.Text;

namespace GenomeNode.Beacon.Variants;

/// <summary>What a VCF's functional annotation says about one ALT allele.</summary>
public sealed class AlleleAnnotation
{
    public List<string> Genes { get; } = [];
    public List<string> Effects { get; } = [];
    public List<string> AminoacidChanges { get; } = [];
    public List<string> TranscriptHgvs { get; } = [];
    public List<string> ProteinHgvs { get; } = [];

    public bool IsEmpty => Genes.Count == 0 && Effects.Count == 0 && AminoacidChanges.Count == 0;

    public void Clear()
    {
        Genes.Clear();
        Effects.Clear();
        AminoacidChanges.Clear();
        TranscriptHgvs.Clear();
        ProteinHgvs.Clear();
    }

    internal static void AddDistinct(List<string> list, string value)
    {
        if (value.Length > 0 && !list.Contains(value))
        {
            list.Add(value);
        }
    }
}

/// <summary>
/// Layout of the INFO annotation field: SnpEff's <c>ANN</c> (fixed field order) or VEP's <c>CSQ</c> (order from the
/// header's "Format: Allele|Consequence|..." description).
/// </summary>
public sealed class AnnotationLayout
{
    private AnnotationLayout(string key, int allele, int effect, int gene, int feature, int hgvsC, int hgvsP, bool vep)
    {
        Key = key;
        AlleleField = allele;
        EffectField = effect;
        GeneField = gene;
        FeatureField = feature;
        HgvsCField = hgvsC;
        HgvsPField = hgvsP;
        IsVep = vep;
    }

    /// <summary>The INFO key: ANN or CSQ.</summary>
    public string Key { get; }

    public int AlleleField { get; }
    public int EffectField { get; }
    public int GeneField { get; }
    public int FeatureField { get; }
    public int HgvsCField { get; }
    public int HgvsPField { get; }
    public bool IsVep { get; }

    public static AnnotationLayout SnpEff { get; } = new("ANN", 0, 1, 3, 6, 9, 10, vep: false);

    /// <summary>The CSQ layout described by a <c>##INFO=&lt;ID=CSQ,...Description="...Format: A|B|..."&gt;</c> line, if any.</summary>
    public static AnnotationLayout? FromCsqHeader(string headerLine)
    {
        var format = headerLine.IndexOf("Format:", StringComparison.Ordinal);
        if (format < 0)
        {
            return null;
        }

        var fields = headerLine[(format + 7)..].TrimEnd('>').TrimEnd('"').Split('|', StringSplitOptions.TrimEntries);
        int Find(string name) => Array.FindIndex(fields, f => f.Equals(name, StringComparison.OrdinalIgnoreCase));
        return new AnnotationLayout("CSQ", Find("Allele"), Find("Consequence"), Find("SYMBOL"), Find("Feature"), Find("HGVSc"), Find("HGVSp"), vep: true);
    }

    /// <summary>
    /// Adds the annotations in <paramref name="value"/> (the INFO value) to <paramref name="perAlt"/>, by ALT: an entry
    /// names its allele as the ALT is written (SnpEff), or without the shared first base, '-' when empty (VEP).
    /// </summary>
    public void Parse(string value, string reference, IReadOnlyList<string> alts, IReadOnlyList<AlleleAnnotation> perAlt)
    {
        foreach (var entry in value.Split(','))
        {
            var fields = entry.Split('|');
            var altIndex = FindAlt(Field(fields, AlleleField), reference, alts);
            if (altIndex < 0)
            {
                continue;
            }

            var target = perAlt[altIndex];
            var gene = Field(fields, GeneField);
            AlleleAnnotation.AddDistinct(target.Genes, gene);
            foreach (var effect in Field(fields, EffectField).Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                AlleleAnnotation.AddDistinct(target.Effects, effect);
            }

            var feature = Field(fields, FeatureField);
            var hgvsC = Decode(Field(fields, HgvsCField));
            if (hgvsC.Length > 0)
            {
                AlleleAnnotation.AddDistinct(target.TranscriptHgvs,
                    hgvsC.Contains(':', StringComparison.Ordinal) || feature.Length == 0 ? hgvsC : $"{feature}:{hgvsC}");
            }

            var hgvsP = Decode(Field(fields, HgvsPField));
            if (hgvsP.Length > 0)
            {
                AlleleAnnotation.AddDistinct(target.ProteinHgvs, hgvsP);
                var change = AminoAcids.ChangeFromHgvs(hgvsP);
                if (change is not null)
                {
                    AlleleAnnotation.AddDistinct(target.AminoacidChanges, change);
                }
            }
        }
    }

    private static string Field(string[] fields, int index) => index >= 0 && index < fields.Length ? fields[index].Trim() : "";

    private static string Decode(string text) =>
        text.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(text) : text;

    private int FindAlt(string allele, string reference, IReadOnlyList<string> alts)
    {
        for (var i = 0; i < alts.Count; i++)
        {
            if (alts[i].Equals(allele, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        if (IsVep && reference.Length > 0 && alts.All(a => a.Length > 0 && char.ToUpperInvariant(a[0]) == char.ToUpperInvariant(reference[0])))
        {
            for (var i = 0; i < alts.Count; i++)
            {
                var trimmed = alts[i].Length == 1 ? "-" : alts[i][1..];
                if (trimmed.Equals(allele, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }

        return alts.Count == 1 ? 0 : -1;
    }
}

/// <summary>Amino-acid changes in the one-letter form Beacon queries use (V600E), from HGVS protein notation.</summary>
public static class AminoAcids
{
    private static readonly Dictionary<string, char> ThreeToOne = new(StringComparer.Ordinal)
    {
        ["Ala"] = 'A', ["Arg"] = 'R', ["Asn"] = 'N', ["Asp"] = 'D', ["Cys"] = 'C', ["Gln"] = 'Q', ["Glu"] = 'E',
        ["Gly"] = 'G', ["His"] = 'H', ["Ile"] = 'I', ["Leu"] = 'L', ["Lys"] = 'K', ["Met"] = 'M', ["Phe"] = 'F',
        ["Pro"] = 'P', ["Ser"] = 'S', ["Thr"] = 'T', ["Trp"] = 'W', ["Tyr"] = 'Y', ["Val"] = 'V', ["Sec"] = 'U',
        ["Pyl"] = 'O', ["Ter"] = '*', ["Xaa"] = 'X',
    };

    /// <summary>
    /// "p.Arg175His", "p.(Arg175His)", "ENSP01:p.Arg175His", "R175H" and "p.R175H" all give "R175H"; null for an
    /// empty or unknown text (p.?, p.=).
    /// </summary>
    public static string? ChangeFromHgvs(string text)
    {
        var s = text.Trim();
        var colon = s.LastIndexOf(':');
        if (colon >= 0)
        {
            s = s[(colon + 1)..];
        }

        if (s.StartsWith("p.", StringComparison.Ordinal))
        {
            s = s[2..];
        }

        s = s.Trim('(', ')');
        if (s.Length < 2 || s is "?" or "=" or "0")
        {
            return null;
        }

        var result = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length;)
        {
            if (i + 3 <= s.Length && char.IsUpper(s[i]) && ThreeToOne.TryGetValue(s.Substring(i, 3), out var one))
            {
                result.Append(one);
                i += 3;
            }
            else
            {
                result.Append(s[i]);
                i++;
            }
        }

        return result.ToString();
    }
}

/// <summary>Sequence Ontology ids of the effect names SnpEff and VEP write (Beacon's molecularEffects are ontology terms).</summary>
public static class SequenceOntology
{
    /// <summary>SO:0001060 sequence_variant, for effect names not in the table below.</summary>
    public const string SequenceVariant = "SO:0001060";

    private static readonly Dictionary<string, string> Ids = new(StringComparer.OrdinalIgnoreCase)
    {
        ["missense_variant"] = "SO:0001583",
        ["synonymous_variant"] = "SO:0001819",
        ["stop_gained"] = "SO:0001587",
        ["stop_lost"] = "SO:0001578",
        ["start_lost"] = "SO:0002012",
        ["stop_retained_variant"] = "SO:0001567",
        ["frameshift_variant"] = "SO:0001589",
        ["inframe_insertion"] = "SO:0001821",
        ["inframe_deletion"] = "SO:0001822",
        ["conservative_inframe_insertion"] = "SO:0001823",
        ["disruptive_inframe_insertion"] = "SO:0001824",
        ["conservative_inframe_deletion"] = "SO:0001825",
        ["disruptive_inframe_deletion"] = "SO:0001826",
        ["splice_acceptor_variant"] = "SO:0001574",
        ["splice_donor_variant"] = "SO:0001575",
        ["splice_region_variant"] = "SO:0001630",
        ["intron_variant"] = "SO:0001627",
        ["5_prime_UTR_variant"] = "SO:0001623",
        ["3_prime_UTR_variant"] = "SO:0001624",
        ["upstream_gene_variant"] = "SO:0001631",
        ["downstream_gene_variant"] = "SO:0001632",
        ["intergenic_region"] = "SO:0000605",
        ["intergenic_variant"] = "SO:0001628",
        ["non_coding_transcript_exon_variant"] = "SO:0001792",
        ["non_coding_transcript_variant"] = "SO:0001619",
        ["coding_sequence_variant"] = "SO:0001580",
        ["protein_altering_variant"] = "SO:0001818",
        ["regulatory_region_variant"] = "SO:0001566",
        ["NMD_transcript_variant"] = "SO:0001621",
        ["mature_miRNA_variant"] = "SO:0001620",
        ["incomplete_terminal_codon_variant"] = "SO:0001626",
        ["initiator_codon_variant"] = "SO:0001582",
    };

    public static string IdOf(string effect) => Ids.GetValueOrDefault(effect, SequenceVariant);
}
