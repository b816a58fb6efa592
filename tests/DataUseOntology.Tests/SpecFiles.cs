using GenomeNode.Tests;

namespace GenomeNode.DataUseOntology.Tests;

/// <summary>The vendored spec files copied beside the tests, and a small reader for their CSV tables.</summary>
internal static class SpecFiles
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "specs", name);

    /// <summary>Rows of a CSV file with a header, as column name → value (RFC 4180 quoting, fields may span lines).</summary>
    public static List<Dictionary<string, string>> ReadCsv(string name)
    {
        var records = Rfc4180.Parse(File.ReadAllText(PathOf(name)), crlfOnly: false);
        var header = records[0];
        return records.Skip(1)
            .Where(record => record.Length == header.Length)
            .Select(record => header.Zip(record).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal))
            .ToList();
    }
}
