using Microsoft.Extensions.Caching.Memory;

namespace GenomeNode.Beacon.Store;

/// <summary>
/// Stored variants by the identity the in-memory index gives them (<see cref="AlleleRef"/>, per dataset), held within a
/// budget of bytes until the next data change. A record page whose alleles were all read before answers from memory;
/// otherwise one statement per chromosome reads the page's span of the dataset's rows, and the page's own are kept.
/// Rows are matched by value (start, end and alleles), never by position, so a page is never filled with another
/// dataset's or another version's rows.
/// </summary>
public sealed class VariantRecords : IDisposable
{
    private readonly MemoryCache? records;
    private long generation;

    /// <param name="budgetBytes">memory for records; 0 keeps none</param>
    public VariantRecords(long budgetBytes) =>
        records = budgetBytes > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = budgetBytes, CompactionPercentage = 0.25 }) : null;

    /// <summary>Reads of a dataset's rows on one chromosome of one assembly starting in [first, last].</summary>
    public delegate IReadOnlyList<StoredVariant> RowReader(string datasetId, string assembly, string chromosome, int first, int last);

    /// <summary>Drops every record; those read before and stored after are never used.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref generation);
        records?.Clear();
    }

    /// <summary>The stored variants of <paramref name="page"/> (alleles of <paramref name="datasetId"/>, in order).</summary>
    public IReadOnlyList<StoredVariant> Page(string datasetId, IReadOnlyList<PageAllele> page, RowReader read)
    {
        ArgumentNullException.ThrowIfNull(datasetId);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(read);
        var seen = Interlocked.Read(ref generation);
        var found = new Dictionary<AlleleRef, StoredVariant[]>();
        var missing = new List<AlleleRef>();
        foreach (var (allele, _) in page)
        {
            if (found.ContainsKey(allele))
            {
                continue;
            }

            if (records is not null && records.TryGetValue(new RecordKey(seen, datasetId, allele), out StoredVariant[]? held))
            {
                found[allele] = held!;
            }
            else if (!missing.Contains(allele))
            {
                missing.Add(allele);
            }
        }

        foreach (var place in missing.GroupBy(allele => (allele.Assembly, allele.Chromosome)))
        {
            var wanted = place.ToHashSet();
            var rows = read(datasetId, place.Key.Assembly, place.Key.Chromosome, place.Min(allele => allele.Start), place.Max(allele => allele.Start))
                .Select(row => (Allele: new AlleleRef(row.Assembly, row.Chromosome, row.Start, row.End, VariantIndex.Key(row.End, row.Ref, row.Alt)), Row: row))
                .Where(pair => wanted.Contains(pair.Allele))
                .GroupBy(pair => pair.Allele, pair => pair.Row);
            foreach (var identical in rows)
            {
                var variants = identical.ToArray();
                found[identical.Key] = variants;
                Keep(new RecordKey(seen, datasetId, identical.Key), variants);
            }
        }

        // Two rows of one allele (the same allele in two files of the dataset) are its copies 0 and 1, in the order
        // DuckDB reads them (its ORDER BY leaves them unordered too), so two pages never give the same copy twice.
        var result = new List<StoredVariant>(page.Count);
        foreach (var (allele, occurrence) in page)
        {
            if (found.TryGetValue(allele, out var variants) && occurrence < variants.Length)
            {
                result.Add(variants[occurrence]);
            }
        }

        return result;
    }

    public void Dispose() => records?.Dispose();

    private void Keep(RecordKey key, StoredVariant[] variants)
    {
        if (records is null || key.Generation != Interlocked.Read(ref generation))
        {
            return;
        }

        using var entry = records.CreateEntry(key);
        entry.Value = variants;
        entry.Size = variants.Sum(Size);
    }

    // What a record holds, roughly: its object and strings, 4 bytes per carrier, its annotation strings.
    private static long Size(StoredVariant variant) =>
        256 + 2L * (variant.Ref.Length + variant.Alt.Length) + 4L * variant.CarrierCount
        + new[] { variant.Genes, variant.Effects, variant.AminoacidChanges, variant.TranscriptHgvs, variant.ProteinHgvs }
            .Sum(list => list.Sum(value => 32L + 2L * value.Length));

    private readonly record struct RecordKey(long Generation, string DatasetId, AlleleRef Allele);
}
