using System.Data.Common;
using DuckDB.NET.Data;
using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Planning;
using GenomeNode.Htsget.Tickets;
using GenomeNode.Storage;

namespace GenomeNode.Htsget.Registration;

/// <summary>
/// Where a registered object's parts lie: the end of its header (BGZF: virtual offset of the first record; CRAM:
/// byte offset of the first data container), whether it ends with the EOF block/container, and for BAM where the
/// unplaced unmapped reads start (null: right after the header).
/// </summary>
public sealed record ObjectLayout(
    string ObjectId,
    string Format,
    string Path,
    long Size,
    string IndexFormat,
    long HeaderEnd,
    bool EndsWithEof,
    int? MinShift,
    int? Depth,
    long? UnplacedOffset);

/// <summary>
/// Registered htsget objects, and what a ticket needs of one: <see cref="LoadSnapshot"/> reads its registration
/// tables into an <see cref="ObjectSnapshot"/> once; the range queries (<see cref="RegionChunks"/>,
/// <see cref="ByteRanges"/>, <see cref="CramContainerRanges"/>) answer the same questions from the tables directly. No
/// index file is read. With the node's <see cref="HtsgetObjectCache"/>, a removal it commits itself is announced there.
/// </summary>
public sealed class HtsgetObjectStore(DuckDBConnection connection, HtsgetObjectCache? cache)
{
    private const string ObjectColumns = """
        o.object_id, o.dataset_id, o.kind, o.format, o.path, o.size, o.sha256, o.index_format, o.reference_count, o.block_count,
        epoch_us(o.modified_at), epoch_us(o.registered_at), coalesce(o.plaintext_size, o.size), o.crypt4gh_header_length
        """;

    private static readonly string[] Tables = ["objects", "references", "index_references", "blocks", "bins", "lower_bounds", "crai"];

    /// <summary>A store whose removals no cache hears of (for tools and tests without a serving node).</summary>
    public HtsgetObjectStore(DuckDBConnection connection)
        : this(connection, null)
    {
    }

    /// <summary>
    /// The registration of the object's <paramref name="format"/>; without one, of its default format (see
    /// <see cref="DefaultFormat"/>). Null when the object holds no such format.
    /// </summary>
    public RegisteredObject? Find(string objectId, string? format = null) => DefaultFormat(FindAll(objectId), format);

    /// <summary>Every format the object holds (one registration each), in the order of <see cref="HtsgetQuery.Formats"/>; empty for an unknown object.</summary>
    public IReadOnlyList<RegisteredObject> FindAll(string objectId) =>
        [.. connection.Read($"SELECT {ObjectColumns} FROM htsget.objects o WHERE o.object_id = $1", ReadObject, objectId)
            .OrderBy(registered => FormatOrder(registered.Format))];

    /// <summary>
    /// Of an object's registrations, the one of <paramref name="format"/>, or without one the kind's default format
    /// (BAM for reads, VCF for variants) or else the only format it has; null when none fits.
    /// </summary>
    public static RegisteredObject? DefaultFormat(IReadOnlyList<RegisteredObject> files, string? format)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (format is not null)
        {
            return files.FirstOrDefault(file => file.Format == format);
        }

