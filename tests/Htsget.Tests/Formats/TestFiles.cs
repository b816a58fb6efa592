namespace GenomeNode.Htsget.Tests.Formats;

/// <summary>Paths of the real files shipped by Debian's htslib-test and samtools-test packages.</summary>
internal static class TestFiles
{
    public const string Htslib = "/usr/share/htslib-test/test";
    public const string Samtools = "/usr/share/samtools/test";

    public static string HtslibFile(string name) => Existing(Path.Combine(Htslib, name));

    public static string SamtoolsFile(string name) => Existing(Path.Combine(Samtools, name));

    /// <summary>The C. elegans reference the shipped CRAM files were written against.</summary>
    public static string CeReference => HtslibFile("ce.fa");

    private static string Existing(string path) =>
        File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: install the htslib-test and samtools-test packages", path);
}
