using System.Globalization;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;

namespace GenomeNode.Beacon.Tests;

/// <summary>VCF ingest against a real, migrated DuckDB file.</summary>
public sealed class VcfIngestTests : IDisposable
{
    private const string Header =
        "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000000>\n##contig=<ID=chrX,length=1000000>\n" +
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\n";

    private readonly TestDatabase database = new();
    private readonly TemporaryDirectory files = new("genome-node-vcf");

    public void Dispose()
    {
        database.Dispose();
        files.Dispose();
    }

    private string Write(string name, string body)
    {
        var path = files.Combine(name);
        File.WriteAllText(path, body);
        return path;
    }

    private VcfIngestResult Ingest(string path, string dataset = "d1") =>
        new VcfIngester(database.Connection).Ingest(new VcfIngestRequest(dataset, path, "GRCh38"));

    private List<string> Rows(string where = "true") => Rows(
        "chrom, start, \"end\", ref, alt, variant_type, allele_count, allele_number, coalesce(list_sort(het), []), " +
        "coalesce(list_sort(hom), []), coalesce(list_sort(hemi), [])", where);

    /// <summary>Every stored column but the dataset's, with het_bitmap in hex.</summary>
    private List<string> AllColumns(string where) => Rows(
        "file_id, assembly, chrom, start, \"end\", ref, alt, variant_type, vcf_id, allele_count, allele_number, het, hex(het_bitmap), " +
        "hom, hemi, genes, effects, aa_changes, transcript_ids, transcript_changes, protein_hgvs", where);

    private List<string> Rows(string columns, string where) => StoredVariants.Rows(database.Connection, columns, where);

