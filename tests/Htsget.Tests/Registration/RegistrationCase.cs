using System.Globalization;
using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tests.Formats;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Registration;

/// <summary>A data file and its index, named as in the format tests ("built:", "htslib:", "samtools:"), with what registration should report.</summary>
public sealed record RegistrationCase(string File, string IndexSuffix, HtsgetKind Kind, string Format, string IndexFormat)
{
    public override string ToString() => $"{File}{IndexSuffix}";

    private static readonly RegistrationCase[] Cases =
    [
        new("built:index.bam", ".bai", HtsgetKind.Reads, "BAM", "BAI"),
        new("built:index.bam", ".csi", HtsgetKind.Reads, "BAM", "CSI"),
        new("built:synthetic.bam", ".bai", HtsgetKind.Reads, "BAM", "BAI"),
        new("built:synthetic.bam", ".csi", HtsgetKind.Reads, "BAM", "CSI"),
        new("htslib:range.bam", ".bai", HtsgetKind.Reads, "BAM", "BAI"),
        new("samtools:mpileup/mpileup.1.bam", ".bai", HtsgetKind.Reads, "BAM", "BAI"),
        new("built:index.cram", ".crai", HtsgetKind.Reads, "CRAM", "CRAI"),
        new("htslib:range.cram", ".crai", HtsgetKind.Reads, "CRAM", "CRAI"),
        new("built:index.vcf.gz", ".tbi", HtsgetKind.Variants, "VCF", "TBI"),
        new("built:index.vcf.gz", ".csi", HtsgetKind.Variants, "VCF", "CSI"),
        new("built:vcf_file.vcf.gz", ".tbi", HtsgetKind.Variants, "VCF", "TBI"),
        new("built:large_chr.vcf.gz", ".csi", HtsgetKind.Variants, "VCF", "CSI"),
        new("built:index.bcf", ".csi", HtsgetKind.Variants, "BCF", "CSI"),
    ];

    public static TheoryData<RegistrationCase> All => new(Cases);

    /// <summary>The cases with a binning index (everything but CRAM).</summary>
    public static TheoryData<RegistrationCase> Binned => new(Cases.Where(c => c.Format != "CRAM"));

    public static TheoryData<RegistrationCase> Crams => new(Cases.Where(c => c.Format == "CRAM"));

    public string Path(BuiltFiles files) => BamCase.ResolvePath(files, File);

    public string IndexPath(BuiltFiles files) => Path(files) + IndexSuffix;

    public RegistrationRequest Request(BuiltFiles files, string objectId, string dataset = "ds1") =>
        new(objectId, dataset, Kind, Path(files), IndexPath(files));

    public BinningIndex ReadIndex(BuiltFiles files)
    {
        using var stream = System.IO.File.OpenRead(IndexPath(files));
        return BinningIndexReader.Read(stream);
    }

    /// <summary>Names of the index's reference ids: tabix names for VCF, header order otherwise.</summary>
    public IReadOnlyList<string> IndexNames(BuiltFiles files, BinningIndex index) =>
        Format == "VCF" ? index.Tabix!.SequenceNames : HeaderReferences(files).Select(reference => reference.Name).ToList();

    /// <summary>The header's references as samtools/bcftools print them: @SQ SN/LN, or ##contig ID/length (-1 without one).</summary>
    public IReadOnlyList<(string Name, long Length)> HeaderReferences(BuiltFiles files)
    {
        var path = Path(files);
        if (Kind == HtsgetKind.Reads)
        {
            return ExternalTools.Lines("samtools", "view", "-H", path)
                .Where(line => line.StartsWith("@SQ\t", StringComparison.Ordinal))
                .Select(line => line.Split('\t'))
                .Select(fields => (fields.Single(f => f.StartsWith("SN:", StringComparison.Ordinal))[3..],
                    long.Parse(fields.Single(f => f.StartsWith("LN:", StringComparison.Ordinal))[3..], CultureInfo.InvariantCulture)))
                .ToList();
        }

        return ExternalTools.Lines("bcftools", "view", "-h", path)
            .Where(line => line.StartsWith("##contig=<", StringComparison.Ordinal))
            .Select(line => line["##contig=<".Length..].TrimEnd('>').Split(','))
            .Select(fields => (fields.Single(f => f.StartsWith("ID=", StringComparison.Ordinal))[3..],
                fields.FirstOrDefault(f => f.StartsWith("length=", StringComparison.Ordinal)) is { } length
                    ? long.Parse(length[7..], CultureInfo.InvariantCulture)
                    : -1L))
            .ToList();
    }
}
