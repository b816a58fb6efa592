using System.Globalization;
using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tests.Formats;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Registration;

[Collection(BuiltFilesGroup.Name)]
public sealed class RegionQueryTests(BuiltFiles files)
{
    [Theory]
    [MemberData(nameof(RegistrationCase.Binned), MemberType = typeof(RegistrationCase))]
    public void Region_chunks_from_duckdb_equal_the_in_memory_index_for_many_regions(RegistrationCase file)
    {
        using var database = new TestDatabase();
        new HtsgetObjectRegistrar(database.Connection).Register(file.Request(files, "obj"));
        var store = new HtsgetObjectStore(database.Connection);
        var index = file.ReadIndex(files);
        var names = file.IndexNames(files, index);
        var max = Binning.MaxCoordinate(index.MinShift, index.Depth);
        var random = new Random(20240612);
        var compared = 0;

        for (var id = 0; id < index.References.Count; id++)
        {
            foreach (var (start, end) in Regions(index, id, max, random))
            {
                var expected = RegionChunks.Find(index, id, start, end);
                var actual = store.RegionChunks("obj", names[id], start, end);
                Assert.True(expected.SequenceEqual(actual),
                    $"{file} {names[id]}[{start},{end}): index {string.Join(' ', expected)} vs duckdb {string.Join(' ', actual)}");
                compared++;
            }
        }

        Assert.True(compared > 50, $"only {compared} regions compared");
    }