    private long Count(string table)
    {
        using var command = database.Connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM beacon.{table}";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Multi_allelic_records_are_split_per_ALT_trimmed_and_genotypes_become_carriers_by_zygosity()
    {
        var path = Write("split.vcf", Header +
            "chr1\t100\t.\tGTC\tG,GTCT,ATC\t50\tPASS\t.\tGT\t0/1\t2|2\t1/3\n" +
            "chrX\t500\trs1\tA\tT\t50\tPASS\t.\tGT:DP\t1:7\t0/1:3\t./.:0\n" +
            "chr1\t200\t.\tC\t*,<NON_REF>,T\t50\tPASS\t.\tGT\t0/1\t2/3\t./3\n");

        var result = Ingest(path);

        Assert.Equal(3, result.Records);
        Assert.Equal(5, result.Variants);
        Assert.Equal(3, result.Samples);
        string[] expected =
        [
            // GTC>G: deletion of TC after the padding base; S1 0/1 and S3 1/3 carry it once.
            "1 100 102 TC  DEL 2 6 [0,2] [] []",
            // GTC>GTCT: insertion of T after GTC; S2 2|2 is homozygous.
            "1 102 102  T INS 2 6 [] [1] []",
            // GTC>ATC: a SNV at the first base, carried once by S3 (1/3).
            "1 99 100 G A SNP 1 6 [2] [] []",
            // '*' and <NON_REF> are no alleles; T is carried once by S2 (2/3) and S3 (./3, one allele called).
            "1 199 200 C T SNP 2 5 [1,2] [] []",
            // chrX: S1's haploid '1' is hemizygous; S3 './.' is not called.
            "X 499 500 A T SNP 2 3 [1] [] [0]",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Rows().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ingesting_the_same_file_twice_leaves_one_copy()
    {
        var path = Write("twice.vcf", Header + "chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1\n");

        var first = Ingest(path);
        var second = Ingest(path);

        Assert.False(first.ReplacedSameFile);
        Assert.True(second.ReplacedSameFile);
        Assert.Equal(1, Count("variants"));
        Assert.Equal(1, Count("variant_files"));
        Assert.Equal(3, Count("individuals"));
    }

    [Fact]
    public void A_second_file_of_the_same_dataset_adds_its_variants_and_reuses_the_individuals_by_sample_name()
    {
        Ingest(Write("a.vcf", Header + "chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1\n"));
        Ingest(Write("b.vcf", Header.Replace("\tS1\tS2\tS3", "\tS3\tS4", StringComparison.Ordinal) + "chr1\t300\t.\tA\tC\t50\tPASS\t.\tGT\t0/1\t0/1\n"));

        Assert.Equal(2, Count("variants"));
        Assert.Equal(4, Count("individuals"));
        Assert.Equal(["1 299 300 A C SNP 2 4 [2,3] [] []"], Rows("start = 299"));
    }

    [Theory]
    [InlineData("chr1\tabc\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1", "POS 'abc' is not a non-negative integer")]
    [InlineData("chr1\t100\t.\tA1\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1", "REF 'A1' is not a sequence of bases")]
    [InlineData("chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/2\t0/0\t1/1", "names allele 2 but the record has 1 ALT alleles")]
    [InlineData("chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0", "2 sample columns where the header names 3")]
    [InlineData("chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1\t0/0", "more than the header's 3 sample columns")]
    [InlineData("chr1\t100\t.\tA\tG,,T\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1", "an empty ALT allele")]
    [InlineData("chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/x\t0/0\t1/1", "is not allele indexes")]
    [InlineData("chr1 100 . A G 50 PASS . GT 0/1 0/0 1/1", "the line ends after the CHROM column")]
    [InlineData("chr1\t10009999919\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1", "POS 10009999919 is beyond 2147483647")]
    [InlineData("chr1\t2147483648\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1", "POS 2147483648 is beyond 2147483647")]
    [InlineData("chr1\t-5\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1", "POS '-5' is not a non-negative integer")]
    [InlineData("chr1\t\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1", "POS '' is not a non-negative integer")]
    [InlineData("chr1\t100\t.\tA\tG,\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1", "an empty ALT allele")]
    public void A_malformed_line_stops_the_ingest_with_file_line_and_reason_and_leaves_the_previous_state(string line, string reason)
    {
        Ingest(Write("good.vcf", Header + "chr1\t50\t.\tC\tT\t50\tPASS\t.\tGT\t0/1\t0/0\t0/0\n"));
        var before = Rows();
        var path = Write("bad.vcf", Header + "chr1\t90\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1\n" + line + "\n");

        var error = Assert.Throws<VcfFormatException>(() => Ingest(path));

        Assert.StartsWith($"{path}:7: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Rows());
        Assert.Equal(1, Count("variant_files"));
        Assert.Equal(3, Count("individuals"));
    }

    private const string SitesOnlyHeader =
        "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=1000000>\n" +
        "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"Allele count\">\n" +
        "##INFO=<ID=AN,Number=1,Type=Integer,Description=\"Allele number\">\n" +
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";

    [Fact]
    public void A_sites_only_VCF_stores_its_INFO_AC_per_ALT_and_AN_as_the_counts()
    {
        var path = Write("sites.vcf", SitesOnlyHeader +
            "chr1\t100\trs1\tA\tG\t.\tPASS\tAC=5;AN=100\n" +
            "chr1\t200\t.\tGTC\tG,GTCT\t.\tPASS\tDP=9;AN=2708;AC=12,0\n" +
            "chr1\t300\t.\tC\tT\t.\tPASS\tAN=50\n" +
            "chr1\t400\t.\tC\tT\t.\tPASS\tAC=.;AN=.\n" +
            "chr1\t500\t.\tC\tT\t.\tPASS\t.\n");

        var result = Ingest(path);

        Assert.Equal(0, result.Samples);
        string[] expected =
        [
            "1 99 100 A G SNP 5 100 [] [] []",
            "1 200 202 TC  DEL 12 2708 [] [] []",
            "1 202 202  T INS 0 2708 [] [] []",
            // Without both AC and AN (or with missing values) there are no counts.
            "1 299 300 C T SNP 0 0 [] [] []",
            "1 399 400 C T SNP 0 0 [] [] []",
            "1 499 500 C T SNP 0 0 [] [] []",
        ];
        Assert.Equal(expected, Rows());
        Assert.Equal(0, Count("individuals"));
    }

    [Theory]
    [InlineData("AC=5;AN=x", "INFO AN 'x' is not a non-negative integer")]
    [InlineData("AC=5,1;AN=100", "INFO AC '5,1' is not one count from 0 to AN (100) per ALT allele")]
    [InlineData("AC=101;AN=100", "INFO AC '101' is not one count from 0 to AN (100) per ALT allele")]
    [InlineData("AC=-1;AN=100", "INFO AC '-1' is not one count")]
    public void A_sites_only_VCF_with_malformed_counts_stops_with_file_line_and_stores_nothing(string info, string reason)
    {
        var path = Write("bad-sites.vcf", SitesOnlyHeader + "chr1\t90\t.\tA\tG\t.\tPASS\tAC=1;AN=10\n" + $"chr1\t100\t.\tA\tG\t.\tPASS\t{info}\n");

        var error = Assert.Throws<VcfFormatException>(() => Ingest(path));

        Assert.StartsWith($"{path}:7: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Count("variants"));
        Assert.Equal(0, Count("variant_files"));
    }

    [Fact]
    public void A_file_that_is_not_a_VCF_is_refused_at_its_first_line()
    {
        var path = Write("notes.txt", "hello\nworld\n");

        var error = Assert.Throws<VcfFormatException>(() => Ingest(path));

        Assert.StartsWith($"{path}:1: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Count("variants"));
    }

    [Fact]
    public void A_cut_bgzip_file_fails_as_unreadable_and_stores_nothing()
    {
        var plain = Write("cut.vcf", Header + string.Concat(Enumerable.Range(1, 2000).Select(i => $"chr1\t{i}\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\t0/0\t1/1\n")));
        var whole = File.ReadAllBytes(Tools.Shell($"bgzip -f {Tools.Quote(plain)} && echo -n {Tools.Quote(plain + ".gz")}"));
        var path = files.Combine("cut.vcf.gz");
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        var error = Assert.Throws<VcfIngestException>(() => Ingest(path));

        Assert.StartsWith($"{path} could not be read: the file ends inside the BGZF block at byte 0 ", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Count("variants"));
    }

    [Fact]
    public void Annotation_text_that_is_not_ASCII_is_stored_as_written_short_or_long()
    {
        // Short strings are narrowed into DuckDB's inline slot when ASCII; anything else goes through UTF-8.
        var path = Write("utf8.vcf", Header.Replace("#CHROM", "##INFO=<ID=ANN,Number=.,Type=String,Description=\"SnpEff\">\n#CHROM", StringComparison.Ordinal) +
            "chr1\t100\t.\tA\tG\t50\tPASS\tANN=G|missense_variant|MODERATE|Gén1|g1|transcript|t1|protein_coding|1/1|c.1A>G|p.Lys1Glu" +
            ",G|missense_variant|MODERATE|GÈNE-très-long-nom|g2|transcript|t2|protein_coding|1/1|c.1A>G|p.Lys1Glu" +
            ",G|missense_variant|MODERATE|ABC1|g3|transcript|t3|protein_coding|1/1|c.1A>G|p.Lys1Glu\tGT\t0/1\t0/0\t0/0\n");

        Ingest(path);

        Assert.Equal(["[Gén1,GÈNE-très-long-nom,ABC1]"], Rows("genes", "true"));
    }

    [Fact]
    public void An_unknown_assembly_is_refused_before_reading()
    {
        var path = Write("a.vcf", Header);

        var error = Assert.Throws<VcfIngestException>(() =>
            new VcfIngester(database.Connection).Ingest(new VcfIngestRequest("d1", path, "GRCm39")));

        Assert.Contains("unknown assembly 'GRCm39'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsorted_input_is_stored_in_chromosome_and_position_order()
    {
        var path = Write("unsorted.vcf", Header +
            "chr1\t300\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t0/0\n" +
            "chrX\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t0/0\n" +
            "chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t0/0\n");

        Ingest(path);

        Assert.Equal(["1 99", "1 299", "X 99"], Rows().Select(r => string.Join(' ', r.Split(' ').Take(2))).ToList());
    }

    [Fact]
    public void Bgzipped_and_plain_files_give_the_same_rows()
    {
        var plain = Tools.SyntheticVcf(files.Combine("s.vcf.gz"), 300, 10, seed: 3, annotated: true);
        Tools.Shell($"gzip -dc {Tools.Quote(plain)} > {Tools.Quote(files.Combine("s.vcf"))}");

        Ingest(plain, "gz");
        Ingest(files.Combine("s.vcf"), "txt");

        Assert.Equal(Rows("dataset_id = 'gz'"), Rows("dataset_id = 'txt'"));
        Assert.True(Rows("dataset_id = 'gz'").Count >= 300);
    }

    [Fact]
    public void Ingest_in_many_data_chunks_stores_the_same_rows_in_the_same_order()
    {
        var vcf = Tools.SyntheticVcf(files.Combine("c.vcf.gz"), 400, 10, seed: 5, annotated: true);
        Ingest(vcf, "whole");
        // A few rows per chunk: many chunks, each reset and reused, with lists and long strings across boundaries.
        new VcfIngester(database.Connection) { RowsPerChunk = 7 }.Ingest(new VcfIngestRequest("chunked", vcf, "GRCh38"));

        Assert.Equal(
            AllColumns("dataset_id = 'whole'").Select(row => row[(row.IndexOf(' ', StringComparison.Ordinal) + 1)..]),
            AllColumns("dataset_id = 'chunked'").Select(row => row[(row.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
    }

    [Fact]
    public void A_file_read_ahead_ingests_as_read_then_and_a_read_ahead_of_another_file_is_left_unused()
    {
        var vcf = Tools.SyntheticVcf(files.Combine("p.vcf.gz"), 300, 10, seed: 7, annotated: true);
        var other = Write("other.vcf", Header + "chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1\n");
        var plain = Ingest(vcf, "plain");

        VcfIngestResult ahead;
        using (var prefetch = VcfPrefetch.Start(vcf))
        {
            ahead = new VcfIngester(database.Connection).Ingest(new VcfIngestRequest("ahead", vcf, "GRCh38"), prefetch: prefetch);
        }

        using (var prefetch = VcfPrefetch.Start(vcf))
        {
            new VcfIngester(database.Connection).Ingest(new VcfIngestRequest("other", other, "GRCh38"), prefetch: prefetch);
        }

        Assert.Equal(plain.Sha256, ahead.Sha256);
        Assert.Equal(
            AllColumns("dataset_id = 'plain'").Select(row => row[(row.IndexOf(' ', StringComparison.Ordinal) + 1)..]),
            AllColumns("dataset_id = 'ahead'").Select(row => row[(row.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
        Assert.Equal(["1 99 100 A G SNP 3 6 [0] [2] []"], Rows("dataset_id = 'other'"));
    }

    [Fact]
    public void A_file_without_annotations_keeps_its_empty_annotation_texts_at_next_to_no_cost()
    {
        // Named FSST stores a row group without any value uncompressed, 4 bytes a row (migration 0007).
        var body = new System.Text.StringBuilder(Header);
        for (var position = 1; position <= 5000; position++)
        {
            body.Append(CultureInfo.InvariantCulture, $"chr1\t{position}\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t0/0\n");
        }

        Ingest(Write("plain.vcf", body.ToString()));
        using var command = database.Connection.CreateCommand();
        command.CommandText = "CHECKPOINT";
        command.ExecuteNonQuery();
        command.CommandText = """
            SELECT count(*) FROM pragma_storage_info('beacon.variants')
            WHERE column_name IN ('transcript_ids', 'transcript_changes', 'protein_hgvs') AND segment_type = 'VARCHAR' AND compression = 'Uncompressed'
            """;

        Assert.Equal(0L, Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Contig_names_with_colons_are_kept_and_their_variant_ids_read_back()
    {
        Ingest(Write("hla.vcf", Header.Replace("#CHROM", "##contig=<ID=HLA-A*01:01:01:01>\n#CHROM", StringComparison.Ordinal) +
            "HLA-A*01:01:01:01\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t0/0\n"));

        Assert.Equal(["HLA-A*01:01:01:01 99 100 A G SNP 1 6 [0] [] []"], Rows());
        Assert.True(GenomeNode.Beacon.Store.VariantIds.TryParse(
            GenomeNode.Beacon.Store.VariantIds.Format("HLA-A*01:01:01:01", 99, "A", "G"), out var chromosome, out var start, out var reference, out var alternate));
        Assert.Equal(("HLA-A*01:01:01:01", 99, "A", "G"), (chromosome, start, reference, alternate));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_ingests_of_one_file_into_one_dataset_in_open_transactions_at_once_fail_loudly_and_leave_one_copy(bool datasetAddedFirst)
    {
        // Neither transaction sees the other's file row, so each would keep its own copy: the claim of the dataset's
        // counter row (no key on the files' table since migration 0006) must make DuckDB refuse one of them.
        if (datasetAddedFirst)
        {
            await BeaconLifecycle.Catalog(database.Connection).AddAsync(new NewDataset("d1", "D1", AccessTier.Public));
        }

        var same = Write("same.vcf", Header + "chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t0/0\n");
        var failures = new List<Exception>();
        using var other = database.OpenConnection();
        using (var open = other.BeginTransaction())
        {
            new VcfIngester(other).IngestInTransaction(new VcfIngestRequest("d1", same, "GRCh38"));
            try
            {
                Ingest(same);
            }
            catch (DuckDB.NET.Data.DuckDBException error)
            {
                failures.Add(error);
            }

            try
            {
                open.Commit();
            }
            catch (DuckDB.NET.Data.DuckDBException error)
            {
                failures.Add(error);
            }
        }

        Assert.Single(failures);
        Assert.Equal(1, Count("variant_files"));
        Assert.Equal(["1 99 100 A G SNP 1 6 [0] [] []"], Rows());
        Assert.Equal(3, Count("individuals"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_ingests_into_one_dataset_in_open_transactions_at_once_fail_loudly_instead_of_sharing_sample_indexes(bool datasetHasIndividuals)
    {
        // Without the node's single writer (docs/architecture.md), DuckDB itself must refuse one of the two ingests.
        if (datasetHasIndividuals)
        {
            Ingest(Write("base.vcf", Header.Replace("S1\tS2\tS3", "B1\tB2\tB3", StringComparison.Ordinal) +
                "chr1\t50\t.\tA\tG\t50\tPASS\t.\tGT\t0/0\t0/1\t0/0\n"));
        }

        var first = Write("first.vcf", Header + "chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t0/0\n");
        var second = Write("second.vcf", Header.Replace("S1\tS2\tS3", "T1\tT2\tT3", StringComparison.Ordinal) +
            "chr1\t200\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t0/0\n");
        var failures = 0;
        using var other = database.OpenConnection();
        using (var open = other.BeginTransaction())
        {
            new VcfIngester(other).IngestInTransaction(new VcfIngestRequest("d1", first, "GRCh38"));
            try
            {
                Ingest(second);
            }
            catch (DuckDB.NET.Data.DuckDBException)
            {
                failures++;
            }

            try
            {
                open.Commit();
            }
            catch (DuckDB.NET.Data.DuckDBException)
            {
                failures++;
            }
        }

        Assert.Equal(1, failures);
        // Whichever ingest won, its individuals hold their own indexes after the earlier ones, and its carrier is its S1/T1.
        using var individuals = database.Connection.CreateCommand();
        individuals.CommandText = "SELECT string_agg(id, ' ' ORDER BY sample_index) FROM beacon.individuals";
        var names = (string)individuals.ExecuteScalar()!;
        Assert.Matches(datasetHasIndividuals ? "^B1 B2 B3 (?<p>[ST])1 \\k<p>2 \\k<p>3$" : "^(?<p>[ST])1 \\k<p>2 \\k<p>3$", names);
        var offset = datasetHasIndividuals ? 3 : 0;
        Assert.Contains(names.Contains('S', StringComparison.Ordinal) ? $"1 99 100 A G SNP 1 6 [{offset}] [] []" : $"1 199 200 A G SNP 1 6 [{offset}] [] []", Rows());
    }
}
