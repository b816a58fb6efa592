using System.Collections.Concurrent;
using System.Diagnostics;
using GenomeNode.Htsget.Access;
using GenomeNode.Htsget.Planning;
using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace GenomeNode.Htsget.Tickets;

/// <summary>
/// An object as registered now: every format it holds (<paramref name="Files"/>, one registration each), the one a
/// request without a format gets (<paramref name="Registered"/>, see <see cref="HtsgetObjectStore.DefaultFormat"/>;
/// its dataset and kind are those of every format), its dataset's catalog entry (null once the dataset is gone) and
/// the dataset's download policy (<see cref="StreamingPolicy.None"/> once it is gone).
/// </summary>
public sealed record CurrentObject(RegisteredObject Registered, Dataset? Dataset, IReadOnlyList<RegisteredObject> Files)
{
    public StreamingPolicy Streaming { get; init; } = StreamingPolicy.None;
}

/// <summary>
/// What tickets and data URLs need of registered objects, kept in memory so that a request reads no table:
/// <list type="bullet">
/// <item>each object's registration and its dataset, read again after any change this node commits to htsget objects
/// or datasets (<see cref="ObjectChanged"/>, <see cref="DatasetChanged"/>), and at the latest after
/// <see cref="ObjectLifetime"/>, so that even a change no one announced is seen within that time;</item>
/// <item>each object's <see cref="ObjectSnapshot"/> per format, keyed by its registered version (SHA-256 and registration
/// time): a snapshot is only ever used for the registration it was read from. The least recently used are dropped
/// beyond <see cref="HtsgetOptions.IndexCacheMegabytes"/>;</item>
/// <item>the re-compressed edges of recently planned chunks (<see cref="IDataFileEdges"/>), per version, within
/// <see cref="HtsgetOptions.EdgeCacheMegabytes"/>.</item>
/// </list>
/// </summary>
public sealed class HtsgetObjectCache : IDisposable
{
    /// <summary>How long a registration read from the tables is used without reading it again.</summary>
    public static readonly TimeSpan ObjectLifetime = TimeSpan.FromSeconds(2);

    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly long indexBudget;
    private readonly MemoryCache? edges;
    private readonly ConcurrentDictionary<string, ObjectEntry> objects = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly Dictionary<(string ObjectId, string Format), SnapshotEntry> snapshots = [];
    private readonly ConcurrentDictionary<ObjectVersion, Lazy<SnapshotEntry?>> loading = new();
    private FormatsEntry? registeredFormats;
    private long generation;
    private long snapshotBytes;
    private long uses;

    public HtsgetObjectCache(IServiceScopeFactory scopes, IOptions<HtsgetOptions> options, TimeProvider time, ILogger<HtsgetObjectCache> logger)
        : this(scopes, (options ?? throw new ArgumentNullException(nameof(options))).Value.IndexCacheMegabytes * 1024L * 1024L,
            options.Value.EdgeCacheMegabytes * 1024L * 1024L, time, logger)
    {
    }

