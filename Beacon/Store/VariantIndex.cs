using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using GenomeNode.Beacon.Requests;
using GenomeNode.Passport.Datasets;
using GenomeNode.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Beacon.Store;

/// <summary>
/// An in-memory lookup of every stored allele by (assembly, chromosome, start), in the order of a record page (chromosome,
/// start, end, ref, alt), for the kinds <see cref="Answers"/> names: their counts, and which alleles make up a record
/// page (whose rows <see cref="VariantRecords"/> then gives); per gene, a posting of each annotated allele with its
/// amino-acid changes. A DuckDB query costs about a millisecond however selective it is; this answers in microseconds.
/// Per allele it holds the start and end (4 bytes each), a 64-bit hash of (end, ref, alt), the dataset (2 bytes), the
/// type (1 byte), the length and the number of individuals it is seen in (4 bytes each): about 270 MB for 10 million
/// alleles. It is built in the background on first
/// use from <c>beacon.variants</c> (queries go to DuckDB meanwhile, so a rebuild never stalls them) and dropped, with the
/// records held, when an ingest or a dataset change commits in this process (the only writer while a node serves).
/// Beside it, until the next change: each dataset's individual ids and the longest stored span, which record and range
/// queries would otherwise read on every request.
/// </summary>
/// <param name="prewarmMegabytes">
/// the largest database whose record columns a build also reads into DuckDB's buffers (<see cref="Api.BeaconOptions.PrewarmMegabytes"/>)
/// </param>
public sealed class VariantIndex(IServiceScopeFactory scopes, VariantRecords? records = null, int prewarmMegabytes = 0)
{
    private readonly Lock gate = new();
    private Snapshot? snapshot;
    private long generation;
    private Task? building;
    private readonly HeldUntilChange<string, SampleNames> individualIds = new(StringComparer.Ordinal);
    private readonly HeldUntilChange<long> maxSpan = new();
    private readonly HeldUntilChange<string, IReadOnlyDictionary<string, int[]>> fileIds = new(StringComparer.Ordinal);
    private readonly HeldUntilChange<string, IReadOnlyList<VariantFileSamples>> fileSamples = new(StringComparer.Ordinal);

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
        fileIds.Invalidate();
        fileSamples.Invalidate();
        records?.Invalidate();
    }

    /// <summary>
    /// A dataset's individual ids by sample index, read once per data change (they change only with an ingest or a
    /// dataset change, each of which invalidates this index).
    /// </summary>
    public SampleNames IndividualIds(string datasetId, Func<string, IReadOnlyDictionary<int, string>> read) =>
        individualIds.Get(datasetId, id => new SampleNames(read(id)));

    /// <summary>A dataset's file ids per assembly, read once per data change.</summary>
    public IReadOnlyDictionary<string, int[]> FileIds(string datasetId, Func<string, IReadOnlyDictionary<string, int[]>> read) =>
        fileIds.Get(datasetId, read);

    /// <summary>Who each of a dataset's files genotyped, read once per data change (a new list after each).</summary>
    public IReadOnlyList<VariantFileSamples> FileSamples(string datasetId, Func<string, IReadOnlyList<VariantFileSamples>> read) =>
        fileSamples.Get(datasetId, read);

    /// <summary>The longest span of a stored variant, read once per data change.</summary>
    public long MaxSpan(Func<long> read) => maxSpan.Get(read);

    /// <summary>
    /// Matching alleles per dataset for a query the index answers (see <see cref="Answers"/>); null for any other query,
    /// or while the index is being built (the caller asks DuckDB).
    /// </summary>
    public Dictionary<string, long>? TryCount(VariantQuery query, IReadOnlyCollection<string> datasetIds) =>
        TryMatch(query, datasetIds, NoneHidden)?.ToDictionary(pair => pair.Key, pair => pair.Value.Count, StringComparer.Ordinal);

    /// <summary>
    /// Matching alleles per dataset and the fewest individuals any of them is seen in, leaving out the alleles seen in
    /// fewer individuals than <paramref name="hiddenBelow"/> says for their dataset (privacy rules hide them); null for a
    /// query the index does not answer, or while it is being built (the caller asks DuckDB).
    /// </summary>
    public Dictionary<string, Matches>? TryMatch(VariantQuery query, IReadOnlyCollection<string> datasetIds, Func<string, int> hiddenBelow)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(datasetIds);
        ArgumentNullException.ThrowIfNull(hiddenBelow);
        if (!Answers(query) || CurrentOrStartBuilding() is not { } index)
        {
            return null;
        }

        // Per dataset ordinal while scanning (a whole chromosome is a million alleles), by id after.
        var least = index.DatasetIds.Select(id => datasetIds.Contains(id) ? hiddenBelow(id) : 0).ToArray();
        var perDataset = new long[index.DatasetIds.Length];
        var fewest = new int[index.DatasetIds.Length];
        Array.Fill(fewest, int.MaxValue);
        if (query is not (RangeQuery or BracketQuery) || !CountWindow(index, query, least, perDataset, fewest))
        {
            Visit(index, query, (dataset, alleles, i) =>
            {
                var seenIn = alleles.SeenIn[i];
                if (seenIn >= least[dataset])
                {
                    perDataset[dataset]++;
                    fewest[dataset] = Math.Min(fewest[dataset], seenIn);
                }

                return true;
            });
        }

        var matches = new Dictionary<string, Matches>(StringComparer.Ordinal);
        for (var dataset = 0; dataset < perDataset.Length; dataset++)
        {
            if (perDataset[dataset] > 0 && datasetIds.Contains(index.DatasetIds[dataset]))
            {
                matches[index.DatasetIds[dataset]] = new Matches(perDataset[dataset], fewest[dataset]);
            }
        }

        return matches;
    }

    private static int NoneHidden(string datasetId) => 0;

    /// <summary>
    /// Matching alleles per dataset for an exact allele (canonical start, end, ref, alt), or null while the index is
    /// being built (the caller asks DuckDB).
    /// </summary>
    public Dictionary<string, long>? TryCount(
        string? assembly, string chromosome, int start, int end, string reference, string alternate, IReadOnlyCollection<string> datasetIds) =>
        TryCount(new SequenceQuery(assembly, chromosome, start, end, reference, alternate, null), datasetIds);

    /// <summary>
    /// The alleles of one dataset on a page of a query's matches, in the order DuckDB's <c>ORDER BY chrom, start, "end",
    /// ref, alt</c> gives them; null when the index does not answer the query or is being built.
    /// </summary>
    /// <param name="hiddenBelow">alleles seen in fewer individuals are left out (privacy rules hide them)</param>
    public IReadOnlyList<PageAllele>? TryPage(VariantQuery query, string datasetId, long skip, long limit, int hiddenBelow = 0)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!Answers(query) || CurrentOrStartBuilding() is not { } index)
        {
            return null;
        }

        var page = new List<PageAllele>();
        var wanted = Array.IndexOf(index.DatasetIds, datasetId);
        if (wanted < 0 || limit <= 0)
        {
            return page;
        }

        // The same allele twice in the dataset (two of its files) comes as neighbours: count which copy each match is.
        var seen = 0L;
        AlleleRef? previous = null;
        var occurrence = 0;
        Visit(index, query, (dataset, alleles, i) =>
        {
            if (dataset != wanted || alleles.SeenIn[i] < hiddenBelow)
            {
                return true;
            }

            var allele = new AlleleRef(alleles.Assembly, alleles.Chromosome, alleles.Starts[i], alleles.Ends[i], alleles.Keys[i]);
            occurrence = allele == previous ? occurrence + 1 : 0;
            previous = allele;
            if (seen++ < skip)
            {
                return true;
            }

            page.Add(new PageAllele(allele, occurrence));
            return page.Count < limit;
        });
        return page;
    }

    /// <summary>
    /// Whether the index answers a query: a sequence query naming one exact allele, a variant id with a sequence ALT, a
    /// range or bracket query narrowed at most by type and length, a gene query narrowed at most by type, length and
    /// amino-acid change.
    /// </summary>
    public static bool Answers(VariantQuery query) => query switch
    {
        SequenceQuery sequence => sequence.IsExactAllele,
        VariantIdQuery id => !Variants.Alleles.IsSymbolic(id.Alternate),
        RangeQuery range => range.GeneId is null && range.Narrowing is { AlternateBases: null, AminoacidChange: null },
        BracketQuery bracket => bracket.GeneId is null && bracket.Narrowing is { AlternateBases: null, AminoacidChange: null },
        GeneQuery gene => gene.Narrowing is { AlternateBases: null },
        _ => false,
    };

    /// <summary>
    /// Counts a range or bracket query's matches per dataset ordinal in one loop over the chromosome's arrays, without a
    /// call per allele: a whole chromosome narrowed by type and length is a million alleles (about 2 ms, against 10 ms
    /// through <see cref="Visit"/>'s delegates). Paging goes through <see cref="Visit"/>, which says the same matches.
    /// </summary>
    private static bool CountWindow(Snapshot index, VariantQuery query, int[] least, long[] perDataset, int[] fewest)
    {
        var (assembly, chromosome, from, before, spanBack, narrowing) = query switch
        {
            RangeQuery range => (range.Assembly, range.Chromosome, range.Start, range.End, true, range.Narrowing),
            BracketQuery bracket => (bracket.Assembly, bracket.Chromosome, bracket.StartMin, bracket.StartMax + 1, false, bracket.Narrowing),
            _ => default,
        };
        if (chromosome is null)
        {
            return false;
        }

        // A range keeps alleles whose span (a pure insertion: its start) reaches past its start; a bracket, ends within bounds.
        var (overlapFrom, endMin, endMax) = query is BracketQuery b ? (long.MinValue, b.EndMin, b.EndMax) : (from, long.MinValue, long.MaxValue);
        var allowed = narrowing.VariantTypes is { } types ? index.VariantTypes.Select(type => types.Contains(type, StringComparer.Ordinal)).ToArray() : null;
        var (shortest, longest) = (narrowing.MinLength ?? int.MinValue, narrowing.MaxLength ?? int.MaxValue);
        foreach (var alleles in index.Chromosomes)
        {
            if (alleles.Chromosome != chromosome || (assembly is not null && alleles.Assembly != assembly))
            {
                continue;
            }

            var (starts, ends, codes, lengths, datasets, seenIn) = (alleles.Starts, alleles.Ends, alleles.TypeCodes, alleles.Lengths, alleles.Datasets, alleles.SeenIn);
            var first = LowerBound(starts, Clamp(spanBack ? Math.Max(0, from - alleles.MaxSpan) : from));
            var stop = LowerBound(starts, Clamp(before));
            // From the first allele starting at the window's start on, every allele of a range overlaps it.
            var overlapping = spanBack ? LowerBound(starts, Clamp(from)) : first;
            for (var i = first; i < stop; i++)
            {
                long end = ends[i];
                if ((i >= overlapping || Math.Max(end, starts[i] + 1L) > overlapFrom) && end >= endMin && end <= endMax
                    && (allowed is null || allowed[codes[i]]) && lengths[i] >= shortest && lengths[i] <= longest && seenIn[i] >= least[datasets[i]])
                {
                    perDataset[datasets[i]]++;
                    fewest[datasets[i]] = Math.Min(fewest[datasets[i]], seenIn[i]);
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Whether an allele is of one of the narrowing's types and within its lengths; null when the narrowing asks neither.
    /// Types become a mask by type code once per query, not a string comparison per allele.
    /// </summary>
    private static Func<Alleles, int, bool>? Narrowed(Snapshot index, VariantNarrowing narrowing)
    {
        var (least, most) = (narrowing.MinLength ?? int.MinValue, narrowing.MaxLength ?? int.MaxValue);
        if (narrowing.VariantTypes is not { } types)
        {
            return narrowing.MinLength is null && narrowing.MaxLength is null ? null
                : (alleles, i) => alleles.Lengths[i] >= least && alleles.Lengths[i] <= most;
        }

        var allowed = index.VariantTypes.Select(type => types.Contains(type, StringComparer.Ordinal)).ToArray();
        return (alleles, i) => allowed[alleles.TypeCodes[i]] && alleles.Lengths[i] >= least && alleles.Lengths[i] <= most;
    }

    /// <summary>Calls <paramref name="visit"/> (dataset ordinal, chromosome, position) for each match, in store order, while it returns true.</summary>
    private static void Visit(Snapshot index, VariantQuery query, Func<ushort, Alleles, int, bool> visit)
    {
        switch (query)
        {
            case SequenceQuery allele:
                var key = Key((int)allele.End, allele.Reference!, allele.Alternate!);
                VisitStarting(index, allele.Assembly, allele.Chromosome, allele.Start, allele.Start + 1, spanBack: false,
                    (alleles, i) => alleles.Keys[i] == key && alleles.Ends[i] == allele.End, visit);
                break;
            case VariantIdQuery id:
                // A stored sequence allele spans its trimmed REF, so the id names one (start, end, ref, alt).
                var end = id.Start + id.Reference.Length;
                var idKey = Key((int)end, id.Reference, id.Alternate);
                VisitStarting(index, id.Assembly, id.Chromosome, id.Start, id.Start + 1, spanBack: false,
                    (alleles, i) => alleles.Keys[i] == idKey && alleles.Ends[i] == end, visit);
                break;
            case RangeQuery range:
                // Overlap of [start, end) with the window; a pure insertion (end = start) counts as the point at start.
                var inRange = Narrowed(index, range.Narrowing);
                VisitStarting(index, range.Assembly, range.Chromosome, range.Start, range.End, spanBack: true,
                    (alleles, i) => Math.Max(alleles.Ends[i], alleles.Starts[i] + 1L) > range.Start && (inRange is null || inRange(alleles, i)), visit);
                break;
            case BracketQuery bracket:
                var inBracket = Narrowed(index, bracket.Narrowing);
                VisitStarting(index, bracket.Assembly, bracket.Chromosome, bracket.StartMin, bracket.StartMax + 1, spanBack: false,
                    (alleles, i) => alleles.Ends[i] >= bracket.EndMin && alleles.Ends[i] <= bracket.EndMax && (inBracket is null || inBracket(alleles, i)), visit);
                break;
            case GeneQuery gene:
                var change = gene.Narrowing.AminoacidChange;
                var ofGene = Narrowed(index, gene.Narrowing);
                foreach (var posting in index.Genes.GetValueOrDefault(gene.GeneId) ?? [])
                {
                    if ((gene.Assembly is null || posting.Alleles.Assembly == gene.Assembly)
                        && (ofGene is null || ofGene(posting.Alleles, posting.Index))
                        && (change is null || posting.AminoacidChanges.Contains(change, StringComparer.Ordinal))
                        && !visit(posting.Dataset, posting.Alleles, posting.Index))
                    {
                        return;
                    }
                }

                break;
        }
    }

    /// <summary>
    /// Visits the alleles on one chromosome (of any assembly, or the given one) that start in [<paramref name="from"/>,
    /// <paramref name="before"/>) (from the chromosome's longest span further left when <paramref name="spanBack"/>, for
    /// overlaps) and that <paramref name="matches"/>.
    /// </summary>
    private static void VisitStarting(
        Snapshot index, string? assembly, string chromosome, long from, long before, bool spanBack, Func<Alleles, int, bool> matches,
        Func<ushort, Alleles, int, bool> visit)
    {
        foreach (var alleles in index.Chromosomes)
        {
            if (alleles.Chromosome != chromosome || (assembly is not null && alleles.Assembly != assembly))
            {
                continue;
            }

            var lowerBound = spanBack ? Math.Max(0, from - alleles.MaxSpan) : from;
            for (var i = LowerBound(alleles.Starts, (int)Math.Min(lowerBound, int.MaxValue)); i < alleles.Starts.Length && alleles.Starts[i] < before; i++)
            {
                if (matches(alleles, i) && !visit(alleles.Datasets[i], alleles, i))
                {
                    return;
                }
            }
        }
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
            var connection = scope.ServiceProvider.GetRequiredService<DuckDBConnection>();
            var loaded = Load(connection);
            Prewarm(connection, prewarmMegabytes);
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

    /// <summary>Starts building the index in the background unless it is current or being built (at start, so that the first queries find it).</summary>
    public void Warm()
    {
        if (snapshot is null)
        {
            StartBuilding();
        }
    }

    /// <summary>Whether the index is in memory, and why the last build failed if it did (for /health).</summary>
    public (bool Ready, string? Failure) State()
    {
        if (snapshot is not null)
        {
            return (true, null);
        }

        lock (gate)
        {
            return (false, building is { IsFaulted: true } failed ? failed.Exception.GetBaseException().Message : null);
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

    /// <summary>
    /// Reads the columns of a record page that building the index did not read (carriers, frequencies, annotations) into
    /// DuckDB's buffers, as PostgreSQL's pg_prewarm does, when the database holds at most <paramref name="megabytes"/>:
    /// at 1 M x 2,504 a record's first read otherwise loads and decodes its blocks (10-25 ms against 3 ms). DuckDB still
    /// evicts them under its memory limit; a larger store is left to load on demand.
    /// </summary>
    private static void Prewarm(DuckDBConnection connection, int megabytes)
    {
        if (megabytes <= 0)
        {
            return;
        }

        using var size = connection.CreateCommand();
        size.CommandText = "SELECT used_blocks * block_size FROM pragma_database_size() WHERE database_name = current_database()";
        if (Convert.ToInt64(size.ExecuteScalar(), CultureInfo.InvariantCulture) > megabytes * 1024L * 1024L)
        {
            return;
        }

        // hash() reads every value of every list, where len() would read the list lengths only.
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT bit_xor(hash(vcf_id, allele_count, allele_number, het, hom, hemi, effects, transcript_ids, " +
            "transcript_changes, protein_hgvs, het_bitmap)) FROM beacon.variants";
        read.ExecuteScalar();
    }

    private static Snapshot Load(DuckDBConnection connection)
    {
        var datasetIds = new List<string>();
        var byDataset = new Dictionary<string, ushort>(StringComparer.Ordinal);
        var builders = new Dictionary<(string, string), Builder>();
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var variantTypes = new List<string>();
        var typeCodes = new Dictionary<string, byte>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT dataset_id, assembly, chrom, start, \"end\", ref, alt, variant_type, list_distinct(genes), list_distinct(aa_changes), {VariantStore.SeenIn} " +
            "FROM beacon.variants JOIN beacon.variant_files USING (file_id)";
        using (DbDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var dataset = reader.GetString(0);
                if (!byDataset.TryGetValue(dataset, out var ordinal))
                {
                    ordinal = checked((ushort)datasetIds.Count);
                    byDataset[dataset] = ordinal;
                    datasetIds.Add(dataset);
                }

                var place = (Intern(strings, reader.GetString(1)), Intern(strings, reader.GetString(2)));
                if (!builders.TryGetValue(place, out var builder))
                {
                    builder = new Builder();
                    builders[place] = builder;
                }

                // Interned: annotations share their few distinct gene, type and change strings between alleles.
                string[]? genes = reader.IsDBNull(8) ? null : [.. reader.GetFieldValue<List<string>>(8).Select(gene => Intern(strings, gene))];
                string[] changes = reader.IsDBNull(9) ? [] : [.. reader.GetFieldValue<List<string>>(9).Select(change => Intern(strings, change))];
                var type = reader.GetString(7);
                if (!typeCodes.TryGetValue(type, out var code))
                {
                    // More than 256 distinct types would fail the build: queries then go to DuckDB, as while building.
                    typeCodes[type] = code = checked((byte)variantTypes.Count);
                    variantTypes.Add(type);
                }

                builder.Rows.Add(new BuiltAllele(reader.GetInt32(3), reader.GetInt32(4), reader.GetString(5), reader.GetString(6), ordinal, code,
                    genes is null ? null : new BuiltAnnotation(genes, changes), reader.GetInt32(10)));
            }
        }

        // Chromosomes in name order, then alleles in (start, end, ref, alt) order: DuckDB's ORDER BY of a record page.
        var chromosomes = new List<Alleles>();
        var genePostings = new Dictionary<string, List<GenePosting>>(StringComparer.Ordinal);
        foreach (var ((assembly, chromosome), builder) in builders.OrderBy(pair => pair.Key.Item2, StringComparer.Ordinal).ThenBy(pair => pair.Key.Item1, StringComparer.Ordinal))
        {
            var rows = builder.Rows;
            rows.Sort(static (a, b) =>
                a.Start != b.Start ? a.Start.CompareTo(b.Start)
                : a.End != b.End ? a.End.CompareTo(b.End)
                : string.CompareOrdinal(a.Ref, b.Ref) is var byRef and not 0 ? byRef
                : string.CompareOrdinal(a.Alt, b.Alt));
            var alleles = new Alleles(assembly, chromosome,
                [.. rows.Select(row => row.Start)], [.. rows.Select(row => row.End)], [.. rows.Select(row => Key(row.End, row.Ref, row.Alt))],
                [.. rows.Select(row => row.Dataset)], [.. rows.Select(row => row.TypeCode)],
                [.. rows.Select(row => Length(variantTypes[row.TypeCode], row.Start, row.End, row.Ref, row.Alt))],
                [.. rows.Select(row => row.SeenIn)],
                rows.Count == 0 ? 0 : rows.Max(row => row.End - row.Start));
            chromosomes.Add(alleles);
            for (var i = 0; i < rows.Count; i++)
            {
                if (rows[i].Annotation is not { } annotation)
                {
                    continue;
                }

                foreach (var gene in annotation.Genes)
                {
                    if (!genePostings.TryGetValue(gene, out var postings))
                    {
                        genePostings[gene] = postings = [];
                    }

                    postings.Add(new GenePosting(rows[i].Dataset, annotation.AminoacidChanges, alleles, i));
                }
            }
        }

        return new Snapshot(datasetIds.ToArray(), variantTypes.ToArray(), chromosomes, genePostings.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal));
    }

    /// <summary>
    /// An allele's length as <c>variantMinLength</c>/<c>variantMaxLength</c> compare it (VariantStore's SQL says the same):
    /// the longer trimmed sequence allele, else the span; a stored sequence ALT is upper-case bases only.
    /// </summary>
    private static int Length(string variantType, int start, int end, string reference, string alternate) =>
        variantType == "SNP" ? 1
        : variantType is "MNP" or "INS" or "DEL" or "INDEL" && alternate.All(char.IsAsciiLetterUpper) ? Math.Max(reference.Length, alternate.Length)
        : Math.Max(end - start, 1);

    private static int Clamp(long position) => (int)Math.Clamp(position, int.MinValue, int.MaxValue);

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
    internal static long Key(int end, string reference, string alternate)
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
        public List<BuiltAllele> Rows { get; } = [];
    }

    private sealed record BuiltAllele(int Start, int End, string Ref, string Alt, ushort Dataset, byte TypeCode, BuiltAnnotation? Annotation, int SeenIn);

    private sealed record BuiltAnnotation(string[] Genes, string[] AminoacidChanges);

    /// <summary>The alleles of one chromosome of one assembly, in store order: parallel arrays, one entry per allele.</summary>
    private sealed record Alleles(
        string Assembly, string Chromosome, int[] Starts, int[] Ends, long[] Keys, ushort[] Datasets, byte[] TypeCodes, int[] Lengths, int[] SeenIn,
        int MaxSpan);

    /// <summary>One allele carrying a gene: its dataset and amino-acid changes (strings shared between postings), and where it is.</summary>
    private readonly record struct GenePosting(ushort Dataset, string[] AminoacidChanges, Alleles Alleles, int Index);

    private sealed record Snapshot(string[] DatasetIds, string[] VariantTypes, List<Alleles> Chromosomes, Dictionary<string, GenePosting[]> Genes);
}

/// <summary>
/// A stored allele as the index knows it: where it is, and a 64-bit hash of its end and alleles
/// (<see cref="VariantIndex.Key"/>); what a record page fetches and caches by.
/// </summary>
public readonly record struct AlleleRef(string Assembly, string Chromosome, int Start, int End, long Key);

/// <summary>A dataset's matching alleles: how many, and the fewest individuals any of them is seen in.</summary>
public readonly record struct Matches(long Count, int FewestSeenIn);

/// <summary>An allele on a record page, and which of its copies in the dataset it is (0 unless it is stored twice).</summary>
public readonly record struct PageAllele(AlleleRef Allele, int Occurrence);
