using System.Globalization;
using System.IO.Compression;
using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tests.Formats;
using GenomeNode.Htsget.Tests.Registration;
using GenomeNode.Htsget.Tickets;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Tickets;

/// <summary>
/// Ticket plans checked with samtools and bcftools: the concatenated parts of a plan are a valid file that holds
/// every record the tool finds in the region of the original, with the original's header, and the file bytes a
/// plan hands out lie within the blocks (or containers) the registration tables say the region needs.
/// </summary>
[Collection(BuiltFilesGroup.Name)]
public sealed class TicketPlannerTests(BuiltFiles files)
{
    [Theory]
    [MemberData(nameof(RegistrationCase.All), MemberType = typeof(RegistrationCase))]
    public void Every_region_plan_yields_the_records_the_tool_finds_locally_with_tight_file_parts(RegistrationCase file)
    {
        using var database = new TestDatabase();
        var registered = new HtsgetObjectRegistrar(database.Connection).Register(file.Request(files, "obj"));
        var store = new HtsgetObjectStore(database.Connection);
        var planner = new TicketPlanner(store);
        var path = file.Path(files);
        var checkedRegions = 0;
        var wholeRecords = 0;

        var withRecords = 0;
        var empty = 0;
        foreach (var (name, length) in store.References("obj"))
        {
            if (withRecords >= 3)
            {
                break;
            }

            var whole = ToolRecords(file, path, Notation(file, name, null, null));
            // Every reference with records (up to three), and one without.
            if (whole.Count == 0 && empty++ > 0)
            {
                continue;
            }

            withRecords += whole.Count > 0 ? 1 : 0;
            wholeRecords += whole.Count;
            var regions = new List<HtsgetRegion> { new(name) };
            foreach (var line in new[] { whole.FirstOrDefault(), whole.ElementAtOrDefault(whole.Count / 2), whole.LastOrDefault() }.OfType<string>())
            {
                var position = long.Parse(line.Split('\t')[file.Kind == HtsgetKind.Reads ? 3 : 1], CultureInfo.InvariantCulture) - 1;
                regions.Add(new HtsgetRegion(name, Math.Max(0, position - 20), position + 30));
            }

            // Past every record: nothing to find, and still a valid file.
            var past = Math.Max(length, 0) + 1_000_000;
            regions.Add(new HtsgetRegion(name, past, past + 100));

            foreach (var region in regions)
            {
                var query = new HtsgetQuery(file.Kind, Regions: [region]);
                var plan = planner.Plan(registered, query);
                var expected = region.Start is null ? whole : ToolRecords(file, path, Notation(file, name, region.Start, region.End));
                var actual = ToolRecords(file, Assemble(path, plan), null);
                AssertHolds(expected, actual, $"{file} {region}");
                AssertTight(file, store, plan, [region]);
                checkedRegions++;
            }
        }

        Assert.True(checkedRegions >= 5 && wholeRecords > 0, $"only {checkedRegions} regions, {wholeRecords} records checked");
    }

    [Theory]
    [MemberData(nameof(RegistrationCase.All), MemberType = typeof(RegistrationCase))]
    public void Whole_file_and_header_only_plans_give_every_record_and_the_same_header(RegistrationCase file)
    {
        using var database = new TestDatabase();
        var registered = new HtsgetObjectRegistrar(database.Connection).Register(file.Request(files, "obj"));
        var planner = new TicketPlanner(new HtsgetObjectStore(database.Connection));
        var path = file.Path(files);

        var whole = Assemble(path, planner.Plan(registered, new HtsgetQuery(file.Kind)));
        var headerPlan = planner.Plan(registered, new HtsgetQuery(file.Kind, HeaderOnly: true));
        var header = Assemble(path, headerPlan);

        Assert.Equal(ToolRecords(file, path, null), ToolRecords(file, whole, null));
        Assert.Equal(ToolHeader(file, path), ToolHeader(file, whole));
        Assert.Equal(ToolHeader(file, path), ToolHeader(file, header));
        Assert.Empty(ToolRecords(file, header, null));
        Assert.All(headerPlan.Parts.SkipLast(1), part => Assert.Equal(DataClass.Header, part.Class));
        Assert.Equal(DataClass.Body, headerPlan.Parts[^1].Class);
    }

