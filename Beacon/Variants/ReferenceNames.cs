using System.Diagnostics.CodeAnalysis;

namespace GenomeNode.Beacon.Variants;

/// <summary>
/// Assemblies and reference sequence names: '17', 'chr17' and the RefSeq accession of the assembly
/// (NC_000017.11 on GRCh38, NC_000017.10 on GRCh37) name the same sequence. The store keeps the canonical short
/// name ('17', 'X', 'MT').
/// </summary>
public static class ReferenceNames
{
    public const string GRCh38 = "GRCh38";
    public const string GRCh37 = "GRCh37";

    public static IReadOnlyList<string> Assemblies { get; } = [GRCh38, GRCh37];

    private const string MitochondrialAccession = "NC_012920.1";

    private static readonly string[] Names =
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "X", "Y", "MT"];

    // RefSeq versions of NC_0000NN per chromosome (1..22, X, Y); MT is NC_012920.1 on both.
    private static readonly int[] Grch38Versions = [11, 12, 12, 12, 10, 12, 14, 11, 12, 11, 10, 12, 11, 9, 10, 10, 11, 10, 10, 11, 9, 11, 11, 10];
    private static readonly int[] Grch37Versions = [10, 11, 11, 11, 9, 11, 13, 10, 11, 10, 9, 11, 10, 8, 9, 9, 10, 9, 9, 10, 8, 10, 10, 9];

    private static readonly Dictionary<string, (string Assembly, string Chromosome)> ByAccession = BuildAccessions();

    /// <summary>The canonical assembly name for GRCh38/hg38/GRCh37/hg19 spellings (patch suffixes allowed), else null.</summary>
    public static string? CanonicalAssembly(string? assembly)
    {
        if (string.IsNullOrWhiteSpace(assembly))
        {
            return null;
        }

        var name = assembly.Trim();
        if (name.StartsWith("GRCh38", StringComparison.OrdinalIgnoreCase) || name.Equals("hg38", StringComparison.OrdinalIgnoreCase))
        {
            return GRCh38;
        }

        if (name.StartsWith("GRCh37", StringComparison.OrdinalIgnoreCase) || name.Equals("hg19", StringComparison.OrdinalIgnoreCase))
        {
            return GRCh37;
        }

        return null;
    }

    /// <summary>The stored name of a VCF contig: 'chr' prefix dropped, 'M'/'chrM' as 'MT'; other names unchanged.</summary>
    public static string Canonical(ReadOnlySpan<char> name)
    {
        if (name.Length > 3 && name[..3].Equals("chr", StringComparison.OrdinalIgnoreCase))
        {
            name = name[3..];
        }

        if (name.Equals("M", StringComparison.OrdinalIgnoreCase) || name.Equals("MT", StringComparison.OrdinalIgnoreCase))
        {
            return "MT";
        }

        if (name.Length <= 2)
        {
            foreach (var known in Names)
            {
                if (name.Equals(known, StringComparison.OrdinalIgnoreCase))
                {
                    return known;
                }
            }
        }

        return name.ToString();
    }

    /// <summary>
    /// Resolves a query's referenceName: a RefSeq accession gives its chromosome and assembly; any other name its
    /// canonical form and no assembly.
    /// </summary>
    public static (string Chromosome, string? Assembly) Resolve(string referenceName)
    {
        var name = referenceName.Trim();
        if (name.StartsWith("refseq:", StringComparison.OrdinalIgnoreCase))
        {
            name = name[7..];
        }

        if (name.Equals(MitochondrialAccession, StringComparison.OrdinalIgnoreCase))
        {
            return ("MT", null);
        }

        return ByAccession.TryGetValue(name, out var known) ? (known.Chromosome, known.Assembly) : (Canonical(name), null);
    }

    /// <summary>True for names that look like a RefSeq accession (NC_...), known or not.</summary>
    public static bool LooksLikeAccession(string name) => name.StartsWith("NC_", StringComparison.OrdinalIgnoreCase);

    /// <summary>The RefSeq accession of a canonical chromosome on an assembly, if it is one of 1-22, X, Y, MT.</summary>
    public static bool TryAccession(string assembly, string chromosome, [NotNullWhen(true)] out string? accession)
    {
        var index = Array.IndexOf(Names, chromosome);
        if (index < 0 || (assembly != GRCh38 && assembly != GRCh37))
        {
            accession = null;
            return false;
        }

        accession = Accession(assembly, index);
        return true;
    }

    private static string Accession(string assembly, int index)
    {
        if (index == 24)
        {
            return MitochondrialAccession;
        }

        var version = (assembly == GRCh38 ? Grch38Versions : Grch37Versions)[index];
        return $"NC_{index + 1:000000}.{version}";
    }

    private static Dictionary<string, (string, string)> BuildAccessions()
    {
        var map = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < 24; i++)
        {
            map[Accession(GRCh38, i)] = (GRCh38, Names[i]);
            map[Accession(GRCh37, i)] = (GRCh37, Names[i]);
        }

        return map;
    }
}
