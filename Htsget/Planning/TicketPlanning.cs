using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tickets;

namespace GenomeNode.Htsget.Planning;

/// <summary>
/// Plans a ticket from an object's snapshot: which bytes of the file, and which re-compressed partial BGZF blocks, make
/// up the requested stream. A pure function of the snapshot and the query; the few bytes it takes from the file itself
/// (chunk edges, CRAM's EOF container) come through <see cref="IDataFileEdges"/>.
/// <list type="bullet">
/// <item>BGZF header: the whole blocks before the first record's virtual offset, then that block's header part inline.</item>
/// <item>Each merged chunk [s, e): s's block from s inline (when s points into it), the whole blocks up to e's
/// block as file bytes, and e's block up to e inline (when e points into it).</item>
/// <item>CRAM: the header containers, the whole containers with overlapping slices, the EOF container inline.</item>
/// </list>
/// With <see cref="PlanShape.WholeBlocks"/> a plan is file bytes only, cut at block (CRAM: container) boundaries: the
/// blocks a chunk starts and ends in are sent whole (extra records, which htsget clients filter), and the EOF marker is
/// the file's own. That is what a Crypt4GH slice can carry: nothing re-compressed, nothing given inline.
/// </summary>
public static class TicketPlanning
{
    /// <summary>Largest file part of a ticket; longer runs are split (the spec suggests data blocks of at most ~1 GB).</summary>
    public const long MaxFilePartLength = 1L << 30;

    /// <summary>Inline parts are joined while they stay under this size.</summary>
    public const int MaxInlinePartLength = 1 << 20;

    private static readonly ReadOnlyMemory<byte> EofMarker = Bgzf.EofMarker.ToArray();

    private const int Cram3EofLength = 38;
    private const int Cram21EofLength = 30;

    /// <summary>
    /// The plan for <paramref name="query"/> on the object of <paramref name="snapshot"/>; throws
    /// <see cref="HtsgetException"/> (NotFound, UnsupportedFormat) for a request the object cannot answer, and what
    /// <paramref name="file"/> throws when the file cannot be read (or <see cref="HtsFormatException"/> when it no
    /// longer matches its registration).
    /// </summary>
    public static TicketPlan Plan(ObjectSnapshot snapshot, HtsgetQuery query, IDataFileEdges file, PlanShape shape = PlanShape.Exact)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(file);
        if (snapshot.Kind != query.Kind)
        {
            throw new HtsgetException(HtsgetErrorType.NotFound, $"No {(query.Kind == HtsgetKind.Reads ? "reads" : "variants")} object has the id '{snapshot.ObjectId}'.");
        }

        if (query.Format is { } format && !string.Equals(format, snapshot.Format, StringComparison.Ordinal))
        {
            throw new HtsgetException(HtsgetErrorType.UnsupportedFormat,
                $"Object '{snapshot.ObjectId}' is {snapshot.Format}; it is not served as {format}.");
        }

        CheckReferences(snapshot, query);
        var parts = new PartList();
        if (snapshot.Crai is { } crai)
        {
            PlanCram(snapshot, crai, query, file, parts, shape);
        }
        else if (shape == PlanShape.WholeBlocks)
        {
            PlanBgzfWholeBlocks(snapshot, snapshot.Binned!, query, file, parts);
        }
        else
        {
            PlanBgzf(snapshot, snapshot.Binned!, query, file, parts);
        }

