using System.Globalization;
using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Planning;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tests.Formats;
using GenomeNode.Htsget.Tests.Registration;
using GenomeNode.Htsget.Tickets;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Planning;

/// <summary>
/// <see cref="TicketPlanning.Plan"/> without a database: snapshots built from the parsed file and index (as registration
/// parses them), edges read from the file, plans checked with samtools and bcftools.
/// </summary>
[Collection(BuiltFilesGroup.Name)]
public sealed class TicketPlanningTests(BuiltFiles files)
{
    [Theory]
    [MemberData(nameof(RegistrationCase.All), MemberType = typeof(RegistrationCase))]
    public void Whole_file_header_and_region_plans_give_what_the_tool_finds_in_the_original(RegistrationCase file)
    {
        var snapshot = Snapshot(file);
        var path = file.Path(files);

        var whole = Assemble(path, Plan(snapshot, path, new HtsgetQuery(file.Kind)));
        var header = Assemble(path, Plan(snapshot, path, new HtsgetQuery(file.Kind, HeaderOnly: true)));

        Assert.Equal(ToolRecords(file, path, null), ToolRecords(file, whole, null));
        Assert.Equal(ToolHeader(file, path), ToolHeader(file, whole));
        Assert.Equal(ToolHeader(file, path), ToolHeader(file, header));
        Assert.Empty(ToolRecords(file, header, null));

        var checkedRegions = 0;
        var names = file.Kind == HtsgetKind.Reads ? file.HeaderReferences(files).Select(reference => reference.Name) : file.IndexNames(files, file.ReadIndex(files));
        foreach (var name in names)
        {
            if (checkedRegions >= 6)
            {
                break;
            }

            var records = ToolRecords(file, path, Notation(file, name, null, null));
            if (records.Count == 0)
            {
                continue;
            }

            var middle = long.Parse(records[records.Count / 2].Split('\t')[file.Kind == HtsgetKind.Reads ? 3 : 1], CultureInfo.InvariantCulture) - 1;
            foreach (var region in new[] { new HtsgetRegion(name), new HtsgetRegion(name, Math.Max(0, middle - 50), middle + 50) })
            {
                var plan = Plan(snapshot, path, new HtsgetQuery(file.Kind, Regions: [region]));
                var expected = ToolRecords(file, path, Notation(file, name, region.Start, region.End));
                var actual = ToolRecords(file, Assemble(path, plan), null);
                Assert.True(expected.Except(actual).ToList() is [], $"{file} {region}: records missing");
                checkedRegions++;
            }
        }

        Assert.True(checkedRegions > 0, $"{file}: no reference with records");
    }

    [Theory]
    [InlineData("built:index.bam", ".bai", "BAM")]
    [InlineData("built:synthetic.bam", ".csi", "BAM")]
    [InlineData("built:index.cram", ".crai", "CRAM")]
    public void Unmapped_reads_plan_gives_the_unplaced_reads(string name, string suffix, string format)
    {
        var file = new RegistrationCase(name, suffix, HtsgetKind.Reads, format, "");
        var path = file.Path(files);

        var plan = Plan(Snapshot(file), path, new HtsgetQuery(HtsgetKind.Reads, Regions: [new HtsgetRegion(HtsgetRegion.Unplaced)]));

        var expected = ToolRecords(file, path, "*");
        Assert.NotEmpty(expected);
        Assert.Empty(expected.Except(ToolRecords(file, Assemble(path, plan), null)));
    }

    [Fact]
    public void Another_format_is_unsupported_and_another_kind_or_an_unknown_reference_is_not_found()
    {
        var file = new RegistrationCase("built:index.bam", ".bai", HtsgetKind.Reads, "BAM", "BAI");
        var snapshot = Snapshot(file);
        var edges = new RecordingEdges();

        var format = Assert.Throws<HtsgetException>(() => TicketPlanning.Plan(snapshot, new HtsgetQuery(HtsgetKind.Reads, "CRAM"), edges));
        var kind = Assert.Throws<HtsgetException>(() => TicketPlanning.Plan(snapshot, new HtsgetQuery(HtsgetKind.Variants), edges));
        var reference = Assert.Throws<HtsgetException>(() =>
            TicketPlanning.Plan(snapshot, new HtsgetQuery(HtsgetKind.Reads, Regions: [new HtsgetRegion("chrNope", 1, 2)]), edges));

        Assert.Equal(HtsgetErrorType.UnsupportedFormat, format.Type);
        Assert.Equal(HtsgetErrorType.NotFound, kind.Type);
        Assert.Equal(HtsgetErrorType.NotFound, reference.Type);
        Assert.Contains("chrNope", reference.Message, StringComparison.Ordinal);
        Assert.Empty(edges.Calls);
    }