    [Theory]
    [InlineData("built:index.bam", ".bai")]
    [InlineData("built:synthetic.bam", ".csi")]
    [InlineData("built:index.cram", ".crai")]
    public void Unplaced_reads_plan_yields_the_unplaced_reads(string name, string suffix)
    {
        var file = new RegistrationCase(name, suffix, HtsgetKind.Reads, name.EndsWith(".cram", StringComparison.Ordinal) ? "CRAM" : "BAM", "");
        using var database = new TestDatabase();
        var registered = new HtsgetObjectRegistrar(database.Connection).Register(file.Request(files, "obj"));
        var planner = new TicketPlanner(new HtsgetObjectStore(database.Connection));
        var path = file.Path(files);

        var plan = planner.Plan(registered, new HtsgetQuery(HtsgetKind.Reads, Regions: [new HtsgetRegion("*")]));

        var expected = ToolRecords(file, path, "*");
        Assert.NotEmpty(expected);
        AssertHolds(expected, ToolRecords(file, Assemble(path, plan), null), $"{file} *");
    }

    [Fact]
    public void Several_regions_give_one_header_merged_parts_in_file_order_and_one_eof()
    {
        using var database = new TestDatabase();
        var file = new RegistrationCase("built:synthetic.bam", ".bai", HtsgetKind.Reads, "BAM", "BAI");
        var registered = new HtsgetObjectRegistrar(database.Connection).Register(file.Request(files, "obj"));
        var store = new HtsgetObjectStore(database.Connection);
        var planner = new TicketPlanner(store);
        HtsgetRegion[] regions =
        [
            new("chrB", 500_000, 520_000), new("chrA", 100_000_000, 100_050_000), new("chrA", 100_040_000, 100_090_000), new("chrA", 5_000, 90_000),
        ];

        var plan = planner.Plan(registered, new HtsgetQuery(HtsgetKind.Reads, Regions: regions));

        var path = file.Path(files);
        var expected = regions.SelectMany(region => ToolRecords(file, path, Notation(file, region.ReferenceName, region.Start, region.End))).Distinct().ToList();
        var actual = ToolRecords(file, Assemble(path, plan), null);
        AssertHolds(expected, actual, "regions");
        Assert.Equal(actual.Count, actual.Distinct().Count());
        var positions = actual.Select(line => (line.Split('\t')[2], int.Parse(line.Split('\t')[3], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(positions.OrderBy(p => p.Item1 == "chrA" ? 0 : 1).ThenBy(p => p.Item2), positions);
        var fileParts = plan.Parts.OfType<FilePart>().ToList();
        for (var i = 1; i < fileParts.Count; i++)
        {
            Assert.True(fileParts[i].Offset > fileParts[i - 1].End, "file parts overlap, touch or go backwards");
        }

        var inlineBytes = plan.Parts.OfType<InlinePart>().SelectMany(part => part.Data.ToArray()).ToArray();
        Assert.Equal(1, Occurrences(inlineBytes, Bgzf.EofMarker.ToArray()));
        Assert.True(inlineBytes.AsSpan().EndsWith(Bgzf.EofMarker) && plan.Parts[^1] is InlinePart, "the plan does not end with the EOF marker");
        AssertTight(file, store, plan, regions);
    }

    [Fact]
    public void A_format_other_than_the_objects_is_unsupported_and_an_unknown_reference_is_not_found()
    {
        using var database = new TestDatabase();
        var file = new RegistrationCase("built:index.vcf.gz", ".tbi", HtsgetKind.Variants, "VCF", "TBI");
        var registered = new HtsgetObjectRegistrar(database.Connection).Register(file.Request(files, "obj"));
        var planner = new TicketPlanner(new HtsgetObjectStore(database.Connection));

        var format = Assert.Throws<HtsgetException>(() => planner.Plan(registered, new HtsgetQuery(HtsgetKind.Variants, "BCF")));
        var reference = Assert.Throws<HtsgetException>(() =>
            planner.Plan(registered, new HtsgetQuery(HtsgetKind.Variants, Regions: [new HtsgetRegion("chrNope", 1, 2)])));
        var kind = Assert.Throws<HtsgetException>(() => planner.Plan(registered, new HtsgetQuery(HtsgetKind.Reads)));

        Assert.Equal(HtsgetErrorType.UnsupportedFormat, format.Type);
        Assert.Equal(HtsgetErrorType.NotFound, reference.Type);
        Assert.Equal(HtsgetErrorType.NotFound, kind.Type);
        Assert.Equal("VCF", planner.Plan(registered, new HtsgetQuery(HtsgetKind.Variants, "VCF")).Format);
    }

    // Body file parts lie within the whole blocks (containers) that the registration tables give for the regions,
    // and the body as a whole (file parts, re-compressed partial blocks) is no larger than that cover.
    private static void AssertTight(RegistrationCase file, HtsgetObjectStore store, TicketPlan plan, IReadOnlyList<HtsgetRegion> regions)
    {
        IReadOnlyList<(long Offset, long Length)> cover;
        if (file.Format == "CRAM")
        {
            cover = Merge(regions.SelectMany(region =>
                store.CramContainerRanges("obj", region.ReferenceName, region.Start ?? 0, region.End ?? long.MaxValue)));
        }
        else
        {
            var chunks = ChunkMerger.Merge(regions.SelectMany(region =>
                store.RegionChunks("obj", region.ReferenceName, region.Start ?? 0, region.End ?? long.MaxValue)));
            cover = store.ByteRanges("obj", chunks);
        }

        var body = plan.Parts.Where(part => part.Class == DataClass.Body).ToList();
        foreach (var part in body.OfType<FilePart>())
        {
            Assert.True(cover.Any(range => part.Offset >= range.Offset && part.End <= range.Offset + range.Length),
                $"{file}: file part [{part.Offset}, {part.End}) is outside the cover {string.Join(' ', cover)}");
        }

        var eof = file.Format == "CRAM" ? 38 : Bgzf.EofMarkerLength;
        var inline = body.OfType<InlinePart>().Sum(part => part.Data.Length) - eof;
        var bodyBytes = body.OfType<FilePart>().Sum(part => part.Length) + inline;
        Assert.True(bodyBytes <= cover.Sum(range => range.Length) + 64,
            $"{file}: {bodyBytes} body bytes for a cover of {cover.Sum(range => range.Length)}");
    }

    private static int Occurrences(byte[] data, byte[] pattern) =>
        Enumerable.Range(0, Math.Max(0, data.Length - pattern.Length + 1)).Count(i => data.AsSpan(i, pattern.Length).SequenceEqual(pattern));

    private static List<(long Offset, long Length)> Merge(IEnumerable<(long Offset, long Length)> ranges)
    {
        var merged = new List<(long Offset, long Length)>();
        foreach (var (offset, length) in ranges.OrderBy(range => range.Offset))
        {
            if (merged.Count > 0 && offset <= merged[^1].Offset + merged[^1].Length)
            {
                var end = Math.Max(merged[^1].Offset + merged[^1].Length, offset + length);
                merged[^1] = (merged[^1].Offset, end - merged[^1].Offset);
            }
            else
            {
                merged.Add((offset, length));
            }
        }

        return merged;
    }

    private static void AssertHolds(List<string> expected, List<string> actual, string context)
    {
        var missing = expected.Except(actual).ToList();
        Assert.True(missing.Count == 0, $"{context}: {missing.Count} of {expected.Count} records missing, e.g. {missing.FirstOrDefault()}");
    }

    // What a client concatenating the ticket's URLs gets: file parts read from the file, inline parts as they are.
    private string Assemble(string path, TicketPlan plan)
    {
        var output = files.Combine($"plan-{Guid.NewGuid():N}{Path.GetExtension(path)}");
        using var target = File.Create(output);
        using var source = File.OpenRead(path);
        foreach (var part in plan.Parts)
        {
            switch (part)
            {
                case FilePart filePart:
                    var bytes = new byte[filePart.Length];
                    source.Position = filePart.Offset;
                    source.ReadExactly(bytes);
                    target.Write(bytes);
                    break;
                case InlinePart inlinePart:
                    target.Write(inlinePart.Data.Span);
                    break;
            }
        }

        return output;
    }

    // samtools takes {name} for names with colons; bcftools -r does not know the braces.
    private static string Notation(RegistrationCase file, string name, long? start, long? end)
    {
        var reference = file.Kind == HtsgetKind.Reads ? $"{{{name}}}" : name;
        return start is null && end is null
            ? reference
            : string.Create(CultureInfo.InvariantCulture, $"{reference}:{(start ?? 0) + 1}-{end}");
    }

    private static List<string> ToolRecords(RegistrationCase file, string path, string? region)
    {
        string[] arguments = file.Format switch
        {
            "BAM" => ["samtools", "view", path],
            "CRAM" => ["samtools", "view", "-T", TestFiles.CeReference, path],
            _ => ["bcftools", "view", "--no-version", "-H", path],
        };
        if (region is not null)
        {
            arguments = file.Format is "VCF" or "BCF" ? [.. arguments, "-r", region] : [.. arguments, region];
        }

        return [.. ExternalTools.Lines(arguments[0], arguments[1..])];
    }

    private static string ToolHeader(RegistrationCase file, string path) => file.Format switch
    {
        "BAM" => ExternalTools.Run("samtools", "view", "--no-PG", "-H", path),
        "CRAM" => ExternalTools.Run("samtools", "view", "--no-PG", "-H", "-T", TestFiles.CeReference, path),
        _ => ExternalTools.Run("bcftools", "view", "--no-version", "-h", path),
    };
}

/// <summary>BGZF blocks written for inline ticket parts read back as the data they were made from.</summary>
[Collection(BuiltFilesGroup.Name)]
public sealed class BgzfBlockWriterTests(BuiltFiles files)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5000)]
    [InlineData(BgzfBlockWriter.MaxBlockData)]
    [InlineData(BgzfBlockWriter.MaxBlockData + 1)]
    [InlineData(200_000)]
    public void Blocks_inflate_to_the_data_whether_it_compresses_or_not(int length)
    {
        foreach (var data in new[] { Random(length), Repetitive(length) })
        {
            var blocks = BgzfBlockWriter.Compress(data);

            using var stream = new MemoryStream(blocks);
            var layout = BgzfLayout.Read(stream);
            Assert.Equal((length + BgzfBlockWriter.MaxBlockData - 1) / BgzfBlockWriter.MaxBlockData, layout.Blocks.Count);
            Assert.All(layout.Blocks, block => Assert.True(block.CompressedSize <= Bgzf.MaxBlockLength));
            var inflated = layout.Blocks.SelectMany(block => BgzfBlockInflater.InflateBlockAt(stream, block.CompressedOffset)).ToArray();
            Assert.Equal(data, inflated);
            using var gzip = new GZipStream(new MemoryStream(blocks), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            Assert.Equal(data, plain.ToArray());
        }
    }

    [Theory]
    [InlineData("index.vcf.gz")]
    [InlineData("index.bam")]
    public void A_slice_of_a_block_written_by_htslib_compresses_within_that_block(string name)
    {
        // htslib's blocks (libdeflate, level 6) are the budget an edge part of a ticket should stay within. Leaving out
        // a tenth of the block's data leaves enough room for zlib; a slice of almost all of it may not fit (libdeflate
        // beats zlib's best level by a few percent), and then gets the better of zlib's levels.
        var path = name == "index.bam" ? files.IndexBam : files.IndexVcf;
        using var stream = File.OpenRead(path);
        var blocks = BgzfLayout.Read(stream).Blocks.Where(block => block.UncompressedSize > 1000).ToList();
        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            var data = BgzfBlockInflater.InflateBlockAt(stream, block.CompressedOffset);
            foreach (var slice in new[] { data[(data.Length / 10)..], data[..(data.Length * 9 / 10)], data[(data.Length / 2)..], data[..(data.Length / 3)] })
            {
                var compressed = BgzfBlockWriter.CompressSlice(slice, block.CompressedSize);

                Assert.True(compressed.Length <= block.CompressedSize, $"{name} block at {block.CompressedOffset}: {compressed.Length} > {block.CompressedSize}");
                Assert.Equal(slice, BgzfBlockInflater.InflateBlockAt(new MemoryStream(compressed), 0));
            }

            var whole = BgzfBlockWriter.CompressSlice(data, block.CompressedSize).Length;
            var zlibBest = Math.Min(BgzfBlockWriter.Compress(data).Length, BgzfBlockWriter.Compress(data, CompressionLevel.SmallestSize).Length);
            Assert.True(whole <= block.CompressedSize || whole == zlibBest);
        }
    }

    private static byte[] Random(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    private static byte[] Repetitive(int length) => Enumerable.Range(0, length).Select(i => (byte)"ACGT\n"[i % 5]).ToArray();
}
