using System.Text;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Tests;

namespace GenomeNode.Beacon.Tests;

/// <summary>
/// GT-only sample columns, which the ingest reads eight at a time (<see cref="GenotypeLanes"/>): the carriers must be
/// those of the general FORMAT path (GT:DP, a column at a time), and malformed columns must fail the same way,
/// wherever they fall in or around a block of eight.
/// </summary>
public sealed class GenotypeColumnsTests : IDisposable
{
    // Eleven ALTs, so that two-digit allele indexes are valid.
    private const string Alts = "C,G,T,AC,AG,AT,CA,CG,CT,GA,GC";

    private readonly TestDatabase database = new();
    private readonly TemporaryDirectory files = new("genome-node-gt");

    public void Dispose()
    {
        database.Dispose();
        files.Dispose();
    }

    private static string Header(int samples) =>
        "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000000>\n" +
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" +
        string.Join('\t', Enumerable.Range(1, samples).Select(i => $"S{i}")) + "\n";

    private static string Line(int pos, string format, IEnumerable<string> columns, string alts = Alts) =>
        $"chr1\t{pos}\t.\tA\t{alts}\t50\tPASS\t.\t{format}\t{string.Join('\t', columns)}";

    private string Write(string name, string body)
    {
        var path = files.Combine(name);
        File.WriteAllText(path, body);
        return path;
    }

    private void Ingest(string dataset, string path) =>
        new VcfIngester(database.Connection).Ingest(new VcfIngestRequest(dataset, path, "GRCh38"));

    private List<string> Rows(string dataset) => StoredVariants.Rows(
        database.Connection, "start, alt, allele_count, allele_number, het, hex(het_bitmap), hom, hemi", "dataset_id = $1", dataset);

    /// <summary>Ingests the records as GT and as GT:DP (each column with ":7") and returns both datasets' rows.</summary>
    private (List<string> GtOnly, List<string> General) BothWays(int samples, List<string[]> records, string newline = "\n")
    {
        var gt = new StringBuilder(Header(samples));
        var general = new StringBuilder(Header(samples));
        for (var r = 0; r < records.Count; r++)
        {
            gt.Append(Line(100 + r, "GT", records[r])).Append(newline);
            general.Append(Line(100 + r, "GT:DP", records[r].Select(column => column + ":7"))).Append(newline);
        }

        var name = $"{samples}-{newline.Length}";
        Ingest("gt" + name, Write($"gt{name}.vcf", gt.ToString()));
        Ingest("general" + name, Write($"general{name}.vcf", general.ToString()));
        return (Rows("gt" + name), Rows("general" + name));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(23)]
    [InlineData(40)]
    public void Random_calls_give_the_carriers_of_the_general_path_for_any_sample_count(int samples)
    {
        // Mostly hom-ref, as in population VCFs, with every other shape mixed in.
        string[] pool =
        [
            "0/0", "0/0", "0/0", "0/0", "0/0", "0/0", "0|0", "0|0", "0/1", "1|0", "0|1", "1/1", "1|1", "0/2", "2|3", "9/9",
            "./.", ".|.", "./1", "1|.", ".", "0", "1", "2", "0/0/1", "1/1/1/1", "0/10", "10|10", "11/0", "0|11", "3/11",
        ];
        var random = new Random(samples);
        var records = Enumerable.Range(0, 80)
            .Select(_ => Enumerable.Range(0, samples).Select(_ => pool[random.Next(pool.Length)]).ToArray())
            .ToList();

        var (gtOnly, general) = BothWays(samples, records);
        var (crlf, _) = BothWays(samples, records, "\r\n");

        Assert.Equal(general, gtOnly);
        Assert.Equal(general, crlf);
        Assert.Contains(gtOnly, row => row.Contains('[', StringComparison.Ordinal));
    }

    [Fact]
    public void Hom_ref_blocks_with_one_other_call_at_each_lane_keep_their_carriers()
    {
        // 19 samples: two blocks of eight, then three columns a column at a time; the last ends the line.
        const int Samples = 19;
        var records = new List<string[]>();
        foreach (var call in (string[])["0/1", "1|1", "2/0", "./.", "1", "0/0/1", "0/10", "11|11"])
        {
            for (var at = 0; at < Samples; at++)
            {
                var columns = Enumerable.Repeat(at % 2 == 0 ? "0/0" : "0|0", Samples).ToArray();
                columns[at] = call;
                records.Add(columns);
            }
        }

        var (gtOnly, general) = BothWays(Samples, records);
        var (crlf, _) = BothWays(Samples, records, "\r\n");

        Assert.Equal(general, gtOnly);
        Assert.Equal(general, crlf);
        // 0/1 in the 10th column (second block, lane 1) of record 9 at 109: S10 (sample_index 9) is a het carrier of C.
        Assert.Equal("108 C 1 38 [9]   ", gtOnly[9 * 11]);
    }

