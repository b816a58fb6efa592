using System.Data.Common;
using DuckDB.NET.Data;
using GenomeNode.Beacon.Requests;
using GenomeNode.Passport.Datasets;
using GenomeNode.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Store;

/// <summary>
/// An in-memory lookup of every stored allele by (assembly, chromosome, start) for the matches of an exact sequence
/// query, of range and bracket queries without narrowing and of gene queries narrowed at most by type (the boolean
/// and count answers, and the counts beside records); per gene, a posting of each annotated allele. A DuckDB query costs about a millisecond however selective it is; this answers in microseconds. Per allele
/// it holds the start and end (4 bytes each), a 64-bit hash of (end, ref, alt) and the dataset (2 bytes): about 180 MB
/// for 10 million alleles. It is built in the background on first use from
/// <c>beacon.variants</c> (queries go to DuckDB meanwhile, so a rebuild never stalls them) and dropped when an ingest or
/// a dataset change commits in this process (the only writer while a node serves). Beside it, until the next change:
/// each dataset's individual ids and the longest stored span, which record and range queries would otherwise read on
/// every request.
/// </summary>
public sealed class VariantIndex(IServiceScopeFactory scopes)
{
    private readonly Lock gate = new();
    private Snapshot? snapshot;
    private long generation;
    private Task? building;
    private readonly HeldUntilChange<string, IReadOnlyDictionary<int, string>> individualIds = new(StringComparer.Ordinal);
    private readonly HeldUntilChange<long> maxSpan = new();

    /// <summary>Drops the snapshot and every cached value; the next query reads them again.</summary>
    public void Invalidate()
    {
        lock (gate)
        {
            generation++;
            snapshot = null;
        }

        individualIds.Invalidate();
        maxSpan.Invalidate();
    }

    /// <summary>
    /// A dataset's individual ids by sample index, read once per data change (they change only with an ingest or a
    /// dataset change, each of which invalidates this index).
    /// </summary>
    public IReadOnlyDictionary<int, string> IndividualIds(string datasetId, Func<string, IReadOnlyDictionary<int, string>> read) =>
        individualIds.Get(datasetId, read);

    /// <summary>The longest span of a stored variant, read once per data change.</summary>
    public long MaxSpan(Func<long> read) => maxSpan.Get(read);

    /// <summary>
    /// Matching alleles per dataset for a query the index answers (a sequence query naming one exact allele, a range or
    /// bracket query without narrowing, a gene query narrowed at most by type); null for any other query, or while the
    /// index is being built (the caller asks DuckDB).
    /// </summary>
    public Dictionary<string, long>? TryCount(VariantQuery query, IReadOnlyCollection<string> datasetIds) => query switch
    {
        SequenceQuery { IsExactAllele: true } allele =>
            TryCount(allele.Assembly, allele.Chromosome, (int)allele.Start, (int)allele.End, allele.Reference!, allele.Alternate!, datasetIds),
        // Overlap of [start, end) with the window; a pure insertion (end = start) counts as the point at start.
        RangeQuery { GeneId: null } range when IsNone(range.Narrowing) =>
            TryCountStarting(range.Assembly, range.Chromosome, datasetIds, range.Start, range.End, spanBack: true,
                (alleles, i) => Math.Max(alleles.Ends[i], alleles.Starts[i] + 1L) > range.Start),
        BracketQuery { GeneId: null } bracket when IsNone(bracket.Narrowing) =>
            TryCountStarting(bracket.Assembly, bracket.Chromosome, datasetIds, bracket.StartMin, bracket.StartMax + 1, spanBack: false,
                (alleles, i) => alleles.Ends[i] >= bracket.EndMin && alleles.Ends[i] <= bracket.EndMax),
        GeneQuery gene when gene.Narrowing is { AlternateBases: null, AminoacidChange: null, MinLength: null, MaxLength: null } =>
            TryCountGene(gene.Assembly, gene.GeneId, gene.Narrowing.VariantTypes, datasetIds),
        _ => null,
    };

