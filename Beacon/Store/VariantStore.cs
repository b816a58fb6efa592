using System.Data.Common;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using GenomeNode.Storage;
using GenomeNode.Beacon.Requests;

namespace GenomeNode.Beacon.Store;

/// <summary>
/// Queries over <c>beacon.variants</c>. Every predicate bounds <c>chrom</c> and <c>start</c> where the query allows,
/// so DuckDB's zone maps skip row groups outside the region.
/// </summary>
/// <param name="index">when given, the longest span is read once per data change instead of per range query</param>
public sealed class VariantStore(DuckDBConnection connection, VariantIndex? index = null)
{
    // A row's dataset and assembly are its file's (migration 0003). The join's file ids reach the scan of variants as a
    // filter, so the zone maps of file_id prune as well as those of chrom and start.
    private const string Variants = "beacon.variants JOIN beacon.variant_files USING (file_id)";

    /// <summary>A row's columns after its dataset and assembly, as <see cref="Read"/> reads them from ordinal 2.</summary>
    private const string RowColumns =
        "chrom, start, \"end\", ref, alt, variant_type, vcf_id, allele_count, allele_number, " +
        "het, hom, hemi, " +
        "genes, effects, aa_changes, transcript_ids, transcript_changes, protein_hgvs, het_bitmap";

    private const string Columns = "dataset_id, assembly, " + RowColumns;

    private const string Carriers = "(coalesce(bit_count(het_bitmap::BIT), len(het), 0) + coalesce(len(hom), 0) + coalesce(len(hemi), 0))";

    /// <summary>
    /// How many individuals a row's allele is seen in: its carriers, or for a sites-only VCF (no genotypes, so no
    /// carriers) its INFO allele count, the nearest thing it has.
    /// </summary>
    public const string SeenIn = $"(CASE WHEN {Carriers} > 0 THEN {Carriers} ELSE allele_count END)::INTEGER";

    /// <summary>Number of matching variants per dataset (datasets without a match are absent).</summary>
    public Dictionary<string, long> Count(VariantQuery query, IReadOnlyCollection<string> datasetIds) =>
        Match(query, datasetIds, _ => 0).ToDictionary(pair => pair.Key, pair => pair.Value.Count, StringComparer.Ordinal);

    /// <summary>
    /// Matching variants per dataset and the fewest individuals any is seen in, leaving out those seen in fewer than
    /// <paramref name="hiddenBelow"/> says for their dataset (datasets without a match are absent).
    /// </summary>
    public Dictionary<string, Matches> Match(VariantQuery query, IReadOnlyCollection<string> datasetIds, Func<string, int> hiddenBelow)
    {
        ArgumentNullException.ThrowIfNull(hiddenBelow);
        var matches = new Dictionary<string, Matches>(StringComparer.Ordinal);
        if (datasetIds.Count == 0)
        {
            return matches;
        }

        using var command = connection.CreateCommand();
        var where = Where(query, datasetIds, command) + SeenInAtLeast(datasetIds, hiddenBelow, command);
        command.CommandText = $"SELECT dataset_id, count(*), min({SeenIn}) FROM {Variants} WHERE {where} GROUP BY dataset_id";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            matches[reader.GetString(0)] = new Matches(reader.GetInt64(1), reader.GetInt32(2));
        }