    [Fact]
    public void All_hom_ref_and_all_het_rows_have_the_expected_counts()
    {
        const int Samples = 17;
        string[] homRef = [.. Enumerable.Range(0, Samples).Select(i => i % 3 == 0 ? "0|0" : "0/0")];
        string[] het = [.. Enumerable.Repeat("0/1", Samples)];
        var path = Write("plain.vcf", Header(Samples) + Line(100, "GT", homRef, "C") + "\n" + Line(200, "GT", het, "C") + "\n");

        Ingest("plain", path);

        var rows = Rows("plain");
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("99 C 0 34 ", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("199 C 17 34 ", rows[1], StringComparison.Ordinal);
    }

    [Theory]
    // 10 samples: one block of eight, then two columns. A bad call inside the block, after hom-ref lanes.
    [InlineData(10, "0/0 0/0 0/0 0/x 0/0 0/0 0/0 0/0 0/0 0/0", "genotype '0/x' is not allele indexes")]
    [InlineData(10, "0/0 0|0 0/0 0/0 0/0 0/0 0/0 0/! 0/0 0/0", "genotype '0/!' is not allele indexes")]
    [InlineData(10, "0/0 0/0 0/0 0/0 0/0 0/2 0/0 0/0 0/0 0/0", "names allele 2 but the record has 1 ALT alleles")]
    [InlineData(10, "0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/10 0/0 0/0", "names allele 10 but the record has 1 ALT alleles")]
    [InlineData(10, "0/0 0/0 0/0 0/0 0/0 0/0 0/0 0//0 0/0 0/0", "genotype '0//0' has an empty allele")]
    [InlineData(10, "0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 1/x", "genotype '1/x' is not allele indexes")]
    // Missing or extra columns at and around the block's end.
    [InlineData(10, "0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0", "9 sample columns where the header names 10")]
    [InlineData(10, "0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0", "8 sample columns where the header names 10")]
    [InlineData(10, "0/0 0/0 0/0 0/0 0/0 0/0 0/0", "7 sample columns where the header names 10")]
    [InlineData(10, "0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0", "more than the header's 10 sample columns")]
    [InlineData(9, "0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0", "more than the header's 9 sample columns")]
    [InlineData(9, "0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0", "8 sample columns where the header names 9")]
    [InlineData(8, "0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0", "more than the header's 8 sample columns")]
    [InlineData(17, "0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0", "16 sample columns where the header names 17")]
    [InlineData(17, "0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0 0/0", "more than the header's 17 sample columns")]
    public void A_malformed_sample_column_fails_with_file_line_and_the_reason_of_the_general_path(int samples, string columns, string reason)
    {
        var good = Enumerable.Repeat("0/1", samples);
        var bad = columns.Split(' ');
        var gt = Write("bad-gt.vcf", Header(samples) + Line(100, "GT", good, "C") + "\n" + Line(200, "GT", bad, "C") + "\n");
        var general = Write("bad-general.vcf", Header(samples) + Line(100, "GT:DP", good, "C") + "\n" +
            Line(200, "GT:DP", bad.Select(column => column + ":7"), "C") + "\n");

        var error = Assert.Throws<VcfFormatException>(() => Ingest("gt", gt));
        var generalError = Assert.Throws<VcfFormatException>(() => Ingest("general", general));

        Assert.StartsWith($"{gt}:5: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal(generalError.Reason, error.Reason);
    }

    [Fact]
    public void The_vector_compare_finds_the_same_lanes_as_the_scalar_one()
    {
        string[] calls = ["0/0\t", "0|0\t", "0/1\t", "0/0 ", "0\\0\t", "1/0\t", "0/00", "./.\t"];
        var random = new Random(3);
        for (var i = 0; i < 2000; i++)
        {
            var block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, GenotypeLanes.Count).Select(_ => calls[random.Next(calls.Length)])));
            Assert.Equal(GenotypeLanes.HomRefScalar(block), GenotypeLanes.HomRef(block));
        }

        Assert.Equal(GenotypeLanes.All, GenotypeLanes.HomRef(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0/0\t", 8)))));
        Assert.Equal(0b1100_0001u, GenotypeLanes.HomRef(Encoding.ASCII.GetBytes("0|0\t0/1\t1/1\t./.\t0/0 0\t0\t0/0\t0/0\t")));
    }
}
