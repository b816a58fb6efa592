using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using GenomeNode.Htsget.Registration;

namespace GenomeNode.Node.Host.Tests;

/// <summary>A BAM, CRAM, VCF.gz or BCF file shipped by one of Debian's test packages.</summary>
public sealed record ShippedFile(string Package, string Root, string RelativePath)
{
    public string FullPath => System.IO.Path.Combine(Root, RelativePath);

    public string Format => RelativePath switch
    {
        _ when RelativePath.EndsWith(".bam", StringComparison.Ordinal) => "BAM",
        _ when RelativePath.EndsWith(".cram", StringComparison.Ordinal) => "CRAM",
        _ when RelativePath.EndsWith(".bcf", StringComparison.Ordinal) => "BCF",
        _ => "VCF",
    };

    public HtsgetKind Kind => Format is "BAM" or "CRAM" ? HtsgetKind.Reads : HtsgetKind.Variants;

    /// <summary>The object id it is registered under: package and path, with characters an id cannot hold replaced.</summary>
    public string Id => $"{Package.Split('-')[0] switch { "python" => "pysam", var name => name }}.{Sanitise(RelativePath)}";

    public override string ToString() => Id;

    private static string Sanitise(string path) =>
        string.Concat(path.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : c == '/' ? '.' : '_'));
}

/// <summary>
/// Every BAM, CRAM, VCF.gz and BCF that Debian's htslib-test, samtools-test and python-pysam-tests ship, and the
/// reference sequences the CRAM files need, keyed by MD5 as htslib's REF_PATH expects.
/// </summary>
internal static class DebianHtsFiles
{
    public static IReadOnlyList<(string Package, string Root)> Roots { get; } =
    [
        ("htslib-test", "/usr/share/htslib-test/test"),
        ("samtools-test", "/usr/share/samtools/test"),
        ("python-pysam-tests", "/usr/share/doc/python-pysam/tests"),
    ];

    /// <summary>
    /// Files the tools themselves cannot read whole (so there is no local answer to compare with), each with the
    /// start of the tool's complaint. Anything else that fails to index or read is a test failure.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Unreadable { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["samtools.quickcheck.2.quickcheck.badheader.bam"] = "cannot be usefully indexed",
        ["pysam.tabix_data.example.vcf.gz"] = "unknown file type",
        ["pysam.tabix_data.example_0v23.vcf.gz"] = "unknown file type",
        ["pysam.tabix_data.example_0v26.vcf.gz"] = "unknown file type",
        ["pysam.tabix_data.vcf.24.vcf.gz"] = "Could not parse the \"#CHROM..\" line",
        ["pysam.tabix_data.vcf.4.vcf.gz"] = "does not match the number of samples",
        ["pysam.tabix_data.vcf.7.vcf.gz"] = "does not match the number of samples",
    };

    private static readonly string[] Extensions = [".bam", ".cram", ".vcf.gz", ".bcf"];

    /// <summary>The shipped files, in a stable order; empty when the packages are not installed.</summary>
    public static IReadOnlyList<ShippedFile> All { get; } = Roots
        .Where(root => Directory.Exists(root.Root))
        .SelectMany(root => Directory.EnumerateFiles(root.Root, "*", SearchOption.AllDirectories)
            .Where(path => Extensions.Any(extension => path.EndsWith(extension, StringComparison.Ordinal)))
            .Select(path => new ShippedFile(root.Package, root.Root, Path.GetRelativePath(root.Root, path))))
        .OrderBy(file => file.Id, StringComparer.Ordinal)
        .ToList();

    public static TheoryData<string> Ids => new(All.Select(file => file.Id));

    /// <summary>The shipped FASTA files, for CRAMs whose @SQ lines name a reference by path (UR) rather than MD5.</summary>
    public static IReadOnlyList<string> Fastas { get; } = Roots
        .Where(root => Directory.Exists(root.Root))
        .SelectMany(root => Directory.EnumerateFiles(root.Root, "*", SearchOption.AllDirectories))
        .Where(path => path.EndsWith(".fa", StringComparison.Ordinal) || path.EndsWith(".fa.gz", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Writes every shipped reference sequence to <paramref name="directory"/> under its MD5 (REF_PATH=<c>directory/%s</c>).</summary>
    public static void WriteReferenceCache(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var fasta in Fastas)
        {
            using var file = File.OpenRead(fasta);
            using var text = new StreamReader(fasta.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file);
            var sequence = new StringBuilder();
            var named = false;
            while (text.ReadLine() is { } line)
            {
                if (line.StartsWith('>'))
                {
                    Flush(directory, named, sequence);
                    named = true;
                    sequence.Clear();
                }
                else
                {
                    // M5 is the MD5 of the upper-cased bases without whitespace (SAMv1 §1.3, @SQ M5).
                    foreach (var c in line)
                    {
                        if (c is > ' ' and <= '~')
                        {
                            sequence.Append(char.ToUpperInvariant(c));
                        }
                    }
                }
            }

            Flush(directory, named, sequence);
        }
    }

    /// <summary>True when the file starts with a gzip member that is not a BGZF block (no BC extra subfield).</summary>
    public static bool IsPlainGzip(string path)
    {
        Span<byte> head = stackalloc byte[16];
        using var file = File.OpenRead(path);
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var gzip = read >= 2 && head[0] == 0x1f && head[1] == 0x8b;
        var bgzf = read >= 14 && (head[3] & 0x04) != 0 && head[12] == (byte)'B' && head[13] == (byte)'C';
        return gzip && !bgzf;
    }

    private static void Flush(string directory, bool named, StringBuilder sequence)
    {
        if (!named || sequence.Length == 0)
        {
            return;
        }

        var bytes = Encoding.ASCII.GetBytes(sequence.ToString());
#pragma warning disable CA5351 // MD5 is how SAM names a reference sequence (@SQ M5), not a security measure.
        var path = Path.Combine(directory, Convert.ToHexStringLower(MD5.HashData(bytes)));
#pragma warning restore CA5351
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, bytes);
        }
    }
}
