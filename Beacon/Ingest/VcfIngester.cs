using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using DuckDB.NET.Data;
using GenomeNode.Beacon.Store;
using GenomeNode.Beacon.Variants;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// Loads a VCF into the variant store in one transaction: one row per ALT allele with canonical (trimmed) alleles,
/// genotypes as carrier lists per allele, counts computed from the genotypes, and ANN/CSQ annotation. Lines are
/// parsed as byte spans (no string per field); rows are written into DuckDB data chunks that a second thread appends
/// while parsing goes on (see <see cref="VariantAppender"/>). The same file (same SHA-256)
/// ingested again replaces its earlier rows; a malformed line stops the ingest with file:line and nothing stored.
/// It does not check that the dataset exists: the catalog's <see cref="DatasetCatalog.WriteData{T}"/> does, in the same
/// transaction (see <see cref="IngestInTransaction"/>).
/// </summary>
public sealed class VcfIngester(DuckDBConnection connection, VariantIndex? index = null)
{

    private const int ProgressEvery = 16384;

    /// <summary>Rows per DuckDB data chunk (at most its capacity); tests lower it to cross many chunk boundaries.</summary>
    internal int RowsPerChunk { get; init; } = VariantChunk.Capacity;

    /// <summary>Ingests in a transaction of its own.</summary>
    /// <param name="request">What to ingest.</param>
    /// <param name="progress">Where to report progress.</param>
    /// <param name="prefetch">The file, if it is already being read (<see cref="VcfPrefetch"/>).</param>
    /// <param name="cancellationToken">Stops the ingest (nothing is stored).</param>
    public VcfIngestResult Ingest(
        VcfIngestRequest request, IProgress<VcfIngestProgress>? progress = null, VcfPrefetch? prefetch = null,
        CancellationToken cancellationToken = default)
    {
        using var transaction = connection.BeginTransaction();
        var result = IngestInTransaction(request, progress, prefetch, cancellationToken);
        transaction.Commit();
        index?.Invalidate();
        return result;
    }

