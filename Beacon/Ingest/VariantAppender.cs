using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using GenomeNode.Beacon.Store;
using GenomeNode.Beacon.Vcf;
using static DuckDB.NET.Native.NativeMethods;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// The row writer: appends the rows of <see cref="VcfRecord"/>s to <c>beacon.variants</c> in the connection's
/// transaction through DuckDB's appender, a data chunk at a time. Each record is copied straight into a chunk's vectors
/// (<see cref="VariantChunk"/>) before the reader reads the next one, and a thread of its own hands full chunks to
/// DuckDB while reading goes on, so reading and DuckDB's appending overlap on two cores. Rows reach the table in the
/// order they were written.
/// </summary>
internal sealed class VariantAppender : IDisposable
{
    // The columns of beacon.variants (migrations 0002, 0003 and 0007), in table order.
    private const int FileId = 0, Chrom = 1, Start = 2, End = 3, Ref = 4, Alt = 5, VariantType = 6, VcfId = 7, AlleleCount = 8,
        AlleleNumber = 9, Het = 10, HetBitmap = 11, Hom = 12, Hemi = 13, Genes = 14, Effects = 15, AminoacidChanges = 16,
        TranscriptIds = 17, TranscriptChanges = 18, ProteinHgvs = 19, Columns = 20;

    // When a row group (122,880 rows) fills, DuckDB compresses and writes it before taking the next chunk: the
    // parser goes on meanwhile into the chunks held here (1 to 2 MB each), instead of waiting for it. The parser
    // outruns the appender and fills them all, and each chunk's first use page-faults its memory in: 16 rather than
    // 32 cut the parser's CPU by a tenth on 200,000 records, with ingest wall time no worse (a little better).
    private const int Chunks = 16;

    private readonly DuckDB.NET.Native.DuckDBAppender appender;
    private readonly List<VariantChunk> chunks = [];
    private readonly BlockingCollection<VariantChunk> full = new(Chunks);
    private readonly BlockingCollection<VariantChunk> free = new(Chunks);
    private readonly Thread thread;
    private readonly int fileId;
    private readonly int rowsPerChunk;
    private VariantChunk current;

    // Where a row's joined annotation texts are built (reused; DuckDB copies them into the chunk).
    private byte[] text = new byte[256];
    private byte[] secondText = new byte[256];
    private volatile Exception? failure;
    private volatile bool discard;

    /// <param name="rowsPerChunk">Rows written into a chunk before it is handed over, 1 to the chunk's capacity.</param>
    public VariantAppender(DuckDBConnection connection, int fileId, int rowsPerChunk)
    {
        // Each appender keeps its own limit: a chunk written past its capacity would overrun DuckDB's vectors.
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerChunk, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowsPerChunk, VariantChunk.Capacity);
        this.rowsPerChunk = rowsPerChunk;
        if (Appender.DuckDBAppenderCreate(connection.NativeConnection, "beacon", "variants", out appender) != DuckDBState.Success)
        {
            var message = ErrorMessage();
            appender.Dispose();
            throw new InvalidOperationException($"cannot append to beacon.variants: {message}");
        }

        try
        {
            var count = (int)Appender.DuckDBAppenderColumnCount(appender);
            if (count != Columns)
            {
                throw new InvalidOperationException($"beacon.variants has {count} columns; the ingest writes {Columns}");
            }

            var types = new DuckDBLogicalType[Columns];
            try
            {
                for (var column = 0; column < Columns; column++)
                {
                    types[column] = Appender.DuckDBAppenderColumnType(appender, (ulong)column);
                }

                var handles = types.Select(type => type.DangerousGetHandle()).ToArray();
                var isList = Enumerable.Range(0, Columns)
                    .Select(column => column is Het or Hom or Hemi or Genes or Effects or AminoacidChanges).ToArray();
                for (var i = 0; i < Chunks; i++)
                {
                    chunks.Add(new VariantChunk(handles, isList));
                }
            }
            finally
            {
                foreach (var type in types)
                {
                    type?.Dispose();
                }
            }
        }
        catch
        {
            DisposeNative();
            throw;
        }

        this.fileId = fileId;
        current = chunks[0];
        foreach (var chunk in chunks.Skip(1))
        {
            free.Add(chunk);
        }

