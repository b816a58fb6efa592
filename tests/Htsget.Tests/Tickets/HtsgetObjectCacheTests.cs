using DuckDB.NET.Data;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tests.Formats;
using GenomeNode.Htsget.Tickets;
using GenomeNode.Passport.Datasets;
using GenomeNode.Storage;
using GenomeNode.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GenomeNode.Htsget.Tests.Tickets;

/// <summary>
/// The node's cache of ticket snapshots: a snapshot is only ever used for the registration it was read from, and the
/// cache holds no more than its budget.
/// </summary>
[Collection(BuiltFilesGroup.Name)]
public sealed class HtsgetObjectCacheTests(BuiltFiles files) : IDisposable
{
    private readonly TestDatabase database = new();

    private ServiceProvider? services;

    public void Dispose()
    {
        services?.Dispose();
        database.Dispose();
    }

    [Fact]
    public async Task A_registration_replaced_while_a_ticket_holds_it_never_gets_the_new_files_index()
    {
        using var cache = Cache(indexBudget: 64L << 20);
        var registrar = new HtsgetObjectRegistrar(database.Connection, cache);
        registrar.Register(new("obj", "ds", HtsgetKind.Reads, files.IndexBam, files.IndexBam + ".bai"));
        var held = (await cache.FindAsync("obj", CancellationToken.None))!.Registered;
        Assert.NotNull(cache.Snapshot(held));

        // Registered again, to another file, between the ticket's lookup and its planning.
        registrar.Register(new("obj", "ds", HtsgetKind.Reads, files.SyntheticBam, files.SyntheticBam + ".bai"));

        Assert.Null(cache.Snapshot(held));
        var current = (await cache.FindAsync("obj", CancellationToken.None))!.Registered;
        Assert.Equal(files.SyntheticBam, current.Path);
        Assert.Equal(References(files.SyntheticBam), cache.Snapshot(current)!.ReferenceNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Each_format_of_an_id_has_its_own_snapshot_and_service_info_claims_the_formats_held()
    {
        using var cache = Cache(indexBudget: 64L << 20);
        var registrar = new HtsgetObjectRegistrar(database.Connection, cache);

        // Nothing registered: the endpoints claim every format they serve, as before several formats per id.
        Assert.Equal(["BAM", "CRAM"], cache.ServedFormats(HtsgetKind.Reads));
        Assert.Equal(["VCF", "BCF"], cache.ServedFormats(HtsgetKind.Variants));

        registrar.Register(new("obj", "ds", HtsgetKind.Reads, files.IndexBam, files.IndexBam + ".bai"));
        var bam = (await cache.FindAsync("obj", CancellationToken.None))!.Registered;
        Assert.Equal("BAM", cache.Snapshot(bam)!.Format);
        Assert.Equal(["BAM"], cache.ServedFormats(HtsgetKind.Reads));

        registrar.Register(new("obj", "ds", HtsgetKind.Reads, files.IndexCram, null));
        var current = (await cache.FindAsync("obj", CancellationToken.None))!;

        Assert.Equal(["BAM", "CRAM"], current.Files.Select(file => file.Format));
        Assert.Equal("BAM", current.Registered.Format);
        Assert.Equal("CRAM", cache.Snapshot(current.Files[1])!.Format);
        Assert.Equal("BAM", cache.Snapshot(current.Files[0])!.Format);
        Assert.Equal(["BAM", "CRAM"], cache.ServedFormats(HtsgetKind.Reads));
        Assert.Equal(["VCF", "BCF"], cache.ServedFormats(HtsgetKind.Variants));

        new HtsgetObjectStore(database.Connection, cache).Remove("obj");

        Assert.Null(await cache.FindAsync("obj", CancellationToken.None));
        Assert.Null(cache.Snapshot(current.Files[1]));
    }

    [Fact]
    public void A_registration_the_cache_was_not_told_of_still_gets_its_own_index()
    {
        using var cache = Cache(indexBudget: 64L << 20);
        var store = new HtsgetObjectStore(database.Connection);
        new HtsgetObjectRegistrar(database.Connection, cache).Register(new("obj", "ds", HtsgetKind.Reads, files.IndexBam, files.IndexBam + ".bai"));
        Assert.NotNull(cache.Snapshot(store.Find("obj")!));

        // A registrar without the cache (a tool on the same database): the cached snapshot is of another registration.
        new HtsgetObjectRegistrar(database.Connection).Register(new("obj", "ds", HtsgetKind.Reads, files.SyntheticBam, files.SyntheticBam + ".bai"));

        Assert.Equal(References(files.SyntheticBam), cache.Snapshot(store.Find("obj")!)!.ReferenceNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Snapshots_beyond_the_budget_drop_the_least_recently_used_and_a_removed_dataset_drops_its_own()
    {
        var registrar = new HtsgetObjectRegistrar(database.Connection);
        registrar.Register(new("a", "ds1", HtsgetKind.Reads, files.IndexBam, files.IndexBam + ".bai"));
        registrar.Register(new("b", "ds1", HtsgetKind.Reads, files.SyntheticBam, files.SyntheticBam + ".bai"));
        registrar.Register(new("c", "ds2", HtsgetKind.Variants, files.IndexVcf, files.IndexVcf + ".tbi"));
        var store = new HtsgetObjectStore(database.Connection);
        var (a, b, c) = (store.Find("a")!, store.Find("b")!, store.Find("c")!);
        long Size(string id) => store.LoadSnapshot(id)!.Value.Snapshot.EstimatedBytes;
        using var cache = Cache(indexBudget: Size("a") + Size("c"));

        var firstA = cache.Snapshot(a);
        var firstB = cache.Snapshot(b);
        Assert.Same(firstA, cache.Snapshot(a));
        var firstC = cache.Snapshot(c);

        Assert.True(cache.SnapshotBytes <= Size("a") + Size("c"));
        Assert.Same(firstA, cache.Snapshot(a));
        Assert.Same(firstC, cache.Snapshot(c));

        new HtsgetDatasetData(cache).Committed(new DatasetChange("ds2", DatasetChangeKind.Removed));
        Assert.Equal(Size("a"), cache.SnapshotBytes);
        Assert.NotSame(firstB, cache.Snapshot(b));
    }

    [Fact]
    public void A_snapshot_larger_than_the_whole_budget_is_used_once_and_not_kept()
    {
        new HtsgetObjectRegistrar(database.Connection).Register(new("a", "ds", HtsgetKind.Reads, files.IndexBam, files.IndexBam + ".bai"));
        var registered = new HtsgetObjectStore(database.Connection).Find("a")!;
        using var cache = Cache(indexBudget: 100);

        var first = cache.Snapshot(registered);

        Assert.NotNull(first);
        Assert.Equal(0, cache.SnapshotBytes);
        Assert.NotSame(first, cache.Snapshot(registered));
    }

    private HtsgetObjectCache Cache(long indexBudget)
    {
        var collection = new ServiceCollection();
        collection.AddScoped(_ => database.OpenConnection());
        collection.AddScoped(provider => new HtsgetObjectStore(provider.GetRequiredService<DuckDBConnection>()));
        collection.AddScoped(provider => new DatasetCatalog(provider.GetRequiredService<DuckDBConnection>()));
        services = collection.BuildServiceProvider();
        return new HtsgetObjectCache(services.GetRequiredService<IServiceScopeFactory>(), indexBudget, 0, TimeProvider.System, NullLogger<HtsgetObjectCache>.Instance);
    }

    private static List<string> References(string bam) =>
        [.. ExternalTools.Lines("samtools", "view", "-H", bam).Where(line => line.StartsWith("@SQ", StringComparison.Ordinal))
            .Select(line => line.Split('\t').First(field => field.StartsWith("SN:", StringComparison.Ordinal))[3..]).Order(StringComparer.Ordinal)];
}