        return files.Count == 1 ? files[0] : files.FirstOrDefault(file => file.Format == HtsgetQuery.Formats(file.Kind)[0]);
    }

    /// <summary>Formats registered for at least one object of each kind.</summary>
    public IReadOnlyList<(HtsgetKind Kind, string Format)> RegisteredFormats() =>
        connection.Read("SELECT DISTINCT kind, format FROM htsget.objects",
            reader => (reader.GetString(0) == "reads" ? HtsgetKind.Reads : HtsgetKind.Variants, reader.GetString(1)));

    private static int FormatOrder(string format) => format switch { "BAM" => 0, "CRAM" => 1, "VCF" => 2, _ => 3 };

    /// <summary>Every registered object, or those of one dataset, ordered by object id.</summary>
    public IReadOnlyList<RegisteredObject> List(string? datasetId = null) =>
        datasetId is null
            ? connection.Read($"SELECT {ObjectColumns} FROM htsget.objects o ORDER BY o.object_id", ReadObject)
            : connection.Read($"SELECT {ObjectColumns} FROM htsget.objects o WHERE o.dataset_id = $1 ORDER BY o.object_id", ReadObject, datasetId);

    /// <summary>Header location and layout facts a ticket needs, or null for an unknown object.</summary>
    public ObjectLayout? Layout(string objectId, string? format = null) =>
        Find(objectId, format) is not { } registered ? null : connection.Read("""
            SELECT object_id, format, path, coalesce(plaintext_size, size), index_format, header_end, ends_with_eof, min_shift, depth, unplaced_offset
            FROM htsget.objects WHERE object_id = $1 AND format = $2
            """,
            reader => new ObjectLayout(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetString(4), reader.GetInt64(5), reader.GetBoolean(6),
                reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.IsDBNull(9) ? null : reader.GetInt64(9)),
            objectId, registered.Format).FirstOrDefault();

    /// <summary>Removes the object (every format it holds) and all its rows in one transaction; false when no object has this id.</summary>
    public bool Remove(string objectId)
    {
        using var transaction = connection.BeginTransaction();
        var removed = DeleteWhere("object_id = $1", objectId);
        transaction.Commit();
        cache?.ObjectChanged(objectId);
        return removed > 0;
    }

    /// <summary>Removes every object of the dataset and all their rows in one transaction; returns how many objects.</summary>
    public int RemoveDataset(string datasetId)
    {
        using var transaction = connection.BeginTransaction();
        var removed = DeleteDatasetRows(datasetId);
        transaction.Commit();
        cache?.DatasetChanged(datasetId);
        return removed;
    }

    /// <summary>
    /// <see cref="RemoveDataset"/> without a transaction of its own: for a caller that removes a dataset from every
    /// module inside one transaction of its own, so that the whole removal is atomic.
    /// </summary>
    public int DeleteDatasetRows(string datasetId) =>
        DeleteWhere("object_id IN (SELECT object_id FROM htsget.objects WHERE dataset_id = $1)", datasetId);

    /// <summary>
    /// The current registration of the object's <paramref name="format"/> (null: its default format) and its
    /// <see cref="ObjectSnapshot"/>, both read in one transaction (so from one registration even while the object is
    /// registered again); null when the object holds no such format.
    /// </summary>
    public (RegisteredObject Registered, ObjectSnapshot Snapshot)? LoadSnapshot(string objectId, string? format = null)
    {
        using var transaction = connection.BeginTransaction();
        var registered = Find(objectId, format);
        var layout = registered is null ? null : Layout(objectId, registered.Format);
        if (registered is null || layout is null)
        {
            return null;
        }

        format = registered.Format;
        var references = References(objectId, format).Select(reference => reference.Name);
        var indexNames = connection.Read("SELECT name FROM htsget.index_references WHERE object_id = $1 AND format = $2 ORDER BY ref_index",
            reader => reader.GetString(0), objectId, format);
        BinnedIndex? binned = null;
        CraiIndex? crai = null;
        if (layout.Format == "CRAM")
        {
            var slices = connection.Read("""
                SELECT c.ref_index, c."start", c.span, c.container_offset, b."offset" + b.compressed_size
                FROM htsget.crai c
                JOIN htsget.blocks b ON b.object_id = c.object_id AND b.format = c.format AND b."offset" = c.container_offset
                WHERE c.object_id = $1 AND c.format = $2
                ORDER BY c.ref_index, c."start"
                """,
                reader => new CraiSlice(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)),
                objectId, format);
            crai = new CraiIndex(indexNames, slices);
        }
        else if (layout.MinShift is { } minShift && layout.Depth is { } depth)
        {
            var chunks = connection.Read("""
                SELECT ref_index, bin_start, bin_end, chunk_start, chunk_end FROM htsget.bins WHERE object_id = $1 AND format = $2
                """,
                reader => (Reference: reader.GetInt32(0), Chunk: new BinChunk(reader.GetInt64(1), reader.GetInt64(2),
                    new VirtualOffset((ulong)reader.GetInt64(3)), new VirtualOffset((ulong)reader.GetInt64(4)))),
                objectId, format).ToLookup(row => row.Reference, row => row.Chunk);
            var bounds = connection.Read("""
                SELECT ref_index, window_start, window_end, "offset" FROM htsget.lower_bounds WHERE object_id = $1 AND format = $2
                """,
                reader => (Reference: reader.GetInt32(0), Bound: new LowerBound(reader.GetInt64(1), reader.GetInt64(2), new VirtualOffset((ulong)reader.GetInt64(3)))),
                objectId, format).ToLookup(row => row.Reference, row => row.Bound);
            var byName = new Dictionary<string, BinnedReference>(StringComparer.Ordinal);
            for (var index = 0; index < indexNames.Count; index++)
            {
                // As the range query: a name the index repeats stands for its first reference.
                if (!byName.ContainsKey(indexNames[index]))
                {
                    byName[indexNames[index]] = new BinnedReference(chunks[index], bounds[index]);
                }
            }

            binned = new BinnedIndex(minShift, depth, byName);
        }
        else
        {
            throw new InvalidOperationException($"Object '{objectId}' is {layout.Format} without a binning scheme.");
        }

        var snapshot = new ObjectSnapshot(objectId, registered.Kind, layout.Format, layout.Size, layout.HeaderEnd, layout.EndsWithEof,
            layout.UnplacedOffset, references, binned, crai);
        transaction.Commit();
        return (registered, snapshot);
    }

    /// <summary>The file header's references in header order (length -1 when the header gives none); empty for an unknown object.</summary>
    public IReadOnlyList<(string Name, long Length)> References(string objectId, string? format = null) =>
        Find(objectId, format) is not { } registered ? [] :
        connection.Read("SELECT name, coalesce(length, -1) FROM htsget.references WHERE object_id = $1 AND format = $2 ORDER BY ref_index",
            reader => (reader.GetString(0), reader.GetInt64(1)), objectId, registered.Format);

    /// <summary>
    /// Merged chunks of a BAM, VCF.gz or BCF object that hold every record of <paramref name="referenceName"/>
    /// overlapping [start, end) (0-based, half-open; <see cref="long.MaxValue"/> for the rest of the reference), as
    /// <see cref="Formats.RegionChunks.Find"/> computes them from the index: the chunks of bins overlapping the region,
    /// cut below by the lower bound of start. Empty when the index has no such reference (the file holds no records
    /// on it). Throws <see cref="KeyNotFoundException"/> for an unknown object, <see cref="InvalidOperationException"/>
    /// for a CRAM object (see <see cref="CramContainerRanges"/>).
    /// </summary>
    public IReadOnlyList<Chunk> RegionChunks(string objectId, string referenceName, long start, long end, string? format = null)
    {
        ArgumentNullException.ThrowIfNull(referenceName);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        var layout = Layout(objectId, format) ?? throw new KeyNotFoundException($"No htsget object '{objectId}' is registered.");
        if (layout.MinShift is not { } minShift || layout.Depth is not { } depth)
        {
            throw new InvalidOperationException($"Object '{objectId}' is {layout.Format}, which has no binning index.");
        }

        end = Math.Min(end, Binning.MaxCoordinate(minShift, depth));
        if (start >= end)
        {
            return [];
        }

        // The file is sorted by position, so every record overlapping the region comes before any record of a bin
        // that lies wholly right of the region's last finest window: the earliest such chunk caps the chunks' ends.
        var rightOfRegion = (((end - 1) >> minShift) + 1) << minShift;
        var chunks = connection.Read("""
            WITH reference AS (
                SELECT ref_index FROM htsget.index_references WHERE object_id = $1 AND format = $6 AND name = $2 LIMIT 1),
            bound AS (
                SELECT coalesce(max(l."offset"), 0) AS value FROM htsget.lower_bounds l, reference r
                WHERE l.object_id = $1 AND l.format = $6 AND l.ref_index = r.ref_index AND l.window_start <= $3 AND $3 < l.window_end),
            upper AS (
                SELECT coalesce(min(u.chunk_start), 9223372036854775807) AS value FROM htsget.bins u, reference r
                WHERE u.object_id = $1 AND u.format = $6 AND u.ref_index = r.ref_index AND u.bin_start >= $5)
            SELECT greatest(b.chunk_start, bound.value), least(b.chunk_end, upper.value)
            FROM htsget.bins b, reference r, bound, upper
            WHERE b.object_id = $1 AND b.format = $6 AND b.ref_index = r.ref_index AND b.bin_start < $4 AND b.bin_end > $3
                AND greatest(b.chunk_start, bound.value) < least(b.chunk_end, upper.value)
            """,
            reader => new Chunk(new VirtualOffset((ulong)reader.GetInt64(0)), new VirtualOffset((ulong)reader.GetInt64(1))),
            objectId, referenceName, start, end, rightOfRegion, layout.Format);
        return ChunkMerger.Merge(chunks);
    }

    /// <summary>
    /// The byte ranges (offset, length) of the whole BGZF blocks that chunks cover: a chunk [s, e) covers the blocks
    /// from the one at s's compressed offset through the one holding e, or up to e's block when e points at its
    /// first byte. Sorted, with overlapping or adjacent ranges merged.
    /// </summary>
    public IReadOnlyList<(long Offset, long Length)> ByteRanges(string objectId, IReadOnlyList<Chunk> chunks, string? format = null)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var registered = Find(objectId, format) ?? throw new KeyNotFoundException($"No htsget object '{objectId}' is registered.");
        var ranges = new List<(long Start, long End)>();
        foreach (var chunk in chunks.Where(chunk => chunk.End > chunk.Start))
        {
            var end = connection.Read("""
                SELECT max("offset" + compressed_size) FROM htsget.blocks
                WHERE object_id = $1 AND format = $5 AND "offset" >= $2 AND ("offset" < $3 OR ($4 AND "offset" = $3))
                """,
                reader => reader.IsDBNull(0) ? (long?)null : reader.GetInt64(0),
                objectId, chunk.Start.CompressedOffset, chunk.End.CompressedOffset, chunk.End.UncompressedOffset > 0, registered.Format).Single();
            if (end is { } value && value > chunk.Start.CompressedOffset)
            {
                ranges.Add((chunk.Start.CompressedOffset, value));
            }
        }

        return Planning.ByteRanges.Merge(ranges);
    }

    /// <summary>
    /// Byte ranges (offset, length) of the whole CRAM containers with a slice overlapping [start, end) of the
    /// reference (0-based, half-open), from the CRAI rows; "*" selects the unmapped slices. Sorted, adjacent merged.
    /// Empty for a reference the file does not declare.
    /// </summary>
    public IReadOnlyList<(long Offset, long Length)> CramContainerRanges(string objectId, string referenceName, long start, long end, string format = "CRAM")
    {
        ArgumentNullException.ThrowIfNull(referenceName);
        var ranges = connection.Read("""
            WITH reference AS (
                SELECT -1 AS ref_index WHERE $2 = '*'
                UNION ALL
                SELECT ref_index FROM htsget.index_references WHERE object_id = $1 AND format = $5 AND name = $2)
            SELECT DISTINCT c.container_offset, b."offset" + b.compressed_size
            FROM htsget.crai c
            JOIN reference r ON c.ref_index = r.ref_index
            JOIN htsget.blocks b ON b.object_id = c.object_id AND b.format = c.format AND b."offset" = c.container_offset
            WHERE c.object_id = $1 AND c.format = $5 AND (c.ref_index = -1 OR (c."start" - 1 < $4 AND c."start" - 1 + c.span > $3))
            ORDER BY 1
            """,
            reader => (reader.GetInt64(0), reader.GetInt64(1)), objectId, referenceName, start, end, format);
        return Planning.ByteRanges.Merge(ranges);
    }

    private static RegisteredObject ReadObject(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2) == "reads" ? HtsgetKind.Reads : HtsgetKind.Variants,
        reader.GetString(3),
        reader.GetString(4),
        reader.GetInt64(5),
        reader.GetString(6),
        reader.GetString(7),
        reader.GetInt32(8),
        (int)reader.GetInt64(9),
        FromMicroseconds(reader.GetInt64(10)))
    {
        RegisteredUtc = FromMicroseconds(reader.GetInt64(11)),
        PlaintextSize = reader.GetInt64(12),
        Crypt4ghHeaderLength = reader.IsDBNull(13) ? null : reader.GetInt64(13),
    };

    private static DateTime FromMicroseconds(long microseconds) => DateTime.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);

    private int DeleteWhere(string condition, string key)
    {
        var objects = connection.Read($"SELECT count(DISTINCT object_id) FROM htsget.objects WHERE {condition}", reader => reader.GetInt64(0), key).Single();
        // objects last: the other tables' conditions may select through it.
        foreach (var table in Enumerable.Reverse(Tables))
        {
            connection.Execute($"DELETE FROM htsget.{table} WHERE {condition}", key);
        }

        return (int)objects;
    }
}