    /// <summary>
    /// Matching alleles per dataset for an exact allele (canonical start, end, ref, alt), or null while the index is
    /// being built (the caller asks DuckDB).
    /// </summary>
    public Dictionary<string, long>? TryCount(
        string? assembly, string chromosome, int start, int end, string reference, string alternate, IReadOnlyCollection<string> datasetIds)
    {
        var key = Key(end, reference, alternate);
        return TryCountStarting(assembly, chromosome, datasetIds, start, start + 1L, spanBack: false, (alleles, i) => alleles.Keys[i] == key);
    }

    private static bool IsNone(VariantNarrowing narrowing) =>
        narrowing is { VariantTypes: null, AlternateBases: null, AminoacidChange: null, MinLength: null, MaxLength: null };

    /// <summary>
    /// Alleles per dataset on one chromosome that start in [<paramref name="from"/>, <paramref name="before"/>) (from
    /// the chromosome's longest span further left when <paramref name="spanBack"/>, for overlaps) and that
    /// <paramref name="matches"/>; null while the index is being built.
    /// </summary>
    private Dictionary<string, long>? TryCountStarting(
        string? assembly, string chromosome, IReadOnlyCollection<string> datasetIds, long from, long before, bool spanBack,
        Func<Alleles, int, bool> matches)
    {
        ArgumentNullException.ThrowIfNull(datasetIds);
        if (CurrentOrStartBuilding() is not { } index)
        {
            return null;
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var ((chromAssembly, chrom), alleles) in index.Chromosomes)
        {
            if (chrom != chromosome || (assembly is not null && chromAssembly != assembly))
            {
                continue;
            }

            var lowerBound = spanBack ? Math.Max(0, from - alleles.MaxSpan) : from;
            for (var i = LowerBound(alleles.Starts, (int)Math.Min(lowerBound, int.MaxValue)); i < alleles.Starts.Length && alleles.Starts[i] < before; i++)
            {
                if (matches(alleles, i))
                {
                    index.Count(counts, alleles.Datasets[i], datasetIds);
                }
            }
        }

        return counts;
    }

    /// <summary>Alleles per dataset annotated with the gene (of the given types, if any); null while the index is being built.</summary>
    private Dictionary<string, long>? TryCountGene(string? assembly, string geneId, IReadOnlyList<string>? variantTypes, IReadOnlyCollection<string> datasetIds)
    {
        if (CurrentOrStartBuilding() is not { } index)
        {
            return null;
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var posting in index.Genes.GetValueOrDefault(geneId) ?? [])
        {
            if ((assembly is null || posting.Assembly == assembly) && (variantTypes is null || variantTypes.Contains(posting.VariantType)))
            {
                index.Count(counts, posting.Dataset, datasetIds);
            }
        }

        return counts;
    }

    /// <summary>The current snapshot, or null after starting to build one.</summary>
    private Snapshot? CurrentOrStartBuilding()
    {
        var index = snapshot;
        if (index is null)
        {
            StartBuilding();
        }

        return index;
    }

    /// <summary>Builds the index now, unless it is current (for tests and warm-up).</summary>
    public void Build()
    {
        while (true)
        {
            long seen;
            lock (gate)
            {
                if (snapshot is not null)
                {
                    return;
                }

                seen = generation;
            }

            using var scope = scopes.CreateScope();
            var loaded = Load(scope.ServiceProvider.GetRequiredService<DuckDBConnection>());
            lock (gate)
            {
                if (seen == generation)
                {
                    snapshot = loaded;
                    return;
                }
            }
        }
    }

    private void StartBuilding()
    {
        lock (gate)
        {
            if (building is { IsCompleted: false })
            {
                return;
            }

            building = Task.Run(Build);
        }
    }

