using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Registration;

namespace GenomeNode.Htsget.Tickets;

/// <summary>
/// Plans a ticket from the registration tables: which bytes of the file, and which re-compressed partial BGZF
/// blocks, make up the requested stream. Where a body lies comes only from <see cref="HtsgetObjectStore"/>
/// (layout, region chunks, CRAM container ranges); the data file is read only to cut the partial blocks at the
/// edges of a chunk (BGZF blocks are not record-aligned) and to copy the CRAM EOF container. No index is read.
/// <list type="bullet">
/// <item>BGZF header: the whole blocks before the first record's virtual offset, then that block's header part inline.</item>
/// <item>Each merged chunk [s, e): s's block from s inline (when s points into it), the whole blocks up to e's
/// block as file bytes, and e's block up to e inline (when e points into it).</item>
/// <item>CRAM: the header containers, the whole containers with overlapping slices, the EOF container inline.</item>
/// </list>
/// </summary>
public sealed class TicketPlanner(HtsgetObjectStore store)
{
    /// <summary>Largest file part of a ticket; longer runs are split (the spec suggests data blocks of at most ~1 GB).</summary>
    public const long MaxFilePartLength = 1L << 30;

    /// <summary>Inline parts are joined while they stay under this size.</summary>
    public const int MaxInlinePartLength = 1 << 20;

    private const int Cram3EofLength = 38;
    private const int Cram21EofLength = 30;