    // A snapshot made by hand and edges that only record what is asked: no file, no database.
    [Fact]
    public void A_region_plan_cuts_the_edge_blocks_through_the_port_and_hands_out_the_whole_blocks_between()
    {
        var reference = new BinnedReference(
            [new BinChunk(0, 16384, Offset(1000, 10), Offset(5000, 20))],
            [new LowerBound(0, 16384, Offset(1000, 10))]);
        var snapshot = BamSnapshot(headerEnd: Offset(500, 30), size: 10_000, new BinnedIndex(14, 5, new Dictionary<string, BinnedReference> { ["chr1"] = reference }));
        var edges = new RecordingEdges();

        var plan = TicketPlanning.Plan(snapshot, new HtsgetQuery(HtsgetKind.Reads, Regions: [new HtsgetRegion("chr1", 100, 200)]), edges);

        Assert.Equal(["header 500 30", "records 1000 10..", "records 5000 0..20"], edges.Calls);
        Assert.Equal(
            [
                "file header 0+500", "inline header 3", "inline body 1", "file body 1100+3900", "inline body 29",
            ],
            plan.Parts.Select(Describe));
        Assert.True(((InlinePart)plan.Parts[^1]).Data.Span.EndsWith(Bgzf.EofMarker), "the plan does not end with the EOF marker");
    }

    [Fact]
    public void A_header_only_plan_reads_only_the_header_block_and_a_region_of_an_unindexed_reference_holds_no_body()
    {
        var snapshot = BamSnapshot(Offset(500, 30), 10_000, new BinnedIndex(14, 5, new Dictionary<string, BinnedReference>()), references: ["chr1"]);
        var edges = new RecordingEdges();

        var header = TicketPlanning.Plan(snapshot, new HtsgetQuery(HtsgetKind.Reads, HeaderOnly: true, Regions: [new HtsgetRegion("chr1", 0, 10)]), edges);
        var empty = TicketPlanning.Plan(snapshot, new HtsgetQuery(HtsgetKind.Reads, Regions: [new HtsgetRegion("chr1", 0, 10)]), edges);

        Assert.Equal(["header 500 30", "header 500 30"], edges.Calls);
        Assert.Equal(["file header 0+500", "inline header 3", "inline body 28"], header.Parts.Select(Describe));
        Assert.Equal(header.Parts.Select(Describe), empty.Parts.Select(Describe));
    }

    [Fact]
    public void A_whole_file_plan_splits_file_parts_longer_than_the_largest_data_block()
    {
        var size = (2 * TicketPlanning.MaxFilePartLength) + 1000 + 500 + Bgzf.EofMarkerLength;
        var snapshot = BamSnapshot(Offset(1000, 0), size, new BinnedIndex(14, 5, new Dictionary<string, BinnedReference>()));

        var plan = TicketPlanning.Plan(snapshot, new HtsgetQuery(HtsgetKind.Reads), new RecordingEdges());

        var body = plan.Parts.OfType<FilePart>().Where(part => part.Class == DataClass.Body).ToList();
        Assert.Equal(3, body.Count);
        Assert.All(body, part => Assert.True(part.Length <= TicketPlanning.MaxFilePartLength));
        Assert.Equal(1000, body[0].Offset);
        Assert.Equal(size - Bgzf.EofMarkerLength, body[^1].End);
        Assert.Equal(size - Bgzf.EofMarkerLength, plan.FileBytes);
    }