        thread = new Thread(Run) { IsBackground = true, Name = "variant-append" };
        thread.Start();
    }

    /// <summary>
    /// Writes a record's rows, one per stored ALT allele, its carriers' sample columns mapped to the dataset's sample
    /// indexes by <paramref name="sampleIndexes"/> (<paramref name="sampleSpace"/>: how many the dataset numbers, which
    /// sizes a carrier bitmap). Returns the rows written; <paramref name="maxSpan"/> grows to the longest allele.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Write(VcfRecord record, ReadOnlySpan<int> sampleIndexes, int sampleSpace, ref int maxSpan)
    {
        var rows = 0;
        foreach (var allele in record.Alleles)
        {
            if (!allele.Stored)
            {
                continue;
            }

            Row(record, allele, sampleIndexes, sampleSpace);
            maxSpan = Math.Max(maxSpan, allele.End - allele.Start);
            rows++;
        }

        return rows;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Row(VcfRecord record, VcfAllele allele, ReadOnlySpan<int> sampleIndexes, int sampleSpace)
    {
        var chunk = current;
        var row = chunk.Count;
        chunk.Integer(FileId, row, fileId);
        chunk.String(Chrom, row, record.ChromosomeUtf8);
        chunk.Integer(Start, row, allele.Start);
        chunk.Integer(End, row, allele.End);
        chunk.String(Ref, row, allele.Ref);
        chunk.String(Alt, row, allele.Alt);
        chunk.String(VariantType, row, allele.VariantType);
        if (record.Id.IsEmpty)
        {
            chunk.Null(VcfId, row);
        }
        else
        {
            chunk.String(VcfId, row, record.Id);
        }

        chunk.Integer(AlleleCount, row, allele.Count);
        chunk.Integer(AlleleNumber, row, record.AlleleNumber);
        var het = allele.Heterozygous.Span;
        if (CarrierBitmap.IsSmaller(het.Length, sampleSpace))
        {
            chunk.Null(Het, row);
            var length = CarrierBitmap.Length(sampleSpace);
            Span<byte> bitmap = length <= 1024 ? stackalloc byte[length] : new byte[length];
            CarrierBitmap.Write(het, sampleIndexes, bitmap);
            chunk.String(HetBitmap, row, bitmap);
        }
        else
        {
            chunk.Integers(Het, row, het, sampleIndexes);
            chunk.Null(HetBitmap, row);
        }

        chunk.Integers(Hom, row, allele.Homozygous.Span, sampleIndexes);
        chunk.Integers(Hemi, row, allele.Hemizygous.Span, sampleIndexes);
        var annotation = allele.Annotation;
        chunk.Strings(Genes, row, annotation.Genes);
        chunk.Strings(Effects, row, annotation.Effects);
        chunk.Strings(AminoacidChanges, row, annotation.AminoacidChanges);
        Transcripts(chunk, row, annotation.TranscriptHgvs);
        Joined(chunk, ProteinHgvs, row, annotation.ProteinHgvs);
        if (++chunk.Count >= rowsPerChunk)
        {
            HandOver();
        }
    }

    /// <summary>A list as one text (<see cref="AnnotationText"/>); NULL when empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Joined(VariantChunk chunk, int column, int row, Utf8List values)
    {
        if (values.Count == 0)
        {
            chunk.Null(column, row);
            return;
        }

        var length = 0;
        for (var i = 0; i < values.Count; i++)
        {
            AnnotationText.Append(ref text, ref length, values[i], first: i == 0);
        }

        chunk.String(column, row, text.AsSpan(0, length));
    }

    /// <summary>Transcript HGVS values as their ids and changes (<see cref="AnnotationText"/>); NULL when none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Transcripts(VariantChunk chunk, int row, Utf8List values)
    {
        if (values.Count == 0)
        {
            chunk.Null(TranscriptIds, row);
            chunk.Null(TranscriptChanges, row);
            return;
        }

        int ids = 0, changes = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            var idLength = AnnotationText.TranscriptIdLength(value);
            AnnotationText.Append(ref text, ref ids, idLength < 0 ? default : value[..idLength], first: i == 0);
            AnnotationText.Append(ref secondText, ref changes, idLength < 0 ? value : value[(idLength + 1)..], first: i == 0);
        }

        chunk.String(TranscriptIds, row, text.AsSpan(0, ids));
        chunk.String(TranscriptChanges, row, secondText.AsSpan(0, changes));
    }

    /// <summary>Appends what is left and flushes the appender: the rows are in the table (in the transaction).</summary>
    public void Complete()
    {
        if (current.Count > 0)
        {
            HandOver();
        }

        full.CompleteAdding();
        thread.Join();
        ThrowIfFailed();
        if (Appender.DuckDBAppenderClose(appender) != DuckDBState.Success)
        {
            throw new InvalidOperationException($"appending to beacon.variants failed: {ErrorMessage()}");
        }
    }

    public void Dispose()
    {
        // After a failure the rows appended so far are rolled back with the transaction: the rest is dropped.
        discard = true;
        if (!full.IsAddingCompleted)
        {
            full.CompleteAdding();
        }

        thread.Join();
        DisposeNative();
        full.Dispose();
        free.Dispose();
    }

    private void HandOver()
    {
        current.Seal();
        full.Add(current);
        current = free.Take();
        ThrowIfFailed();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run()
    {
        foreach (var chunk in full.GetConsumingEnumerable())
        {
            // The appender buffers up to 204,800 rows before it writes them to the table: flushing each chunk
            // keeps DuckDB's work (and row group compression) here, while parsing goes on, not after it.
            if (failure is null && !discard
                && (Appender.DuckDBAppendDataChunk(appender, chunk.Handle) != DuckDBState.Success || Appender.DuckDBAppenderFlush(appender) != DuckDBState.Success))
            {
                failure = new InvalidOperationException($"appending to beacon.variants failed: {ErrorMessage()}");
            }

            chunk.Reset();
            free.Add(chunk);
        }
    }

    private void ThrowIfFailed()
    {
        if (failure is { } error)
        {
            throw error;
        }
    }

    private string ErrorMessage()
    {
        using var error = Appender.DuckDBAppenderErrorData(appender);
        return ErrorData.DuckDBErrorDataMessage(error);
    }

    private void DisposeNative()
    {
        foreach (var chunk in chunks)
        {
            chunk.Dispose();
        }

        appender.Dispose();
    }
}