    /// <summary>
    /// The plan for <paramref name="query"/> on <paramref name="registered"/>; throws <see cref="HtsgetException"/>
    /// (NotFound, UnsupportedFormat) for a request the object cannot answer.
    /// </summary>
    public TicketPlan Plan(RegisteredObject registered, HtsgetQuery query)
    {
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(query);
        if (registered.Kind != query.Kind)
        {
            throw new HtsgetException(HtsgetErrorType.NotFound, $"No {(query.Kind == HtsgetKind.Reads ? "reads" : "variants")} object has the id '{registered.ObjectId}'.");
        }

        if (query.Format is { } format && !string.Equals(format, registered.Format, StringComparison.Ordinal))
        {
            throw new HtsgetException(HtsgetErrorType.UnsupportedFormat,
                $"Object '{registered.ObjectId}' is {registered.Format}; it is not served as {format}.");
        }

        var layout = store.Layout(registered.ObjectId)
            ?? throw new HtsgetException(HtsgetErrorType.NotFound, $"No object has the id '{registered.ObjectId}'.");
        CheckReferences(registered, query);
        using var file = new FileStream(layout.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        var parts = new PartList();
        if (layout.Format == "CRAM")
        {
            PlanCram(layout, query, file, parts);
        }
        else
        {
            PlanBgzf(layout, query, file, parts);
        }

        return new TicketPlan(layout.Format, parts.Build());
    }

    private void CheckReferences(RegisteredObject registered, HtsgetQuery query)
    {
        if (query.Regions is null)
        {
            return;
        }

        var names = store.References(registered.ObjectId).Select(reference => reference.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var region in query.Regions)
        {
            var unplaced = query.Kind == HtsgetKind.Reads && region.ReferenceName == HtsgetRegion.Unplaced;
            // A VCF without ##contig lines declares no references: its index names them, and unknown names find nothing.
            if (!unplaced && names.Count > 0 && !names.Contains(region.ReferenceName))
            {
                throw new HtsgetException(HtsgetErrorType.NotFound,
                    $"Object '{registered.ObjectId}' has no reference '{HtsgetRequests.Shorten(region.ReferenceName)}'.");
            }
        }
    }

    private void PlanBgzf(ObjectLayout layout, HtsgetQuery query, FileStream file, PartList parts)
    {
        var blocks = new BlockReader(file);
        var header = new VirtualOffset((ulong)layout.HeaderEnd);
        parts.AddFile(DataClass.Header, 0, header.CompressedOffset);
        if (header.UncompressedOffset > 0)
        {
            var (data, _) = blocks.Inflate(header.CompressedOffset);
            parts.AddInline(DataClass.Header, BgzfBlockWriter.Compress(data.AsSpan(0, Math.Min(header.UncompressedOffset, data.Length))));
        }

        if (!query.HeaderOnly)
        {
            var dataEnd = new VirtualOffset(layout.EndsWithEof ? layout.Size - Bgzf.EofMarkerLength : layout.Size, 0);
            foreach (var chunk in BodyChunks(layout, query, header, dataEnd))
            {
                AddChunk(parts, blocks, chunk);
            }
        }

        parts.AddInline(DataClass.Body, Bgzf.EofMarker.ToArray());
    }

    private IReadOnlyList<Chunk> BodyChunks(ObjectLayout layout, HtsgetQuery query, VirtualOffset header, VirtualOffset dataEnd)
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
                var start = layout.UnplacedOffset is { } unplaced ? new VirtualOffset((ulong)unplaced) : header;
                chunks.Add(new Chunk(start, dataEnd));
            }
            else
            {
                chunks.AddRange(store.RegionChunks(layout.ObjectId, region.ReferenceName, region.Start ?? 0, region.End ?? long.MaxValue));
            }
        }

        return ChunkMerger.Merge(chunks);
    }

    // [s, e): the records from s's uncompressed offset in its block to e's in its block.
    private static void AddChunk(PartList parts, BlockReader blocks, Chunk chunk)
    {
        var (start, end) = (chunk.Start, chunk.End);
        var position = start.CompressedOffset;
        if (start.UncompressedOffset > 0 || start.CompressedOffset == end.CompressedOffset)
        {
            var (data, blockLength) = blocks.Inflate(start.CompressedOffset);
            var sameBlock = start.CompressedOffset == end.CompressedOffset;
            var to = sameBlock ? Math.Min(end.UncompressedOffset, data.Length) : data.Length;
            if (to > start.UncompressedOffset)
            {
                parts.AddInline(DataClass.Body, BgzfBlockWriter.CompressSlice(data.AsSpan(start.UncompressedOffset, to - start.UncompressedOffset), blockLength));
            }

            if (sameBlock)
            {
                return;
            }

            position += blockLength;
        }

        parts.AddFile(DataClass.Body, position, end.CompressedOffset - position);
        if (end.UncompressedOffset > 0)
        {
            var (data, endBlockLength) = blocks.Inflate(end.CompressedOffset);
            parts.AddInline(DataClass.Body, BgzfBlockWriter.CompressSlice(data.AsSpan(0, Math.Min(end.UncompressedOffset, data.Length)), endBlockLength));
        }
    }

    private void PlanCram(ObjectLayout layout, HtsgetQuery query, FileStream file, PartList parts)
    {
        parts.AddFile(DataClass.Header, 0, layout.HeaderEnd);
        var (eofOffset, eof) = ReadCramEof(layout, file);
        if (!query.HeaderOnly)
        {
            if (query.Regions is null)
            {
                parts.AddFile(DataClass.Body, layout.HeaderEnd, eofOffset - layout.HeaderEnd);
            }
            else
            {
                var ranges = query.Regions
                    .SelectMany(region => store.CramContainerRanges(layout.ObjectId, region.ReferenceName, region.Start ?? 0, region.End ?? long.MaxValue))
                    .OrderBy(range => range.Offset);
                foreach (var (offset, length) in ranges)
                {
                    parts.AddFile(DataClass.Body, offset, length);
                }
            }
        }

        if (eof.Length > 0)
        {
            parts.AddInline(DataClass.Body, eof);
        }
    }

    // The EOF container has a fixed length per CRAM version: 38 bytes in 3.x, 30 in 2.1. A file without one gets
    // the standard one, so the client's stream ends properly.
    private static (long Offset, byte[] Bytes) ReadCramEof(ObjectLayout layout, FileStream file)
    {
        Span<byte> definition = stackalloc byte[6];
        file.Position = 0;
        file.ReadExactly(definition);
        var major = definition[4];
        if (!layout.EndsWithEof)
        {
            return (layout.Size, CramEof.For(major, definition[5]).ToArray());
        }

        var length = major >= 3 ? Cram3EofLength : Cram21EofLength;
        var bytes = new byte[length];
        var offset = layout.Size - length;
        file.Position = offset;
        file.ReadExactly(bytes);
        if (!CramContainerHeader.TryParse(bytes, major, offset, out var header, out var headerLength)
            || header is null || !header.IsEof || headerLength + header.Length != length)
        {
            throw new HtsFormatException("The CRAM file does not end with the EOF container registration found", offset);
        }

        return (offset, bytes);
    }

    /// <summary>Inflates BGZF blocks of the file, keeping the last few (chunks often end and start in one block).</summary>
    private sealed class BlockReader(FileStream file)
    {
        private readonly Dictionary<long, (byte[] Data, int BlockLength)> cache = [];
        private readonly byte[] raw = new byte[Bgzf.MaxBlockLength];

        public (byte[] Data, int BlockLength) Inflate(long offset)
        {
            if (cache.TryGetValue(offset, out var block))
            {
                return block;
            }

            var length = BgzfBlockInflater.ReadRawBlock(file, offset, raw);
            if (length == 0)
            {
                throw new HtsFormatException("No BGZF block where the registration tables put one", offset);
            }

            var data = new byte[Bgzf.MaxBlockLength];
            var size = BgzfBlockInflater.Inflate(raw, length, offset, data);
            if (cache.Count >= 8)
            {
                cache.Clear();
            }

            block = (data[..size], length);
            cache[offset] = block;
            return block;
        }
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

        public void AddInline(DataClass dataClass, byte[] data)
        {
            if (data.Length == 0)
            {
                return;
            }

            if (parts.Count > 0 && parts[^1] is InlinePart last && last.Class == dataClass
                && last.Data.Length + data.Length <= MaxInlinePartLength)
            {
                parts[^1] = last with { Data = (byte[])[.. last.Data.Span, .. data] };
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