        return matches;
    }

    /// <summary>A page of a dataset's matching variants, ordered by position and alleles.</summary>
    /// <param name="hiddenBelow">variants seen in fewer individuals are left out (privacy rules hide them)</param>
    public IReadOnlyList<StoredVariant> Page(VariantQuery query, string datasetId, long skip, long limit, int hiddenBelow = 0)
    {
        using var command = connection.CreateCommand();
        var where = Where(query, [datasetId], command) + SeenInAtLeast([datasetId], _ => hiddenBelow, command);
        command.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"SELECT {Columns} FROM {Variants} WHERE {where} ORDER BY chrom, start, \"end\", ref, alt LIMIT {limit} OFFSET {skip}");
        using var reader = command.ExecuteReader();
        var variants = new List<StoredVariant>();
        while (reader.Read())
        {
            variants.Add(Read(reader));
        }

        return variants;
    }

    /// <summary>
    /// A dataset's variants matching <paramref name="query"/> (every variant when null) that one of
    /// <paramref name="among"/> (sample indexes) carries, or any carried variant when null, in position order: what
    /// filters on individuals and the cross-entry endpoints ask. Read as a stream.
    /// </summary>
    public IEnumerable<StoredVariant> Carried(VariantQuery? query, string datasetId, IReadOnlySet<int>? among, int hiddenBelow = 0)
    {
        using var command = connection.CreateCommand();
        var where = Where(query, [datasetId], command) + SeenInAtLeast([datasetId], _ => hiddenBelow, command);
        command.CommandText = $"SELECT {Columns} FROM {Variants} WHERE {where} ORDER BY chrom, start, \"end\", ref, alt";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var variant = Read(reader);
            if (among is null ? variant.CarrierCount > 0 || query is not null : CarriedByAny(variant, among))
            {
                yield return variant;
            }
        }
    }

    /// <summary>The individuals (sample indexes) carrying any of a dataset's variants matching <paramref name="query"/>.</summary>
    public HashSet<int> CarriersOf(VariantQuery query, string datasetId, int hiddenBelow = 0)
    {
        var carriers = new HashSet<int>();
        foreach (var variant in Carried(query, datasetId, null, hiddenBelow))
        {
            carriers.UnionWith(variant.Heterozygous);
            carriers.UnionWith(variant.Homozygous);
            carriers.UnionWith(variant.Hemizygous);
        }

        return carriers;
    }

    private static bool CarriedByAny(StoredVariant variant, IReadOnlySet<int> among) =>
        variant.Heterozygous.Any(among.Contains) || variant.Homozygous.Any(among.Contains) || variant.Hemizygous.Any(among.Contains);

    /// <summary>
    /// Rows of files <paramref name="fileIds"/> (one dataset's, of one assembly) on one chromosome that start in
    /// [<paramref name="first"/>, <paramref name="last"/>]: a record page's rows.
    /// </summary>
    public IReadOnlyList<StoredVariant> Rows(string datasetId, string assembly, IReadOnlyList<int> fileIds, string chromosome, int first, int last)
    {
        ArgumentNullException.ThrowIfNull(fileIds);
        ArgumentNullException.ThrowIfNull(chromosome);
        if (fileIds.Count == 0)
        {
            return [];
        }

        // Measured at 1 M x 2,504 (a page of one row): literals, not parameters (3 ms against 12: any parameter, even
        // one only selected, and DuckDB no longer prunes row groups by the filters' zone maps before scanning); the
        // dataset's file ids rather than a join with variant_files (2 ms more); and nothing selected that the caller
        // knows (two constant columns doubled the time). File ids and positions are integers; the chromosome is quoted,
        // and bounded from both sides rather than compared: DuckDB then decides the row group left by the zone maps from
        // its statistics (one chromosome) instead of comparing every row's text (0.25 ms less a statement there).
        using var command = connection.CreateCommand();
        var quoted = chromosome.Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"SELECT {RowColumns} FROM beacon.variants WHERE file_id IN ({string.Join(", ", fileIds)}) " +
            $"AND chrom >= '{quoted}' AND chrom <= '{quoted}' AND start BETWEEN {first} AND {last}");
        using var reader = command.ExecuteReader();
        var variants = new List<StoredVariant>();
        while (reader.Read())
        {
            variants.Add(Read(reader, datasetId, assembly, 0));
        }

        return variants;
    }

    /// <summary>How many genomic variations (alleles) a dataset holds, from its files' counts.</summary>
    public long VariantCount(string datasetId) =>
        Convert.ToInt64(connection.Scalar("SELECT coalesce(sum(variants), 0)::BIGINT FROM beacon.variant_files WHERE dataset_id = $1", datasetId) ?? 0L,
            CultureInfo.InvariantCulture);

    /// <summary>A dataset's file ids per assembly.</summary>
    public IReadOnlyDictionary<string, int[]> FileIds(string datasetId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT assembly, list(file_id ORDER BY file_id) FROM beacon.variant_files WHERE dataset_id = $1 GROUP BY assembly";
        command.Parameters.Add(new DuckDBParameter(datasetId));
        using var reader = command.ExecuteReader();
        var ids = new Dictionary<string, int[]>(StringComparer.Ordinal);
        while (reader.Read())
        {
            ids[reader.GetString(0)] = [.. reader.GetFieldValue<List<int>>(1)];
        }

        return ids;
    }

    /// <summary>Who each of a dataset's files genotyped: its sample count and sample indexes (null when not recorded).</summary>
    public IReadOnlyList<VariantFileSamples> FileSamples(string datasetId) =>
        connection.Read(
            "SELECT samples, sample_indexes FROM beacon.variant_files WHERE dataset_id = $1 ORDER BY file_id",
            r => new VariantFileSamples(r.GetInt32(0), r.IsDBNull(1) ? null : [.. r.GetFieldValue<List<int>>(1)]),
            datasetId);

    /// <summary>Individual ids of a dataset by sample index.</summary>
    public IReadOnlyDictionary<int, string> IndividualIds(string datasetId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sample_index, id FROM beacon.individuals WHERE dataset_id = $1";
        command.Parameters.Add(new DuckDBParameter(datasetId));
        using var reader = command.ExecuteReader();
        var ids = new Dictionary<int, string>();
        while (reader.Read())
        {
            ids[reader.GetInt32(0)] = reader.GetString(1);
        }

        return ids;
    }

    /// <summary>The longest span of a stored variant: how far left of a range query a variant may start and still overlap.</summary>
    private long MaxSpan()
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(max_span), 0) FROM beacon.variant_files";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private string Where(VariantQuery? query, IEnumerable<string> datasetIds, DuckDBCommand command)
    {
        var sql = new StringBuilder();
        sql.Append("dataset_id IN (");
        var first = true;
        foreach (var id in datasetIds)
        {
            sql.Append(first ? "" : ", ").Append(Parameter(command, id));
            first = false;
        }

        sql.Append(')');
        if (query is null)
        {
            return sql.ToString(); // every variant of the datasets
        }

        if (query.Assembly is { } assembly)
        {
            sql.Append(" AND assembly = ").Append(Parameter(command, assembly));
        }

        var inv = CultureInfo.InvariantCulture;
        switch (query)
        {
            case SequenceQuery sequence:
                sql.Append(" AND chrom = ").Append(Parameter(command, sequence.Chromosome));
                sql.Append(inv, $" AND start = {sequence.Start} AND \"end\" = {sequence.End}");
                Equal(sql, command, "ref", sequence.Reference);
                Equal(sql, command, "alt", sequence.Alternate);
                OfTypes(sql, command, sequence.VariantTypes);
                break;
            case VariantIdQuery id:
                sql.Append(" AND chrom = ").Append(Parameter(command, id.Chromosome));
                sql.Append(inv, $" AND start = {id.Start}");
                Equal(sql, command, "ref", id.Reference);
                Equal(sql, command, "alt", id.Alternate);
                break;
            case GenomicAlleleQuery allele:
                sql.Append(" AND chrom = ").Append(Parameter(command, allele.Chromosome));
                sql.Append(inv, $" AND start = {allele.Start} AND \"end\" = {allele.End}");
                Equal(sql, command, "alt", allele.Alternate);
                OfTypes(sql, command, [allele.VariantType]);
                OfLength(sql, allele.Length, allele.Length);
                break;
            case RangeQuery range:
                // Overlap of [start, end) with the window; a pure insertion (end = start) counts as the point at start.
                sql.Append(" AND chrom = ").Append(Parameter(command, range.Chromosome));
                var span = index is null ? MaxSpan() : index.MaxSpan(MaxSpan);
                sql.Append(inv, $" AND start < {range.End} AND start >= {Math.Max(0, range.Start - span)} AND greatest(\"end\", start + 1) > {range.Start}");
                Narrowed(sql, command, range.GeneId, range.Narrowing);
                break;
            case BracketQuery bracket:
                sql.Append(" AND chrom = ").Append(Parameter(command, bracket.Chromosome));
                sql.Append(inv, $" AND start BETWEEN {bracket.StartMin} AND {bracket.StartMax} AND \"end\" BETWEEN {bracket.EndMin} AND {bracket.EndMax}");
                Narrowed(sql, command, bracket.GeneId, bracket.Narrowing);
                break;
            case GeneQuery gene:
                Narrowed(sql, command, gene.GeneId, gene.Narrowing);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(query), query.GetType().Name, "not a kind of variant query");
        }

        return sql.ToString();
    }

    /// <summary>The predicate leaving out variants seen in fewer individuals than their dataset's threshold ("" when none has one).</summary>
    private static string SeenInAtLeast(IEnumerable<string> datasetIds, Func<string, int> hiddenBelow, DuckDBCommand command)
    {
        var thresholds = datasetIds.Select(id => (Id: id, Least: hiddenBelow(id))).Where(t => t.Least > 0).ToList();
        if (thresholds.Count == 0)
        {
            return "";
        }

        var sql = new StringBuilder($" AND {SeenIn} >= CASE dataset_id");
        foreach (var (id, least) in thresholds)
        {
            sql.Append(" WHEN ").Append(Parameter(command, id)).Append(CultureInfo.InvariantCulture, $" THEN {least}");
        }

        return sql.Append(" ELSE 0 END").ToString();
    }

    private static void Equal(StringBuilder sql, DuckDBCommand command, string column, string? value)
    {
        if (value is not null)
        {
            sql.Append(" AND ").Append(column).Append(" = ").Append(Parameter(command, value));
        }
    }

    private static void OfTypes(StringBuilder sql, DuckDBCommand command, IReadOnlyList<string>? types)
    {
        if (types is not null)
        {
            sql.Append(" AND variant_type IN (").AppendJoin(", ", types.Select(type => Parameter(command, type))).Append(')');
        }
    }

    private static void Narrowed(StringBuilder sql, DuckDBCommand command, string? geneId, VariantNarrowing narrowing)
    {
        Equal(sql, command, "alt", narrowing.AlternateBases);
        OfTypes(sql, command, narrowing.VariantTypes);
        if (geneId is not null)
        {
            sql.Append(" AND list_contains(genes, ").Append(Parameter(command, geneId)).Append(')');
        }

        if (narrowing.AminoacidChange is { } change)
        {
            sql.Append(" AND list_contains(aa_changes, ").Append(Parameter(command, change)).Append(')');
        }

        OfLength(sql, narrowing.MinLength, narrowing.MaxLength);
    }

    private static void OfLength(StringBuilder sql, int? min, int? max)
    {
        // An allele's length: the longer trimmed sequence allele, else the span. A stored sequence ALT is upper-case bases
        // only, so any other ALT (<DEL>, a breakend) is symbolic and as long as its span, not its text.
        const string length = "(CASE WHEN variant_type = 'SNP' THEN 1 WHEN variant_type IN ('MNP', 'INS', 'DEL', 'INDEL') " +
            "AND regexp_full_match(alt, '[A-Z]*') THEN greatest(length(ref), length(alt)) ELSE greatest(\"end\" - start, 1) END)";
        var inv = CultureInfo.InvariantCulture;
        if (min is { } least)
        {
            sql.Append(inv, $" AND {length} >= {least}");
        }

        if (max is { } most)
        {
            sql.Append(inv, $" AND {length} <= {most}");
        }
    }

    private static string Parameter(DuckDBCommand command, object value)
    {
        command.Parameters.Add(new DuckDBParameter(value));
        return "$" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
    }

    private static StoredVariant Read(DbDataReader reader) => Read(reader, reader.GetString(0), reader.GetString(1), 2);

    // The columns of RowColumns from ordinal o.
    private static StoredVariant Read(DbDataReader reader, string datasetId, string assembly, int o) => new(
        datasetId, assembly, reader.GetString(o), reader.GetInt32(o + 1), reader.GetInt32(o + 2), reader.GetString(o + 3),
        reader.GetString(o + 4), reader.GetString(o + 5), reader.IsDBNull(o + 6) ? null : reader.GetString(o + 6), reader.GetInt32(o + 7), reader.GetInt32(o + 8),
        reader.IsDBNull(o + 18) ? Ints(reader, o + 9) : GenomeNode.Beacon.Ingest.CarrierBitmap.Indexes(Blob(reader, o + 18)), Ints(reader, o + 10), Ints(reader, o + 11),
        Strings(reader, o + 12), Strings(reader, o + 13), Strings(reader, o + 14),
        AnnotationText.TranscriptHgvs(Text(reader, o + 15), Text(reader, o + 16)), AnnotationText.Split(Text(reader, o + 17)));

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static byte[] Blob(DbDataReader reader, int ordinal)
    {
        using var stream = reader.GetStream(ordinal);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private static List<int> Ints(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<List<int>>(ordinal);

    private static List<string> Strings(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<List<string>>(ordinal);
}