    /// <summary>
    /// Ingests inside the caller's open transaction (one that also changes the catalog, say); the caller commits, then
    /// invalidates the <see cref="VariantIndex"/>.
    /// </summary>
    public VcfIngestResult IngestInTransaction(
        VcfIngestRequest request, IProgress<VcfIngestProgress>? progress = null, VcfPrefetch? prefetch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var assembly = ReferenceNames.CanonicalAssembly(request.Assembly)
            ?? throw new VcfIngestException($"unknown assembly '{request.Assembly}': use one of {string.Join(", ", ReferenceNames.Assemblies)}");
        var path = System.IO.Path.GetFullPath(request.Path);
        if (!File.Exists(path))
        {
            throw new VcfIngestException($"{path} does not exist");
        }

        var clock = Stopwatch.StartNew();
        // By default DuckDB buffers five full row groups of a transaction before compressing and writing them, and
        // writes the rest at commit. One at a time, as each fills, puts that work on the appending thread while
        // parsing goes on. (A database-wide setting; it only changes when rows are written, not what.)
        Execute("SET write_buffer_row_group_count = 1");
        var fileId = NextFileId();
        var individuals = DatasetIndividuals.Load(connection, request.DatasetId);
        ParseOutcome outcome;
        try
        {
            using var source = prefetch?.Take(path) ?? new VcfLineSource(path);
            var parser = new Parser(path, individuals, progress, clock, source, cancellationToken);
            using (var rows = new VariantAppender(connection, fileId, RowsPerChunk))
            {
                outcome = parser.Run(rows);
                rows.Complete();
            }

            outcome = outcome with { Sha256 = source.Sha256 };
        }
        catch (IOException error)
        {
            throw new VcfIngestException($"{path} could not be read: {error.Message}", error);
        }

        individuals.Store(connection);
        if (!outcome.Sorted)
        {
            Reorder(fileId);
        }

        var replaced = RemoveSameFile(request.DatasetId, outcome.Sha256, fileId);
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO beacon.variant_files (dataset_id, file_id, path, sha256, assembly, samples, records, variants, max_span)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """;
            object[] values = [request.DatasetId, fileId, path, outcome.Sha256, assembly, outcome.Samples, outcome.Records, outcome.Variants, outcome.MaxSpan];
            foreach (var value in values)
            {
                insert.Parameters.Add(new DuckDBParameter(value));
            }

            insert.ExecuteNonQuery();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new VcfIngestResult(request.DatasetId, path, outcome.Sha256, assembly, outcome.Samples, outcome.Records, outcome.Variants,
            replaced, clock.Elapsed);
    }

    /// <summary>
    /// Deletes a dataset's variants, files and individuals (inside the caller's transaction, if any; the caller then
    /// invalidates the <see cref="VariantIndex"/> after committing).
    /// </summary>
    public void DeleteDataset(string datasetId)
    {
        string[] deletes =
        [
            "DELETE FROM beacon.variants WHERE file_id IN (SELECT file_id FROM beacon.variant_files WHERE dataset_id = $1)",
            "DELETE FROM beacon.variant_files WHERE dataset_id = $1",
            "DELETE FROM beacon.individuals WHERE dataset_id = $1",
            "DELETE FROM beacon.individual_counters WHERE dataset_id = $1",
        ];
        foreach (var sql in deletes)
        {
            using var delete = connection.CreateCommand();
            delete.CommandText = sql;
            delete.Parameters.Add(new DuckDBParameter(datasetId));
            delete.ExecuteNonQuery();
        }
    }

    private int NextFileId()
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT nextval('beacon.variant_file_ids')";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void Reorder(int fileId)
    {
        Execute($"""
            CREATE TEMP TABLE beacon_reorder AS
                SELECT * FROM beacon.variants WHERE file_id = {fileId} ORDER BY chrom, start, "end", ref, alt;
            DELETE FROM beacon.variants WHERE file_id = {fileId};
            INSERT INTO beacon.variants SELECT * FROM beacon_reorder;
            DROP TABLE beacon_reorder;
            """);
    }

    private bool RemoveSameFile(string datasetId, string sha256, int newFileId)
    {
        var previous = new List<int>();
        using (var find = connection.CreateCommand())
        {
            find.CommandText = "SELECT file_id FROM beacon.variant_files WHERE dataset_id = $1 AND sha256 = $2";
            find.Parameters.Add(new DuckDBParameter(datasetId));
            find.Parameters.Add(new DuckDBParameter(sha256));
            using var reader = find.ExecuteReader();
            while (reader.Read())
            {
                previous.Add(reader.GetInt32(0));
            }
        }

        foreach (var id in previous.Where(id => id != newFileId))
        {
            Execute($"DELETE FROM beacon.variants WHERE file_id = {id}; DELETE FROM beacon.variant_files WHERE file_id = {id};");
        }

        return previous.Count > 0;
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private readonly record struct ParseOutcome(int Samples, long Records, long Variants, bool Sorted, string Sha256, int MaxSpan);

    /// <summary>The line parser: one instance per ingest, reusing its buffers from record to record.</summary>
    private sealed class Parser(
        string path, DatasetIndividuals individuals, IProgress<VcfIngestProgress>? progress,
        Stopwatch clock, VcfLineSource source, CancellationToken cancellationToken)
    {
        private static readonly string[] OneLetter = [.. Enumerable.Range(0, 256).Select(b => Encoding.ASCII.GetString([(byte)b]))];

        private readonly List<string> alts = [];
        private readonly List<CanonicalAllele?> canonical = [];
        private readonly List<List<int>> het = [];
        private readonly List<List<int>> hom = [];
        private readonly List<List<int>> hemi = [];
        private readonly List<int> copies = [];
        private readonly List<AlleleAnnotation> annotations = [];
        private readonly HashSet<string> finishedChromosomes = new(StringComparer.Ordinal);
        private readonly byte[] lastChromBytes = new byte[256];
        private int lastChromLength = -1;
        private string chrom = "";
        private byte[] chromBytes = [];
        private int lastPos;
        private bool sorted = true;
        private int[] sampleIndexes = [];
        private int sampleCount;
        private bool headerSeen;
        private AnnotationLayout? csqLayout;
        private bool hasAnn;
        private long line;
        private long records;
        private long variants;
        private int maxSpan;
        private int[] alleleBuffer = new int[8];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ParseOutcome Run(VariantAppender rows)
        {
            while (source.TryNext(out var chunk))
            {
                var span = chunk.Span;
                while (span.Length > 0)
                {
                    var newline = span.IndexOf((byte)'\n');
                    var text = newline < 0 ? span : span[..newline];
                    span = newline < 0 ? default : span[(newline + 1)..];
                    line++;
                    if (text.Length > 0 && text[^1] == '\r')
                    {
                        text = text[..^1];
                    }

                    if (text.Length == 0)
                    {
                        continue;
                    }

                    if (text[0] == '#')
                    {
                        Header(text);
                        continue;
                    }

                    if (!headerSeen)
                    {
                        Fail("data line before the #CHROM header line");
                    }

                    Record(text, rows);
                    if (++records % ProgressEvery == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        progress?.Report(new VcfIngestProgress(records, variants, source.BytesRead, source.TotalBytes, clock.Elapsed));
                    }
                }
            }

            if (!headerSeen)
            {
                Fail("no #CHROM header line: not a VCF");
            }

            progress?.Report(new VcfIngestProgress(records, variants, source.BytesRead, source.TotalBytes, clock.Elapsed));
            return new ParseOutcome(sampleCount, records, variants, sorted, "", maxSpan);
        }

        private void Header(ReadOnlySpan<byte> text)
        {
            if (text.StartsWith("##"u8))
            {
                if (line == 1 && !text.StartsWith("##fileformat=VCF"u8))
                {
                    Fail("the first line is not ##fileformat=VCFv4.x: not a VCF");
                }

                if (text.StartsWith("##INFO=<ID=CSQ,"u8))
                {
                    csqLayout = AnnotationLayout.FromCsqHeader(Encoding.UTF8.GetString(text));
                }
                else if (text.StartsWith("##INFO=<ID=ANN,"u8))
                {
                    hasAnn = true;
                }

                return;
            }

            if (headerSeen)
            {
                Fail("a second #CHROM header line");
            }

            var columns = Encoding.UTF8.GetString(text).Split('\t');
            string[] fixedColumns = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"];
            if (columns.Length < 8 || !columns.AsSpan(0, 8).SequenceEqual(fixedColumns))
            {
                Fail("the header line does not start with #CHROM POS ID REF ALT QUAL FILTER INFO (tab-separated)");
            }

            if (columns.Length > 9)
            {
                var names = columns[9..];
                if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
                {
                    Fail("the header names a sample twice");
                }

                sampleIndexes = names.Select(individuals.IndexOf).ToArray();
            }
            else if (columns.Length == 9)
            {
                Fail("a FORMAT column without samples");
            }

            sampleCount = sampleIndexes.Length;
            headerSeen = true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Record(ReadOnlySpan<byte> text, VariantAppender rows)
        {
            var rest = text;
            var chromField = NextField(ref rest, "CHROM");
            var posField = NextField(ref rest, "POS");
            var idField = NextField(ref rest, "ID");
            var refField = NextField(ref rest, "REF");
            var altField = NextField(ref rest, "ALT");
            NextField(ref rest, "QUAL");
            NextField(ref rest, "FILTER");
            var infoField = sampleCount > 0 ? NextField(ref rest, "INFO") : LastField(ref rest, "INFO");

            SetChromosome(chromField);
            // Plain digits here; anything else (a sign, overflow, junk) as Utf8Parser decides, as before.
            if (!TryParseDigits(posField, out var pos)
                && !(Utf8Parser.TryParse(posField, out pos, out var used) && used == posField.Length && pos >= 0))
            {
                Fail(Utf8Parser.TryParse(posField, out long big, out var consumed) && consumed == posField.Length && big > int.MaxValue
                    ? $"POS {big} is beyond 2147483647, the largest position the store holds"
                    : $"POS '{Encoding.UTF8.GetString(posField)}' is not a non-negative integer");
            }

            if (pos < lastPos)
            {
                sorted = false;
            }

            lastPos = pos;
            if (!System.Text.Unicode.Utf8.IsValid(idField))
            {
                Fail("ID is not valid UTF-8");
            }

            if (refField.Length == 0 || !IsBases(refField))
            {
                Fail($"REF '{Encoding.UTF8.GetString(refField)}' is not a sequence of bases");
            }

            var reference = AsciiString(refField);
            alts.Clear();
            if (!(altField.Length == 1 && altField[0] == '.'))
            {
                var next = altField;
                while (true)
                {
                    var comma = next.IndexOf((byte)',');
                    var alt = comma < 0 ? next : next[..comma];
                    if (alt.Length == 0)
                    {
                        Fail("an empty ALT allele");
                    }

                    alts.Add(AsciiString(alt));
                    if (comma < 0)
                    {
                        break;
                    }

                    next = next[(comma + 1)..];
                }
            }

            EnsureAlleleSlots(alts.Count);
            for (var i = 0; i < alts.Count; i++)
            {
                canonical[i] = Canonicalise(pos, reference, alts[i], infoField);
            }

            var alleleNumber = sampleCount > 0 ? Genotypes(rest) : CountsFromInfo(infoField);
            var annotated = Annotate(infoField, reference);
            for (var i = 0; i < alts.Count; i++)
            {
                if (canonical[i] is not { } allele)
                {
                    continue;
                }

                rows.Row(chromBytes, allele, idField.Length == 1 && idField[0] == '.' ? default : idField, copies[i], alleleNumber,
                    het[i], hom[i], hemi[i], annotated ? annotations[i] : null, individuals.Next);
                variants++;
                maxSpan = Math.Max(maxSpan, allele.End - allele.Start);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private CanonicalAllele? Canonicalise(int pos, string reference, string alt, ReadOnlySpan<byte> info)
        {
            if (Alleles.IsPlaceholder(alt))
            {
                return null;
            }

            if (Alleles.IsSymbolic(alt))
            {
                var type = Alleles.SymbolicType(alt);
                var start = type == "BND" ? pos - 1 : pos;
                var end = pos - 1 + reference.Length;
                if (InfoInteger(info, "END"u8) is { } infoEnd && infoEnd >= start)
                {
                    end = infoEnd;
                }
                else if (InfoInteger(info, "SVLEN"u8) is { } svlen && type != "INS")
                {
                    end = start + Math.Abs(svlen);
                }

                return new CanonicalAllele(start, Math.Max(end, start), "", alt, type);
            }

            if (!Alleles.IsSequence(alt))
            {
                Fail($"ALT '{alt}' is neither a sequence of bases nor a symbolic allele");
            }

            return Alleles.Normalise(pos - 1, reference, alt);
        }

        /// <summary>Reads the samples' GT; fills copies and carrier lists per ALT; returns the number of called alleles.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Genotypes(ReadOnlySpan<byte> rest)
        {
            var format = NextField(ref rest, "FORMAT");
            var gtIndex = -1;
            var index = 0;
            foreach (var range in format.Split((byte)':'))
            {
                if (format[range].SequenceEqual("GT"u8))
                {
                    gtIndex = index;
                    break;
                }

                index++;
            }

            if (gtIndex == 0 && format.Length == 2)
            {
                return GenotypesOnly(rest);
            }

            var called = 0;
            for (var s = 0; s < sampleCount; s++)
            {
                ReadOnlySpan<byte> field;
                if (s == sampleCount - 1)
                {
                    field = rest;
                    if (field.IndexOf((byte)'\t') >= 0)
                    {
                        Fail($"more than the header's {sampleCount} sample columns");
                    }
                }
                else
                {
                    var tab = rest.IndexOf((byte)'\t');
                    if (tab < 0)
                    {
                        Fail($"{s + 1} sample columns where the header names {sampleCount}");
                    }

                    field = rest[..tab];
                    rest = rest[(tab + 1)..];
                }

                if (gtIndex < 0)
                {
                    continue;
                }

                var gt = SubField(field, gtIndex);
                called += Genotype(gt, sampleIndexes[s]);
            }

            return called;
        }

        /// <summary>
        /// FORMAT is just GT (the common case for population VCFs): walk the sample columns with one cursor. Where the
        /// next eight columns are all followed by a tab, one vector compare finds the homozygous-reference calls
        /// ("0/0" or "0|0", four bytes with the tab), and only the other lanes are looked at one by one.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int GenotypesOnly(ReadOnlySpan<byte> samples)
        {
            var called = 0;
            var p = 0;
            var s = 0;
            var last = sampleCount - 1;
            var maxDigit = Math.Min(alts.Count, 9);
            while (s + GenotypeLanes.Count <= last && p + GenotypeLanes.Bytes <= samples.Length)
            {
                var block = samples.Slice(p, GenotypeLanes.Bytes);
                var others = ~GenotypeLanes.HomRef(block) & GenotypeLanes.All;
                var taken = GenotypeLanes.Count;
                while (others != 0)
                {
                    var lane = BitOperations.TrailingZeroCount(others);
                    if (!SingleDigitDiploid(block.Slice(lane * 4, 4), maxDigit, sampleIndexes[s + lane]))
                    {
                        taken = lane;
                        break;
                    }

                    others &= others - 1;
                }

                // Every lane taken is a diploid call of two called alleles.
                called += 2 * taken;
                s += taken;
                p += 4 * taken;
                if (taken < GenotypeLanes.Count)
                {
                    // A column of another shape (haploid, "./.", "0/10", malformed...): the general path, then the
                    // lanes start again after it.
                    var tab = samples[p..].IndexOf((byte)'\t');
                    if (tab < 0)
                    {
                        Fail($"{s + 1} sample columns where the header names {sampleCount}");
                    }

                    called += Genotype(samples.Slice(p, tab), sampleIndexes[s]);
                    s++;
                    p += tab + 1;
                }
            }

            for (; s < sampleCount; s++)
            {
                var end = p + 3;
                if (end <= samples.Length && samples[p] == '0' && samples[p + 2] == '0' && (samples[p + 1] == '/' || samples[p + 1] == '|')
                    && (s == last ? end == samples.Length : end < samples.Length && samples[end] == '\t'))
                {
                    called += 2;
                    p = end + 1;
                    continue;
                }

                var rest = samples[Math.Min(p, samples.Length)..];
                var tab = rest.IndexOf((byte)'\t');
                if (s == last)
                {
                    if (tab >= 0)
                    {
                        Fail($"more than the header's {sampleCount} sample columns");
                    }

                    called += Genotype(rest, sampleIndexes[s]);
                    break;
                }

                if (tab < 0)
                {
                    Fail($"{s + 1} sample columns where the header names {sampleCount}");
                }

                called += Genotype(rest[..tab], sampleIndexes[s]);
                p += tab + 1;
            }

            return called;
        }

        /// <summary>
        /// A column "a/b" or "a|b" followed by a tab, a and b single digits naming alleles of the record (at most
        /// <paramref name="maxDigit"/>): adds the carriers as <see cref="Genotype"/> would and returns true. Anything
        /// else is left to <see cref="Genotype"/>, which also fails on it with the reason.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool SingleDigitDiploid(ReadOnlySpan<byte> column, int maxDigit, int individual)
        {
            var first = column[0] - '0';
            var second = column[2] - '0';
            if (column[3] != '\t' || (column[1] != '/' && column[1] != '|') || (uint)first > (uint)maxDigit || (uint)second > (uint)maxDigit)
            {
                return false;
            }

            if (first == second)
            {
                if (first > 0)
                {
                    copies[first - 1] += 2;
                    hom[first - 1].Add(individual);
                }

                return true;
            }

            if (first > 0)
            {
                copies[first - 1]++;
                het[first - 1].Add(individual);
            }

            if (second > 0)
            {
                copies[second - 1]++;
                het[second - 1].Add(individual);
            }

            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Genotype(ReadOnlySpan<byte> gt, int individual)
        {
            // Fast path: diploid "0/0" or "0|0".
            if (gt.Length == 3 && gt[0] == '0' && gt[2] == '0' && (gt[1] == '/' || gt[1] == '|'))
            {
                return 2;
            }

            var ploidy = 0;
            var called = 0;
            var i = 0;
            while (i <= gt.Length)
            {
                var start = i;
                while (i < gt.Length && gt[i] != '/' && gt[i] != '|')
                {
                    i++;
                }

                var token = gt[start..i];
                i++;
                if (token.Length == 0)
                {
                    if (gt.Length == 0)
                    {
                        break;
                    }

                    Fail($"genotype '{Encoding.ASCII.GetString(gt)}' has an empty allele");
                }

                int allele;
                if (token.Length == 1 && token[0] == '.')
                {
                    allele = -1;
                }
                else if (!Utf8Parser.TryParse(token, out allele, out var consumed) || consumed != token.Length || allele < 0)
                {
                    Fail($"genotype '{Encoding.ASCII.GetString(gt)}' is not allele indexes separated by / or |");
                }
                else if (allele > alts.Count)
                {
                    Fail($"genotype '{Encoding.ASCII.GetString(gt)}' names allele {allele} but the record has {alts.Count} ALT alleles");
                }
                else
                {
                    called++;
                }

                if (ploidy == alleleBuffer.Length)
                {
                    Array.Resize(ref alleleBuffer, ploidy * 2);
                }

                alleleBuffer[ploidy++] = allele;
            }

            for (var a = 0; a < ploidy; a++)
            {
                var allele = alleleBuffer[a];
                if (allele <= 0)
                {
                    continue;
                }

                var seen = false;
                for (var b = 0; b < a; b++)
                {
                    seen |= alleleBuffer[b] == allele;
                }

                if (seen)
                {
                    continue;
                }

                var n = 0;
                for (var b = a; b < ploidy; b++)
                {
                    n += alleleBuffer[b] == allele ? 1 : 0;
                }

                var slot = allele - 1;
                copies[slot] += n;
                (ploidy == 1 ? hemi : n == ploidy ? hom : het)[slot].Add(individual);
            }

            return called;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool Annotate(ReadOnlySpan<byte> info, string reference)
        {
            var layout = csqLayout is not null ? csqLayout : hasAnn ? AnnotationLayout.SnpEff : null;
            if (layout is null)
            {
                return false;
            }

            var value = InfoValue(info, layout.Key == "ANN" ? "ANN"u8 : "CSQ"u8);
            if (value.IsEmpty)
            {
                return false;
            }

            for (var i = 0; i < alts.Count; i++)
            {
                annotations[i].Clear();
            }

            layout.Parse(Encoding.UTF8.GetString(value), reference, alts, annotations);
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void EnsureAlleleSlots(int count)
        {
            while (het.Count < count)
            {
                het.Add([]);
                hom.Add([]);
                hemi.Add([]);
                copies.Add(0);
                canonical.Add(null);
                annotations.Add(new AlleleAnnotation());
            }

            for (var i = 0; i < count; i++)
            {
                het[i].Clear();
                hom[i].Clear();
                hemi[i].Clear();
                copies[i] = 0;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void SetChromosome(ReadOnlySpan<byte> name)
        {
            if (name.Length == 0)
            {
                Fail("an empty CHROM");
            }

            if (lastChromLength == name.Length && name.SequenceEqual(lastChromBytes.AsSpan(0, lastChromLength)))
            {
                return;
            }

            if (name.Length > lastChromBytes.Length || name.IndexOf((byte)' ') >= 0)
            {
                Fail($"CHROM '{Encoding.UTF8.GetString(name)}' is not a valid contig name");
            }

            if (lastChromLength >= 0)
            {
                finishedChromosomes.Add(chrom);
            }

            name.CopyTo(lastChromBytes);
            lastChromLength = name.Length;
            chrom = ReferenceNames.Canonical(Encoding.UTF8.GetString(name));
            chromBytes = Encoding.UTF8.GetBytes(chrom);
            if (finishedChromosomes.Contains(chrom))
            {
                sorted = false;
            }

            lastPos = 0;
        }

        /// <summary>
        /// What Encoding.ASCII.GetString returns (a byte above 0x7F reads as '?'), without allocating for the
        /// one-letter alleles of SNVs.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static string AsciiString(ReadOnlySpan<byte> bytes) =>
            bytes.Length == 1 ? OneLetter[bytes[0]] : Encoding.ASCII.GetString(bytes);

        /// <summary>A non-empty run of ASCII digits up to int.MaxValue; false for anything else.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool TryParseDigits(ReadOnlySpan<byte> digits, out int value)
        {
            value = 0;
            if (digits.IsEmpty)
            {
                return false;
            }

            long number = 0;
            foreach (var b in digits)
            {
                var digit = (uint)(b - '0');
                if (digit > 9)
                {
                    return false;
                }

                number = (number * 10) + digit;
                if (number > int.MaxValue)
                {
                    return false;
                }
            }

            value = (int)number;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ReadOnlySpan<byte> NextField(ref ReadOnlySpan<byte> rest, string name)
        {
            var tab = rest.IndexOf((byte)'\t');
            if (tab < 0)
            {
                Fail($"the line ends after the {name} column: columns must be tab-separated");
            }

            var field = rest[..tab];
            rest = rest[(tab + 1)..];
            return field;
        }

        private static ReadOnlySpan<byte> LastField(ref ReadOnlySpan<byte> rest, string name)
        {
            _ = name;
            var tab = rest.IndexOf((byte)'\t');
            var field = tab < 0 ? rest : rest[..tab];
            rest = default;
            return field;
        }

        private static ReadOnlySpan<byte> SubField(ReadOnlySpan<byte> field, int index)
        {
            for (var i = 0; i < index; i++)
            {
                var colon = field.IndexOf((byte)':');
                if (colon < 0)
                {
                    return default; // trailing FORMAT fields may be dropped
                }

                field = field[(colon + 1)..];
            }

            var end = field.IndexOf((byte)':');
            return end < 0 ? field : field[..end];
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static ReadOnlySpan<byte> InfoValue(ReadOnlySpan<byte> info, ReadOnlySpan<byte> key)
        {
            while (info.Length > 0)
            {
                var semicolon = info.IndexOf((byte)';');
                var entry = semicolon < 0 ? info : info[..semicolon];
                info = semicolon < 0 ? default : info[(semicolon + 1)..];
                if (entry.Length > key.Length && entry[key.Length] == '=' && entry.StartsWith(key))
                {
                    return entry[(key.Length + 1)..];
                }
            }

            return default;
        }

        /// <summary>
        /// A sites-only VCF (no samples, as published aggregates are) has no genotypes to count: its INFO AC (one per
        /// ALT) and AN are the counts, where it has them. Fills the ALTs' copies; returns AN, or 0 without one.
        /// </summary>
        private int CountsFromInfo(ReadOnlySpan<byte> info)
        {
            var an = InfoValue(info, "AN"u8);
            var ac = InfoValue(info, "AC"u8);
            // Both are needed for a frequency; a missing value ('.') is no count either.
            if (an.IsEmpty || ac.IsEmpty || an.SequenceEqual("."u8) || ac.Contains((byte)'.'))
            {
                return 0;
            }

            if (!Utf8Parser.TryParse(an, out int alleleNumber, out var consumed) || consumed != an.Length || alleleNumber < 0)
            {
                Fail($"INFO AN '{Encoding.UTF8.GetString(an)}' is not a non-negative integer (a sites-only VCF's AC and AN are its counts)");
            }

            var i = 0;
            foreach (var range in ac.Split((byte)','))
            {
                var value = ac[range];
                if (i >= alts.Count || !Utf8Parser.TryParse(value, out int count, out consumed) || consumed != value.Length
                    || count < 0 || count > alleleNumber)
                {
                    break;
                }

                copies[i++] = count;
            }

            if (i != alts.Count || ac.Count((byte)',') != alts.Count - 1)
            {
                Fail($"INFO AC '{Encoding.UTF8.GetString(ac)}' is not one count from 0 to AN ({alleleNumber}) per ALT allele");
            }

            return alleleNumber;
        }

        private static int? InfoInteger(ReadOnlySpan<byte> info, ReadOnlySpan<byte> key)
        {
            var value = InfoValue(info, key);
            var comma = value.IndexOf((byte)',');
            if (comma >= 0)
            {
                value = value[..comma];
            }

            return Utf8Parser.TryParse(value, out int number, out var consumed) && consumed == value.Length ? number : null;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static bool IsBases(ReadOnlySpan<byte> bases)
        {
            foreach (var b in bases)
            {
                switch (b | 0x20)
                {
                    case 'a' or 'c' or 'g' or 't' or 'n' or 'u' or 'r' or 'y' or 's' or 'w' or 'k' or 'm' or 'b' or 'd' or 'h' or 'v':
                        continue;
                    default:
                        return false;
                }
            }

            return true;
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private void Fail(string reason) => throw new VcfFormatException(path, line, reason);
    }
}
