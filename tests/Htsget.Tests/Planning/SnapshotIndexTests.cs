using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Planning;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tests.Formats;
using GenomeNode.Htsget.Tests.Registration;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Planning;

/// <summary>
/// A snapshot answers exactly as the registration tables' range queries did (the tickets' bytes stay the same),
/// whether it was read back from the tables or built from the parsed file without a database.
/// </summary>
[Collection(BuiltFilesGroup.Name)]
public sealed class SnapshotIndexTests(BuiltFiles files)
{
    [Theory]
    [MemberData(nameof(RegistrationCase.Binned), MemberType = typeof(RegistrationCase))]
    public void Region_chunks_of_a_snapshot_equal_the_index_and_the_tables_range_query(RegistrationCase file)
    {
        var parsed = HtsgetObjectRegistrar.Read(file.Request(files, "obj")).Snapshot();
        var index = file.ReadIndex(files);
        var names = file.IndexNames(files, index);
        using var database = new TestDatabase();
        new HtsgetObjectRegistrar(database.Connection).Register(file.Request(files, "obj"));
        var store = new HtsgetObjectStore(database.Connection);
        var loaded = store.LoadSnapshot("obj")!.Value.Snapshot;
        var compared = 0;

        for (var id = 0; id < index.References.Count; id++)
        {
            // A name the index repeats stands for its first reference, as in the range query.
            if (names.Take(id).Contains(names[id], StringComparer.Ordinal))
            {
                continue;
            }

            foreach (var (start, end) in Regions(index, id))
            {
                var expected = RegionChunks.Find(index, id, start, end);
                var context = $"{file} {names[id]}[{start},{end})";
                Assert.True(expected.SequenceEqual(parsed.Binned!.RegionChunks(names[id], start, end)), $"{context}: parsed snapshot");
                Assert.True(expected.SequenceEqual(loaded.Binned!.RegionChunks(names[id], start, end)), $"{context}: loaded snapshot");
                if (compared % 10 == 0)
                {
                    Assert.True(expected.SequenceEqual(store.RegionChunks("obj", names[id], start, end)), $"{context}: tables");
                }

                compared++;
            }
        }

        Assert.Empty(loaded.Binned!.RegionChunks("no-such-reference", 0, long.MaxValue));
        Assert.Equal(parsed.EstimatedBytes, loaded.EstimatedBytes);
        Assert.True(compared > 20, $"only {compared} regions compared");
    }

    [Theory]
    [MemberData(nameof(RegistrationCase.Crams), MemberType = typeof(RegistrationCase))]
    public void Container_ranges_of_a_snapshot_equal_the_tables_range_query(RegistrationCase file)
    {
        var parsed = HtsgetObjectRegistrar.Read(file.Request(files, "cram")).Snapshot();
        using var database = new TestDatabase();
        new HtsgetObjectRegistrar(database.Connection).Register(file.Request(files, "cram"));
        var store = new HtsgetObjectStore(database.Connection);
        var loaded = store.LoadSnapshot("cram")!.Value.Snapshot;
        var compared = 0;

        foreach (var name in store.References("cram").Select(reference => reference.Name).Append("*").Append("no-such-reference"))
        {
            foreach (var (start, end) in new (long, long)[] { (0, long.MaxValue), (0, 1), (999, 1001), (10_000, 20_000), (100_000, 5_000_000), (1L << 40, long.MaxValue) })
            {
                var expected = store.CramContainerRanges("cram", name, start, end);
                Assert.Equal(expected, parsed.Crai!.ContainerRanges(name, start, end));
                Assert.Equal(expected, loaded.Crai!.ContainerRanges(name, start, end));
                compared++;
            }
        }

        Assert.True(compared > 10);
    }

    private static IEnumerable<(long Start, long End)> Regions(BinningIndex index, int id)
    {
        var max = Binning.MaxCoordinate(index.MinShift, index.Depth);
        var window = 1L << index.MinShift;
        yield return (0, long.MaxValue);
        yield return (0, 1);
        yield return (5, 5);
        yield return (max - 1, max);
        var starts = index.References[id].Bins.Values
            .Select(bin => Binning.BinRegion(bin.Id, index.MinShift, index.Depth))
            .Where(region => region.Level == index.Depth)
            .Select(region => region.Start)
            .Order()
            .ToList();
        var random = new Random(id + 17);
        var last = starts.Count > 0 ? starts[^1] + window : 1L << 20;
        foreach (var edge in starts.Take(5).Concat(starts.TakeLast(5)))
        {
            yield return (edge, edge + 1);
            yield return (Math.Max(0, edge - 1), edge + window + 1);
        }

        for (var i = 0; i < 40; i++)
        {
            var start = random.NextInt64(Math.Min(max, last + window));
            yield return (start, start + 1 + random.NextInt64(window * (1 + random.Next(20))));
        }
    }
}