    /// <summary>A cache with budgets in bytes (tests use budgets smaller than the settings' megabytes).</summary>
    internal HtsgetObjectCache(IServiceScopeFactory scopes, long indexBudget, long edgeBudget, TimeProvider time, ILogger<HtsgetObjectCache> logger)
    {
        this.scopes = scopes;
        this.time = time;
        this.logger = logger;
        this.indexBudget = indexBudget;
        edges = edgeBudget > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = edgeBudget, CompactionPercentage = 0.25 }) : null;
    }

    /// <summary>Bytes the cached snapshots take (estimated).</summary>
    public long SnapshotBytes => Interlocked.Read(ref snapshotBytes);

    /// <summary>The object as registered now, or null when no object has this id.</summary>
    public async ValueTask<CurrentObject?> FindAsync(string objectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objectId);
        var seen = Volatile.Read(ref generation);
        if (objects.TryGetValue(objectId, out var entry) && entry.Generation == seen && time.GetElapsedTime(entry.ReadAt) < ObjectLifetime)
        {
            return entry.Current;
        }

        var readAt = time.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var files = scope.ServiceProvider.GetRequiredService<HtsgetObjectStore>().FindAll(objectId);
        if (HtsgetObjectStore.DefaultFormat(files, null) is not { } registered)
        {
            objects.TryRemove(objectId, out _);
            return null;
        }

        var dataset = await scope.ServiceProvider.GetRequiredService<DatasetCatalog>().FindAsync(registered.DatasetId, cancellationToken);
        var current = new CurrentObject(registered, dataset, files)
        {
            Streaming = dataset is null ? StreamingPolicy.None
                : scope.ServiceProvider.GetRequiredService<DatasetStreaming>().Find(dataset.Id) ?? StreamingPolicies.DefaultFor(dataset.Tier),
        };
        // Stamped with the generation seen before reading: a change committed meanwhile outdates it at once.
        objects[objectId] = new ObjectEntry(current, seen, readAt);
        return current;
    }

    /// <summary>
    /// The formats of <paramref name="kind"/> some registered object can serve, in the endpoint's order; all the
    /// endpoint serves while no object of the kind is registered. Read again as objects are (see <see cref="FindAsync"/>).
    /// </summary>
    public IReadOnlyList<string> ServedFormats(HtsgetKind kind)
    {
        var seen = Volatile.Read(ref generation);
        var entry = Volatile.Read(ref registeredFormats);
        if (entry is null || entry.Generation != seen || time.GetElapsedTime(entry.ReadAt) >= ObjectLifetime)
        {
            var readAt = time.GetTimestamp();
            using var scope = scopes.CreateScope();
            entry = new FormatsEntry(scope.ServiceProvider.GetRequiredService<HtsgetObjectStore>().RegisteredFormats(), seen, readAt);
            Volatile.Write(ref registeredFormats, entry);
        }

        var all = HtsgetQuery.Formats(kind);
        var served = all.Where(format => entry.Formats.Contains((kind, format))).ToList();
        return served.Count == 0 ? all : served;
    }

    /// <summary>
    /// The snapshot of <paramref name="registered"/>'s registration, read from the tables when not in memory; null
    /// when the object is no longer registered so (registered again or removed since it was found).
    /// </summary>
    public ObjectSnapshot? Snapshot(RegisteredObject registered) => Entry(registered)?.Snapshot;

    /// <summary>
    /// The file edges a plan of <paramref name="registered"/> reads, from memory when planned before; the file is opened
    /// only for what is not. Dispose it after planning.
    /// </summary>
    public CachedFileEdges Edges(RegisteredObject registered, Func<Stream> openPlaintext)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var entry = edges is null ? null : Current(registered.Version);
        return new CachedFileEdges(new DataFileEdges(openPlaintext), entry is null ? null : this, entry);
    }

    /// <summary>After a registration or removal of the object committed: read it again, drop its snapshots (of every format).</summary>
    public void ObjectChanged(string objectId)
    {
        Interlocked.Increment(ref generation);
        objects.TryRemove(objectId, out _);
        lock (gate)
        {
            foreach (var key in snapshots.Keys.Where(key => key.ObjectId == objectId).ToList())
            {
                snapshots.Remove(key, out var entry);
                Drop(entry!);
            }
        }
    }

    /// <summary>After a change of the dataset committed (a registration, a removal): read its objects again, drop their snapshots.</summary>
    public void DatasetChanged(string datasetId)
    {
        Interlocked.Increment(ref generation);
        foreach (var (id, entry) in objects)
        {
            if (entry.Current.Registered.DatasetId == datasetId)
            {
                objects.TryRemove(id, out _);
            }
        }

        lock (gate)
        {
            foreach (var (id, entry) in snapshots.Where(pair => pair.Value.DatasetId == datasetId).ToList())
            {
                snapshots.Remove(id);
                Drop(entry);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var entry in snapshots.Values)
            {
                Drop(entry);
            }

            snapshots.Clear();
        }

        edges?.Dispose();
    }

    internal BgzfCut Edge(SnapshotEntry entry, EdgeKey key, Func<BgzfCut> cut)
    {
        if (edges is null)
        {
            return cut();
        }

        if (edges.TryGetValue(key, out BgzfCut cached))
        {
            return cached;
        }

        var made = cut();
        if (!entry.Dropped.IsCancellationRequested)
        {
            using var cacheEntry = edges.CreateEntry(key);
            cacheEntry.Value = made;
            cacheEntry.Size = made.Bgzf.Length + 128;
            cacheEntry.AddExpirationToken(new CancellationChangeToken(entry.Dropped.Token));
        }

        return made;
    }

    private SnapshotEntry? Current(ObjectVersion version)
    {
        lock (gate)
        {
            if (snapshots.TryGetValue((version.ObjectId, version.Format), out var entry) && entry.Version == version)
            {
                entry.LastUse = ++uses;
                return entry;
            }
        }

        return null;
    }

    private SnapshotEntry? Entry(RegisteredObject registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var version = registered.Version;
        if (Current(version) is { } known)
        {
            return known;
        }

        // One read per version, however many requests wait for it.
        var load = loading.GetOrAdd(version, _ => new Lazy<SnapshotEntry?>(() => Load(version), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return load.Value;
        }
        finally
        {
            loading.TryRemove(KeyValuePair.Create(version, load));
        }
    }

    private SnapshotEntry? Load(ObjectVersion version)
    {
        var started = Stopwatch.GetTimestamp();
        using var scope = scopes.CreateScope();
        var loaded = scope.ServiceProvider.GetRequiredService<HtsgetObjectStore>().LoadSnapshot(version.ObjectId, version.Format);
        if (loaded is not { } found || found.Registered.Version != version)
        {
            // Registered again (or removed) since this request found it: its next lookup reads the object again.
            objects.TryRemove(version.ObjectId, out _);
            return null;
        }

        var snapshot = found.Snapshot;
        var size = snapshot.EstimatedBytes;
        Log.SnapshotLoaded(logger, version.ObjectId, size / (1024 * 1024.0), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        var kept = size <= indexBudget;
        if (!kept)
        {
            Log.SnapshotTooLarge(logger, version.ObjectId, size / (1024 * 1024.0), indexBudget / (1024 * 1024));
        }

        var entry = new SnapshotEntry(version, found.Registered.DatasetId, snapshot, kept ? size : 0);
        lock (gate)
        {
            if (snapshots.Remove((version.ObjectId, version.Format), out var previous))
            {
                Drop(previous);
            }

            while (snapshotBytes + entry.Size > indexBudget && snapshots.Count > 0)
            {
                var oldest = snapshots.MinBy(pair => pair.Value.LastUse);
                snapshots.Remove(oldest.Key);
                Drop(oldest.Value);
            }

            if (kept)
            {
                entry.LastUse = ++uses;
                snapshots[(version.ObjectId, version.Format)] = entry;
                snapshotBytes += entry.Size;
            }
        }

        return entry;
    }

    // Under the gate: forget the snapshot's bytes and expire its edges.
    private void Drop(SnapshotEntry entry)
    {
        snapshotBytes -= entry.Size;
        // Not disposed: a plan still holding the entry may look at it.
        entry.Dropped.Cancel();
    }

    private sealed record ObjectEntry(CurrentObject Current, long Generation, long ReadAt);

    private sealed record FormatsEntry(IReadOnlyList<(HtsgetKind Kind, string Format)> Formats, long Generation, long ReadAt);

    internal sealed class SnapshotEntry(ObjectVersion version, string datasetId, ObjectSnapshot snapshot, long size)
    {
        public ObjectVersion Version { get; } = version;

        public string DatasetId { get; } = datasetId;

        public ObjectSnapshot Snapshot { get; } = snapshot;

        public long Size { get; } = size;

        public long LastUse { get; set; }

        /// <summary>Cancelled when the snapshot is dropped: its edges expire with it.</summary>
        public CancellationTokenSource Dropped { get; } = new();
    }

    internal readonly record struct EdgeKey(ObjectVersion Version, char Kind, long Offset, int Start, int End);
}

/// <summary>
/// The file edges of one plan: cuts already made for the same registration come from the cache, others are read from
/// the file (opened on first need) and kept. Disposing closes the file.
/// </summary>
public sealed class CachedFileEdges : IDataFileEdges, IDisposable
{
    private readonly DataFileEdges file;
    private readonly HtsgetObjectCache? cache;
    private readonly HtsgetObjectCache.SnapshotEntry? entry;

    internal CachedFileEdges(DataFileEdges file, HtsgetObjectCache? cache, HtsgetObjectCache.SnapshotEntry? entry)
    {
        this.file = file;
        this.cache = cache;
        this.entry = entry;
    }

    /// <summary>Whether planning read anything from the file rather than from memory.</summary>
    public bool OpenedFile => file.OpenedFile;

    public ReadOnlyMemory<byte> Read(long offset, int length) =>
        Cached('r', offset, length, 0, () => new BgzfCut(0, file.Read(offset, length))).Bgzf;

    public ReadOnlyMemory<byte> CutHeader(long blockOffset, int length) =>
        Cached('h', blockOffset, length, 0, () => new BgzfCut(0, file.CutHeader(blockOffset, length))).Bgzf;

    public int BlockLength(long blockOffset) =>
        Cached('l', blockOffset, 0, 0, () => new BgzfCut(file.BlockLength(blockOffset), ReadOnlyMemory<byte>.Empty)).BlockLength;

    public BgzfCut CutRecords(long blockOffset, int dataStart, int dataEnd) =>
        Cached('b', blockOffset, dataStart, dataEnd, () => file.CutRecords(blockOffset, dataStart, dataEnd));

    public void Dispose() => file.Dispose();

    private BgzfCut Cached(char kind, long offset, int start, int end, Func<BgzfCut> cut) =>
        cache is null || entry is null ? cut() : cache.Edge(entry, new HtsgetObjectCache.EdgeKey(entry.Version, kind, offset, start, end), cut);
}