        return new TicketPlan(snapshot.Format, parts.Build());
    }

    private static void CheckReferences(ObjectSnapshot snapshot, HtsgetQuery query)
    {
        if (query.Regions is null)
        {
            return;
        }

        foreach (var region in query.Regions)
        {
            var unplaced = query.Kind == HtsgetKind.Reads && region.ReferenceName == HtsgetRegion.Unplaced;
            // A VCF without ##contig lines declares no references: its index names them, and unknown names find nothing.
            if (!unplaced && snapshot.ReferenceNames.Count > 0 && !snapshot.ReferenceNames.Contains(region.ReferenceName))
            {
                throw new HtsgetException(HtsgetErrorType.NotFound,
                    $"Object '{snapshot.ObjectId}' has no reference '{HtsgetRequests.Shorten(region.ReferenceName)}'.");
            }
        }
    }

    private static void PlanBgzf(ObjectSnapshot snapshot, BinnedIndex index, HtsgetQuery query, IDataFileEdges file, PartList parts)
    {
        var header = new VirtualOffset((ulong)snapshot.HeaderEnd);
        parts.AddFile(DataClass.Header, 0, header.CompressedOffset);
        if (header.UncompressedOffset > 0)
        {
            parts.AddInline(DataClass.Header, file.CutHeader(header.CompressedOffset, header.UncompressedOffset));
        }

        if (!query.HeaderOnly)
        {
            var dataEnd = new VirtualOffset(snapshot.EndsWithEof ? snapshot.Size - Bgzf.EofMarkerLength : snapshot.Size, 0);
            foreach (var chunk in BodyChunks(snapshot, index, query, header, dataEnd))
            {
                AddChunk(parts, file, chunk);
            }
        }

        parts.AddInline(DataClass.Body, EofMarker);
    }

    private static void PlanBgzfWholeBlocks(ObjectSnapshot snapshot, BinnedIndex index, HtsgetQuery query, IDataFileEdges file, PartList parts)
    {
        var header = new VirtualOffset((ulong)snapshot.HeaderEnd);
        var headerEnd = BlockEnd(header, file);
        parts.AddFile(DataClass.Header, 0, headerEnd);
        var dataEnd = snapshot.EndsWithEof ? snapshot.Size - Bgzf.EofMarkerLength : snapshot.Size;
        if (!query.HeaderOnly)
        {
            foreach (var chunk in BodyChunks(snapshot, index, query, header, new VirtualOffset(dataEnd, 0)))
            {
                // The header's last block went with the header: its records are sent once.
                var start = Math.Max(chunk.Start.CompressedOffset, headerEnd);
                var end = Math.Min(BlockEnd(chunk.End, file), dataEnd);
                parts.AddFile(DataClass.Body, start, end - start);
            }
        }

        if (snapshot.EndsWithEof)
        {
            parts.AddFile(DataClass.Body, dataEnd, Bgzf.EofMarkerLength);
        }
    }

    // The end of the block a virtual offset points into; the offset itself when it is a block's start.
    private static long BlockEnd(VirtualOffset offset, IDataFileEdges file) =>
        offset.UncompressedOffset == 0 ? offset.CompressedOffset : offset.CompressedOffset + file.BlockLength(offset.CompressedOffset);

    private static IReadOnlyList<Chunk> BodyChunks(ObjectSnapshot snapshot, BinnedIndex index, HtsgetQuery query, VirtualOffset header, VirtualOffset dataEnd)
    {
        if (query.Regions is null)
        {
            return [new Chunk(header, dataEnd)];
        }

        var chunks = new List<Chunk>();
        foreach (var region in query.Regions)
        {
            if (query.Kind == HtsgetKind.Reads && region.ReferenceName == HtsgetRegion.Unplaced)
            {
                var start = snapshot.UnplacedOffset is { } unplaced ? new VirtualOffset((ulong)unplaced) : header;
                chunks.Add(new Chunk(start, dataEnd));
            }
            else
            {
                chunks.AddRange(index.RegionChunks(region.ReferenceName, region.Start ?? 0, region.End ?? long.MaxValue));
            }
        }

        return ChunkMerger.Merge(chunks);
    }

    // [s, e): the records from s's uncompressed offset in its block to e's in its block.
    private static void AddChunk(PartList parts, IDataFileEdges file, Chunk chunk)
    {
        var (start, end) = (chunk.Start, chunk.End);
        var position = start.CompressedOffset;
        if (start.UncompressedOffset > 0 || start.CompressedOffset == end.CompressedOffset)
        {
            var sameBlock = start.CompressedOffset == end.CompressedOffset;
            var cut = file.CutRecords(start.CompressedOffset, start.UncompressedOffset, sameBlock ? end.UncompressedOffset : int.MaxValue);
            parts.AddInline(DataClass.Body, cut.Bgzf);
            if (sameBlock)
            {
                return;
            }

            position += cut.BlockLength;
        }

        parts.AddFile(DataClass.Body, position, end.CompressedOffset - position);
        if (end.UncompressedOffset > 0)
        {
            parts.AddInline(DataClass.Body, file.CutRecords(end.CompressedOffset, 0, end.UncompressedOffset).Bgzf);
        }
    }

    private static void PlanCram(ObjectSnapshot snapshot, CraiIndex index, HtsgetQuery query, IDataFileEdges file, PartList parts, PlanShape shape)
    {
        parts.AddFile(DataClass.Header, 0, snapshot.HeaderEnd);
        var (eofOffset, eof) = CramEofContainer(snapshot, file);
        if (!query.HeaderOnly)
        {
            if (query.Regions is null)
            {
                parts.AddFile(DataClass.Body, snapshot.HeaderEnd, eofOffset - snapshot.HeaderEnd);
            }
            else
            {
                var ranges = query.Regions
                    .SelectMany(region => index.ContainerRanges(region.ReferenceName, region.Start ?? 0, region.End ?? long.MaxValue))
                    .OrderBy(range => range.Offset);
                foreach (var (offset, length) in ranges)
                {
                    parts.AddFile(DataClass.Body, offset, length);
                }
            }
        }

        if (eof.Length == 0)
        {
            return;
        }

        if (shape == PlanShape.Exact)
        {
            parts.AddInline(DataClass.Body, eof);
        }
        else if (snapshot.EndsWithEof)
        {
            parts.AddFile(DataClass.Body, eofOffset, eof.Length);
        }
    }

    // The EOF container has a fixed length per CRAM version: 38 bytes in 3.x, 30 in 2.1. A file without one gets
    // the standard one, so the client's stream ends properly.
    private static (long Offset, ReadOnlyMemory<byte> Bytes) CramEofContainer(ObjectSnapshot snapshot, IDataFileEdges file)
    {
        var definition = file.Read(0, 6).Span;
        var major = definition[4];
        if (!snapshot.EndsWithEof)
        {
            return (snapshot.Size, CramEof.For(major, definition[5]).ToArray());
        }

        var length = major >= 3 ? Cram3EofLength : Cram21EofLength;
        var offset = snapshot.Size - length;
        var bytes = file.Read(offset, length);
        if (!CramContainerHeader.TryParse(bytes.Span, major, offset, out var header, out var headerLength)
            || header is null || !header.IsEof || headerLength + header.Length != length)
        {
            throw new HtsFormatException("The CRAM file does not end with the EOF container registration found", offset);
        }

        return (offset, bytes);
    }

    /// <summary>Parts in stream order, joining adjacent file ranges and consecutive inline data of the same class.</summary>
    private sealed class PartList
    {
        private readonly List<TicketPart> parts = [];

        public void AddFile(DataClass dataClass, long offset, long length)
        {
            if (length <= 0)
            {
                return;
            }

            if (parts.Count > 0 && parts[^1] is FilePart last && last.Class == dataClass && last.End >= offset)
            {
                parts[^1] = last with { Length = Math.Max(last.End, offset + length) - last.Offset };
                return;
            }

            parts.Add(new FilePart(dataClass, offset, length));
        }

        public void AddInline(DataClass dataClass, ReadOnlyMemory<byte> data)
        {
            if (data.IsEmpty)
            {
                return;
            }

            if (parts.Count > 0 && parts[^1] is InlinePart last && last.Class == dataClass
                && last.Length + data.Length <= MaxInlinePartLength)
            {
                parts[^1] = new InlinePart(dataClass, [.. last.Segments, data]);
                return;
            }

            parts.Add(new InlinePart(dataClass, data));
        }

        public List<TicketPart> Build()
        {
            var built = new List<TicketPart>(parts.Count);
            foreach (var part in parts)
            {
                if (part is FilePart file && file.Length > MaxFilePartLength)
                {
                    for (var offset = file.Offset; offset < file.End; offset += MaxFilePartLength)
                    {
                        built.Add(file with { Offset = offset, Length = Math.Min(MaxFilePartLength, file.End - offset) });
                    }
                }
                else
                {
                    built.Add(part);
                }
            }

            return built;
        }
    }
}

/// <summary>How a plan cuts the file: exactly at the records' edges, or at whole blocks only (for Crypt4GH slices).</summary>
public enum PlanShape
{
    Exact,
    WholeBlocks,
}