    [Fact]
    public void A_cram_region_plan_gives_the_header_the_overlapping_containers_and_the_files_eof_container()
    {
        var crai = new CraiIndex(["chr1", "chr2"],
        [
            new CraiSlice(0, 1, 1000, 300, 400), new CraiSlice(0, 1001, 1000, 400, 480), new CraiSlice(1, 1, 1000, 480, 600),
            new CraiSlice(-1, 0, 0, 600, 662),
        ]);
        var snapshot = new ObjectSnapshot("cram", HtsgetKind.Reads, "CRAM", 700, 300, true, null, ["chr1", "chr2"], null, crai);
        var edges = new RecordingEdges { Definition = [.. "CRAM"u8, 3, 0], Eof = CramEof.For(3, 0).ToArray() };

        var plan = TicketPlanning.Plan(snapshot, new HtsgetQuery(HtsgetKind.Reads, Regions: [new HtsgetRegion("chr1", 999, 1001), new HtsgetRegion("*")]), edges);

        Assert.Equal(["file header 0+300", "file body 300+180", "file body 600+62", "inline body 38"], plan.Parts.Select(Describe));
        Assert.Equal(["read 0 6", "read 662 38"], edges.Calls);
    }

    private ObjectSnapshot Snapshot(RegistrationCase file) => HtsgetObjectRegistrar.Read(file.Request(files, "obj")).Snapshot();

    private static TicketPlan Plan(ObjectSnapshot snapshot, string path, HtsgetQuery query)
    {
        using var edges = new DataFileEdges(path);
        return TicketPlanning.Plan(snapshot, query, edges);
    }

    private static ObjectSnapshot BamSnapshot(VirtualOffset headerEnd, long size, BinnedIndex index, IEnumerable<string>? references = null) =>
        new("bam", HtsgetKind.Reads, "BAM", size, (long)headerEnd.Value, true, null, references ?? ["chr1"], index, null);

    private static VirtualOffset Offset(long compressed, int uncompressed) => new(compressed, uncompressed);

    private static string Describe(TicketPart part) => part switch
    {
        FilePart file => $"file {Class(file.Class)} {file.Offset}+{file.Length}",
        InlinePart inline => $"inline {Class(inline.Class)} {inline.Data.Length}",
        _ => part.ToString()!,
    };

    private static string Class(DataClass dataClass) => dataClass == DataClass.Header ? "header" : "body";

    // What a client concatenating the ticket's URLs gets: file parts read from the file, inline parts as they are.
    private string Assemble(string path, TicketPlan plan)
    {
        var output = files.Combine($"planning-{Guid.NewGuid():N}{Path.GetExtension(path)}");
        using var target = File.Create(output);
        using var source = File.OpenRead(path);
        foreach (var part in plan.Parts)
        {
            if (part is FilePart filePart)
            {
                var bytes = new byte[filePart.Length];
                source.Position = filePart.Offset;
                source.ReadExactly(bytes);
                target.Write(bytes);
            }
            else if (part is InlinePart inline)
            {
                target.Write(inline.Data.Span);
            }
        }

        return output;
    }

    private static string Notation(RegistrationCase file, string name, long? start, long? end)
    {
        var reference = file.Kind == HtsgetKind.Reads ? $"{{{name}}}" : name;
        return start is null && end is null ? reference : string.Create(CultureInfo.InvariantCulture, $"{reference}:{(start ?? 0) + 1}-{end}");
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

    /// <summary>Edges that record what a plan asks: a cut's data is one byte per requested byte range, never a file.</summary>
    private sealed class RecordingEdges : IDataFileEdges
    {
        private const int FixedBlockLength = 100;

        public List<string> Calls { get; } = [];

        public byte[] Definition { get; init; } = [];

        public byte[] Eof { get; init; } = [];

        public ReadOnlyMemory<byte> Read(long offset, int length)
        {
            Calls.Add($"read {offset} {length}");
            return offset == 0 ? Definition.AsMemory(0, length) : Eof;
        }

        public ReadOnlyMemory<byte> CutHeader(long blockOffset, int length)
        {
            Calls.Add($"header {blockOffset} {length}");
            return new byte[3];
        }

        public BgzfCut CutRecords(long blockOffset, int dataStart, int dataEnd)
        {
            Calls.Add($"records {blockOffset} {dataStart}..{(dataEnd == int.MaxValue ? "" : dataEnd)}");
            return new BgzfCut(FixedBlockLength, new byte[1]);
        }

        public int BlockLength(long blockOffset)
        {
            Calls.Add($"block {blockOffset}");
            return FixedBlockLength;
        }
    }
}