    private static Snapshot Load(DuckDBConnection connection)
    {
        var datasetIds = new List<string>();
        var byDataset = new Dictionary<string, ushort>(StringComparer.Ordinal);
        var builders = new Dictionary<(string, string), Builder>();
        using var command = connection.CreateCommand();
        var genes = new Dictionary<string, List<GenePosting>>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        command.CommandText =
            "SELECT dataset_id, assembly, chrom, start, \"end\", ref, alt, variant_type, list_distinct(genes) FROM beacon.variants JOIN beacon.variant_files USING (file_id)";
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            var dataset = reader.GetString(0);
            if (!byDataset.TryGetValue(dataset, out var ordinal))
            {
                ordinal = checked((ushort)datasetIds.Count);
                byDataset[dataset] = ordinal;
                datasetIds.Add(dataset);
            }

            var place = (reader.GetString(1), reader.GetString(2));
            if (!builders.TryGetValue(place, out var builder))
            {
                builder = new Builder();
                builders[place] = builder;
            }

            if (!reader.IsDBNull(8))
            {
                // Interned: a posting per annotated allele shares its few distinct type and assembly strings.
                var type = Intern(types, reader.GetString(7));
                var assembly = Intern(types, place.Item1);
                foreach (var gene in reader.GetFieldValue<List<string>>(8))
                {
                    if (!genes.TryGetValue(gene, out var postings))
                    {
                        genes[gene] = postings = [];
                    }

                    postings.Add(new GenePosting(ordinal, assembly, type));
                }
            }

            builder.Starts.Add(reader.GetInt32(3));
            builder.Ends.Add(reader.GetInt32(4));
            builder.Keys.Add(Key(reader.GetInt32(4), reader.GetString(5), reader.GetString(6)));
            builder.Datasets.Add(ordinal);
        }

        var chromosomes = new Dictionary<(string, string), Alleles>();
        foreach (var (place, builder) in builders)
        {
            var starts = builder.Starts.ToArray();
            var keys = builder.Keys.ToArray();
            var datasets = builder.Datasets.ToArray();
            var order = Enumerable.Range(0, starts.Length).ToArray();
            Array.Sort(starts.ToArray(), order);
            var ends = builder.Ends.ToArray();
            var maxSpan = starts.Length == 0 ? 0 : Enumerable.Range(0, starts.Length).Max(i => ends[i] - starts[i]);
            chromosomes[place] = new Alleles(
                order.Select(i => starts[i]).ToArray(), order.Select(i => ends[i]).ToArray(), order.Select(i => keys[i]).ToArray(),
                order.Select(i => datasets[i]).ToArray(), maxSpan);
        }

        return new Snapshot(datasetIds.ToArray(), chromosomes, genes.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal));
    }

    private static string Intern(Dictionary<string, string> strings, string value) =>
        strings.TryGetValue(value, out var interned) ? interned : strings[value] = value;

    private static int LowerBound(int[] starts, int start)
    {
        int low = 0, high = starts.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (starts[middle] < start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>FNV-1a over the end and both alleles (a separator between them).</summary>
    private static long Key(int end, string reference, string alternate)
    {
        var hash = 14695981039346656037UL;
        void Add(uint value)
        {
            hash ^= value;
            hash *= 1099511628211UL;
        }

        Add((uint)end);
        foreach (var c in reference)
        {
            Add(c);
        }

        Add(0xFFFF);
        foreach (var c in alternate)
        {
            Add(c);
        }

        return unchecked((long)hash);
    }

    private sealed class Builder
    {
        public List<int> Starts { get; } = [];
        public List<int> Ends { get; } = [];
        public List<long> Keys { get; } = [];
        public List<ushort> Datasets { get; } = [];
    }

    private sealed record Alleles(int[] Starts, int[] Ends, long[] Keys, ushort[] Datasets, int MaxSpan);

    /// <summary>One allele carrying a gene: its dataset, assembly and type (the strings shared between postings).</summary>
    private readonly record struct GenePosting(ushort Dataset, string Assembly, string VariantType);

    private sealed record Snapshot(
        string[] DatasetIds, Dictionary<(string Assembly, string Chromosome), Alleles> Chromosomes, Dictionary<string, GenePosting[]> Genes)
    {
        /// <summary>Counts one matching allele of the dataset with this ordinal, when it is one of the queried datasets.</summary>
        public void Count(Dictionary<string, long> counts, ushort dataset, IReadOnlyCollection<string> datasetIds)
        {
            var id = DatasetIds[dataset];
            if (datasetIds.Contains(id))
            {
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
        }
    }
}