    [Theory]
    [MemberData(nameof(RegistrationCase.Binned), MemberType = typeof(RegistrationCase))]
    public void Byte_ranges_are_the_whole_blocks_of_the_chunks_and_hold_every_record_the_tools_find(RegistrationCase file)
    {
        using var database = new TestDatabase();
        new HtsgetObjectRegistrar(database.Connection).Register(file.Request(files, "obj"));
        var store = new HtsgetObjectStore(database.Connection);
        var path = file.Path(files);
        var index = file.ReadIndex(files);
        var names = file.IndexNames(files, index);
        BgzfLayout layout;
        using (var stream = File.OpenRead(path))
        {
            layout = BgzfLayout.Read(stream);
        }

        var random = new Random(5);
        for (var id = 0; id < index.References.Count; id++)
        {
            var length = file.HeaderReferences(files).FirstOrDefault(r => r.Name == names[id]).Length;
            var windows = new List<(long Start, long End)> { (0, long.MaxValue) };
            for (var i = 0; i < 3 && length > 0; i++)
            {
                var start = random.NextInt64(length);
                windows.Add((start, start + (long)Math.Pow(10, random.Next(2, 7))));
            }

            foreach (var (start, end) in windows)
            {
                var chunks = store.RegionChunks("obj", names[id], start, end);
                var ranges = store.ByteRanges("obj", chunks);
                Assert.Equal(ExpectedRanges(layout, chunks), ranges);

                // Only the ranged bytes survive: decoding the chunks from this copy still finds every record.
                var sparse = SparseCopy(path, ranges);
                var region = new Region(id, names[id], start, end == long.MaxValue ? long.MaxValue : Math.Min(end, length > 0 ? length : end));
                var context = $"{file} {region}";
                if (region.End != long.MaxValue && region.Start >= region.End)
                {
                    continue;
                }

                switch (file.Format)
                {
                    case "BAM":
                        ChunkAssertions.Holds(
                            ExternalTools.Lines("samtools", "view", "-X", path, file.IndexPath(files), region.ToolNotation).Select(ReadKey.FromSamLine),
                            RecordDecoders.BamRecords(sparse, chunks), context);
                        break;
                    case "VCF":
                        ChunkAssertions.Holds(
                            ExternalTools.Lines("tabix", path, ToolRegion(region))
                                .Where(line => line.Length > 0),
                            RecordDecoders.VcfLines(sparse, chunks), context);
                        break;
                    default:
                        ChunkAssertions.Holds(
                            ExternalTools.Lines("bcftools", "view", "-H", path, ToolRegion(region))
                                .Select(line => line.Split('\t')).Select(fields => $"{fields[0]}:{fields[1]}"),
                            RecordDecoders.BcfSites(sparse, file.HeaderReferences(files).Select(r => r.Name).ToList(), chunks), context);
                        break;
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(RegistrationCase.Crams), MemberType = typeof(RegistrationCase))]
    public void Cram_container_ranges_hold_every_read_samtools_finds(RegistrationCase file)
    {
        using var database = new TestDatabase();
        new HtsgetObjectRegistrar(database.Connection).Register(file.Request(files, "cram"));
        var store = new HtsgetObjectStore(database.Connection);
        var path = file.Path(files);
        var layout = store.Layout("cram")!;
        var bytes = File.ReadAllBytes(path);
        var eof = ReadCramLayout(path).Containers[^1];

        var regions = store.References("cram")
            .SelectMany(reference => new[] { (reference.Name, 0L, long.MaxValue), (reference.Name, 999L, 1100L), (reference.Name, 4_000_000L, 4_000_100L) })
            .Append(("*", 0L, long.MaxValue));
        foreach (var (name, start, end) in regions)
        {
            var ranges = store.CramContainerRanges("cram", name, start, end);
            for (var i = 1; i < ranges.Count; i++)
            {
                Assert.True(ranges[i].Offset > ranges[i - 1].Offset + ranges[i - 1].Length, "ranges not merged");
            }

            Assert.All(ranges, range => Assert.True(range.Offset >= layout.HeaderEnd && range.Offset + range.Length <= eof.Offset));
            var slice = files.Combine($"slice-{Guid.NewGuid():N}.cram");
            using (var output = File.Create(slice))
            {
                output.Write(bytes, 0, (int)layout.HeaderEnd);
                foreach (var (offset, length) in ranges)
                {
                    output.Write(bytes, (int)offset, (int)length);
                }

                output.Write(bytes, (int)eof.Offset, (int)eof.Length);
            }

            var notation = name == "*" ? "*" : end == long.MaxValue ? $"{{{name}}}" : $"{{{name}}}:{start + 1}-{end}";
            var expected = ExternalTools.Lines("samtools", "view", "-T", TestFiles.CeReference, path, notation).Select(ReadKey.FromSamLine);
            var actual = ExternalTools.Lines("samtools", "view", "-T", TestFiles.CeReference, slice).Select(ReadKey.FromSamLine);
            ChunkAssertions.Holds(expected, actual, $"{file} {name}:{start}-{end}");
        }

        Assert.Empty(store.CramContainerRanges("cram", "no-such-reference", 0, long.MaxValue));
        Assert.Throws<InvalidOperationException>(() => store.RegionChunks("cram", store.References("cram")[0].Name, 0, 100));
    }

    [Fact]
    public void Unplaced_reads_start_where_the_layout_says()
    {
        using var database = new TestDatabase();
        new HtsgetObjectRegistrar(database.Connection).Register(new("bam", "ds", HtsgetKind.Reads, files.IndexBam, null));
        var layout = new HtsgetObjectStore(database.Connection).Layout("bam")!;

        var start = new VirtualOffset((ulong)(layout.UnplacedOffset ?? layout.HeaderEnd));
        var expected = ExternalTools.Lines("samtools", "view", files.IndexBam, "*").Select(ReadKey.FromSamLine);
        Assert.Equal(expected, RecordDecoders.BamRecordsFrom(files.IndexBam, start));
    }

    // Whole reference, first and last bins' worth, empty and inverted regions, past the scheme, windows at every scale.
    private static IEnumerable<(long Start, long End)> Regions(BinningIndex index, int id, long max, Random random)
    {
        yield return (0, long.MaxValue);
        yield return (0, 1);
        yield return (5, 5);
        yield return (max - 1, max);
        yield return (max, max + 100);
        var spans = index.References[id].Bins.Values
            .Select(bin => Binning.BinRegion(bin.Id, index.MinShift, index.Depth))
            .Where(region => region.Level == index.Depth)
            .Select(region => region.Start)
            .Order()
            .ToList();
        var last = spans.Count > 0 ? spans[^1] + (1L << index.MinShift) : 1L << 20;
        foreach (var edge in spans.Take(3).Concat(spans.TakeLast(3)))
        {
            yield return (edge, edge + 1);
            yield return (Math.Max(0, edge - 1), edge + (1L << index.MinShift) + 1);
        }

        // Starts exactly on a window boundary, where a lookup off by one would take the neighbouring bound.
        for (var i = 0; i < 30; i++)
        {
            var start = random.NextInt64(Math.Max(1, last >> index.MinShift)) << index.MinShift;
            yield return (start, start + 1 + random.NextInt64(1L << index.MinShift));
        }

        for (var i = 0; i < 60; i++)
        {
            var start = random.NextInt64(Math.Min(max, last + (1L << 16)));
            var length = random.Next(4) == 0 ? 0 : (long)Math.Pow(10, random.NextDouble() * 8);
            yield return (start, start + length);
        }
    }

    private static string ToolRegion(Region region) =>
        region.End == long.MaxValue ? region.Name : string.Create(CultureInfo.InvariantCulture, $"{region.Name}:{region.Start + 1}-{region.End}");

    // A chunk [s, e) covers the blocks from s's through the one holding e (up to e's block when e is at its first byte).
    private static List<(long Offset, long Length)> ExpectedRanges(BgzfLayout layout, IReadOnlyList<Chunk> chunks)
    {
        var ranges = new List<(long Start, long End)>();
        foreach (var chunk in chunks)
        {
            var end = chunk.End.UncompressedOffset == 0
                ? chunk.End.CompressedOffset
                : layout.Blocks.Single(block => block.CompressedOffset == chunk.End.CompressedOffset).CompressedEnd;
            Assert.Contains(layout.Blocks, block => block.CompressedOffset == chunk.Start.CompressedOffset);
            if (ranges.Count > 0 && chunk.Start.CompressedOffset <= ranges[^1].End)
            {
                ranges[^1] = (ranges[^1].Start, Math.Max(end, ranges[^1].End));
            }
            else
            {
                ranges.Add((chunk.Start.CompressedOffset, end));
            }
        }

        return ranges.Select(range => (range.Start, range.End - range.Start)).ToList();
    }

    // The file with every byte outside the ranges zeroed: a block read outside them fails its inflate.
    private string SparseCopy(string path, IReadOnlyList<(long Offset, long Length)> ranges)
    {
        var bytes = File.ReadAllBytes(path);
        var sparse = new byte[bytes.Length];
        foreach (var (offset, length) in ranges)
        {
            Array.Copy(bytes, offset, sparse, offset, length);
        }

        var copy = files.Combine($"sparse-{Guid.NewGuid():N}{Path.GetExtension(path)}");
        File.WriteAllBytes(copy, sparse);
        return copy;
    }

    private static CramLayout ReadCramLayout(string path)
    {
        using var stream = File.OpenRead(path);
        return CramLayout.Read(stream);
    }
}
