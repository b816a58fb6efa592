using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Beacon.Variants;

namespace GenomeNode.Beacon.Vcf;

/// <summary>The header of a VCF as the reader needs it.</summary>
/// <param name="Samples">The sample columns' names, in order (none for a sites-only VCF).</param>
/// <param name="Annotation">The annotation field the records are read for (CSQ with its declared layout, else ANN), if any.</param>
public sealed record VcfHeader(IReadOnlyList<string> Samples, AnnotationLayout? Annotation);

/// <summary>
/// Reads VCF text (VCFv4.x, plain bytes: decompressing is the caller's) into <see cref="VcfRecord"/>s: canonical,
/// trimmed alleles per ALT (<see cref="Alleles.Normalise"/>'s rules), carriers per allele by zygosity, AC/AN from the
/// genotypes (from INFO for a sites-only VCF), and the ANN/CSQ annotation per allele. A malformed line throws a
/// <see cref="VcfFormatException"/> naming the source and the line.
/// </summary>
/// <remarks>
/// Lines are read as byte spans in place, and one <see cref="Record"/> is filled again for every line, so reading
/// allocates nothing per record once its buffers have grown. When FORMAT is just GT, eight sample columns are compared
/// against "0/0\t" or "0|0\t" at a time (<see cref="GenotypeLanes"/>).
/// </remarks>
public sealed class VcfReader(string source)
{
    private readonly HashSet<string> finishedChromosomes = new(StringComparer.Ordinal);
    private readonly byte[] lastChromBytes = new byte[256];
    private int lastChromLength = -1;
    private int lastPos;
    private int sampleCount;
    private AnnotationLayout? csqLayout;
    private bool hasAnn;
    private AnnotationLayout? layout;
    private Range[] altRanges = new Range[8];
    private int[] alleleBuffer = new int[8];

    /// <summary>The file (or other source) errors name.</summary>
    public string Source { get; } = source;

    /// <summary>The header, once its #CHROM line was read.</summary>
    public VcfHeader? Header { get; private set; }

    /// <summary>The last record read (the same instance every time).</summary>
    public VcfRecord Record { get; } = new();

    /// <summary>Lines read so far (the last record's line number).</summary>
    public long Line { get; private set; }

    /// <summary>Data records read so far.</summary>
    public long Records { get; private set; }

    /// <summary>
    /// Whether the records so far came sorted: each chromosome's records together and, within it, positions ascending.
    /// </summary>
    public bool Sorted { get; private set; } = true;

    /// <summary>
    /// Reads lines from the start of <paramref name="lines"/> (whole lines; the last may lack its newline) until a data
    /// record is read: true, with <see cref="Record"/> filled and <paramref name="lines"/> advanced past its line; false
    /// once <paramref name="lines"/> is used up. Header lines are read on the way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRead(ref ReadOnlySpan<byte> lines)
    {
        while (lines.Length > 0)
        {
            var newline = lines.IndexOf((byte)'\n');
            var text = newline < 0 ? lines : lines[..newline];
            lines = newline < 0 ? default : lines[(newline + 1)..];
            Line++;
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
                HeaderLine(text);
                continue;
            }

            if (Header is null)
            {
                Fail("data line before the #CHROM header line");
            }

            DataLine(text);
            Records++;
            return true;
        }

        return false;
    }

    /// <summary>The end of the input: a source without a #CHROM line is no VCF.</summary>
    public void Complete()
    {
        if (Header is null)
        {
            Fail("no #CHROM header line: not a VCF");
        }
    }

    private void HeaderLine(ReadOnlySpan<byte> text)
    {
        if (text.StartsWith("##"u8))
        {
            if (Line == 1 && !text.StartsWith("##fileformat=VCF"u8))
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

            // VEP's CSQ, when declared with its layout, wins over SnpEff's ANN.
            layout = csqLayout ?? (hasAnn ? AnnotationLayout.SnpEff : null);
            return;
        }

        if (Header is not null)
        {
            Fail("a second #CHROM header line");
        }

        var columns = Encoding.UTF8.GetString(text).Split('\t');
        string[] fixedColumns = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"];
        if (columns.Length < 8 || !columns.AsSpan(0, 8).SequenceEqual(fixedColumns))
        {
            Fail("the header line does not start with #CHROM POS ID REF ALT QUAL FILTER INFO (tab-separated)");
        }

        string[] samples = [];
        if (columns.Length > 9)
        {
            samples = columns[9..];
            if (samples.Distinct(StringComparer.Ordinal).Count() != samples.Length)
            {
                Fail("the header names a sample twice");
            }
        }
        else if (columns.Length == 9)
        {
            Fail("a FORMAT column without samples");
        }

        sampleCount = samples.Length;
        Header = new VcfHeader(samples, layout);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DataLine(ReadOnlySpan<byte> text)
    {
        var record = Record;
        var rest = text;
        var chromField = NextField(ref rest, "CHROM");
        var posField = NextField(ref rest, "POS");
        var idField = NextField(ref rest, "ID");
        var refField = NextField(ref rest, "REF");
        var altField = NextField(ref rest, "ALT");
        NextField(ref rest, "QUAL");
        NextField(ref rest, "FILTER");
        var infoField = sampleCount > 0 ? NextField(ref rest, "INFO") : LastField(ref rest);

        SetChromosome(chromField);
        // Plain digits here; anything else (a sign, overflow, junk) as Utf8Parser decides.
        if (!TryParseDigits(posField, out var pos)
            && !(Utf8Parser.TryParse(posField, out pos, out var used) && used == posField.Length && pos >= 0))
        {
            Fail(Utf8Parser.TryParse(posField, out long big, out var consumed) && consumed == posField.Length && big > int.MaxValue
                ? $"POS {big} is beyond 2147483647, the largest position the store holds"
                : $"POS '{Encoding.UTF8.GetString(posField)}' is not a non-negative integer");
        }

        if (pos < lastPos)
        {
            Sorted = false;
        }

        lastPos = pos;
        record.Position = pos;
        if (!System.Text.Unicode.Utf8.IsValid(idField))
        {
            Fail("ID is not valid UTF-8");
        }

        record.SetId(idField.Length == 1 && idField[0] == '.' ? default : idField);
        if (refField.Length == 0 || !IsBases(refField))
        {
            Fail($"REF '{Encoding.UTF8.GetString(refField)}' is not a sequence of bases");
        }

        var altCount = SplitAlts(altField);
        record.ResetAlleles(altCount);
        var alts = altRanges.AsSpan(0, altCount);
        for (var i = 0; i < altCount; i++)
        {
            Canonicalise(record.Allele(i), pos, refField, altField[alts[i]], infoField);
        }

        record.AlleleNumber = sampleCount > 0 ? Genotypes(rest, altCount) : CountsFromInfo(infoField, altCount);
        record.Annotated = false;
        if (layout is not null)
        {
            var value = InfoValue(infoField, layout.Key == "ANN" ? "ANN"u8 : "CSQ"u8);
            if (!value.IsEmpty)
            {
                AnnotationFields.Read(layout, value, refField, altField, alts, record.Alleles);
                record.Annotated = true;
            }
        }
    }

    /// <summary>Splits ALT at its commas into <see cref="altRanges"/>; returns the count (0 for '.').</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int SplitAlts(ReadOnlySpan<byte> altField)
    {
        if (altField.Length == 1 && altField[0] == '.')
        {
            return 0;
        }

        var count = 0;
        var start = 0;
        while (true)
        {
            var comma = altField[start..].IndexOf((byte)',');
            var end = comma < 0 ? altField.Length : start + comma;
            if (end == start)
            {
                Fail("an empty ALT allele");
            }

            if (count == altRanges.Length)
            {
                Array.Resize(ref altRanges, count * 2);
            }

            altRanges[count++] = new Range(start, end);
            if (comma < 0)
            {
                return count;
            }

            start = end + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Canonicalise(VcfAllele allele, int pos, ReadOnlySpan<byte> reference, ReadOnlySpan<byte> alt, ReadOnlySpan<byte> info)
    {
        if (IsPlaceholder(alt))
        {
            return;
        }

        if (IsSymbolic(alt))
        {
            // Stored as written, except that bytes beyond ASCII read as '?'.
            Span<byte> written = alt.Length <= 256 ? stackalloc byte[alt.Length] : new byte[alt.Length];
            for (var i = 0; i < alt.Length; i++)
            {
                written[i] = alt[i] < 0x80 ? alt[i] : (byte)'?';
            }

            var type = Alleles.SymbolicType(Encoding.ASCII.GetString(written));
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

            allele.Start = start;
            allele.End = Math.Max(end, start);
            allele.SetAlleles(default, written, upper: false);
            allele.VariantType = type;
            allele.Stored = true;
            return;
        }

        if (!IsBases(alt))
        {
            Fail($"ALT '{Encoding.ASCII.GetString(alt)}' is neither a sequence of bases nor a symbolic allele");
        }

        Normalise(allele, pos - 1, reference, alt);
    }

    /// <summary><see cref="Alleles.Normalise"/> on bytes (both sequences of bases, checked before).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Normalise(VcfAllele allele, int start, ReadOnlySpan<byte> reference, ReadOnlySpan<byte> alternate)
    {
        var end = reference.Length;
        var altEnd = alternate.Length;
        while (end > 0 && altEnd > 0 && Upper(reference[end - 1]) == Upper(alternate[altEnd - 1]))
        {
            end--;
            altEnd--;
        }

        var prefix = 0;
        while (prefix < end && prefix < altEnd && Upper(reference[prefix]) == Upper(alternate[prefix]))
        {
            prefix++;
        }

        var r = reference[prefix..end];
        var a = alternate[prefix..altEnd];
        if (r.Length == 0 && a.Length == 0)
        {
            allele.Stored = false;
            return;
        }

        allele.VariantType = (r.Length, a.Length) switch
        {
            (1, 1) => "SNP",
            (0, _) => "INS",
            (_, 0) => "DEL",
            var (x, y) when x == y => "MNP",
            _ => "INDEL",
        };
        allele.Start = start + prefix;
        allele.End = start + prefix + r.Length;
        allele.SetAlleles(r, a, upper: true);
        allele.Stored = true;
    }

    /// <summary>Reads the samples' GT; fills copies and carriers per ALT; returns the number of called alleles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Genotypes(ReadOnlySpan<byte> rest, int altCount)
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
            return GenotypesOnly(rest, altCount);
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

            called += Genotype(SubField(field, gtIndex), s, altCount);
        }

        return called;
    }

    /// <summary>
    /// FORMAT is just GT (the common case for population VCFs): walk the sample columns with one cursor. Where the next
    /// eight columns are all followed by a tab, one vector compare finds the homozygous-reference calls ("0/0" or "0|0",
    /// four bytes with the tab), and only the other lanes are looked at one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int GenotypesOnly(ReadOnlySpan<byte> samples, int altCount)
    {
        var called = 0;
        var p = 0;
        var s = 0;
        var last = sampleCount - 1;
        var maxDigit = Math.Min(altCount, 9);
        while (s + GenotypeLanes.Count <= last && p + GenotypeLanes.Bytes <= samples.Length)
        {
            var block = samples.Slice(p, GenotypeLanes.Bytes);
            var others = ~GenotypeLanes.HomRef(block) & GenotypeLanes.All;
            var taken = GenotypeLanes.Count;
            while (others != 0)
            {
                var lane = BitOperations.TrailingZeroCount(others);
                if (!SingleDigitDiploid(block.Slice(lane * 4, 4), maxDigit, s + lane))
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
                // A column of another shape (haploid, "./.", "0/10", malformed...): the general path, then the lanes
                // start again after it.
                var tab = samples[p..].IndexOf((byte)'\t');
                if (tab < 0)
                {
                    Fail($"{s + 1} sample columns where the header names {sampleCount}");
                }

                called += Genotype(samples.Slice(p, tab), s, altCount);
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

                called += Genotype(rest, s, altCount);
                break;
            }

            if (tab < 0)
            {
                Fail($"{s + 1} sample columns where the header names {sampleCount}");
            }

            called += Genotype(rest[..tab], s, altCount);
            p += tab + 1;
        }

        return called;
    }

    /// <summary>
    /// A column "a/b" or "a|b" followed by a tab, a and b single digits naming alleles of the record (at most
    /// <paramref name="maxDigit"/>): adds the carriers as <see cref="Genotype"/> would and returns true. Anything else is
    /// left to <see cref="Genotype"/>, which also fails on it with the reason.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool SingleDigitDiploid(ReadOnlySpan<byte> column, int maxDigit, int sample)
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
                var allele = Record.Allele(first - 1);
                allele.Count += 2;
                allele.Homozygous.Add(sample);
            }

            return true;
        }

        if (first > 0)
        {
            var allele = Record.Allele(first - 1);
            allele.Count++;
            allele.Heterozygous.Add(sample);
        }

        if (second > 0)
        {
            var allele = Record.Allele(second - 1);
            allele.Count++;
            allele.Heterozygous.Add(sample);
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Genotype(ReadOnlySpan<byte> gt, int sample, int altCount)
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
            else if (allele > altCount)
            {
                Fail($"genotype '{Encoding.ASCII.GetString(gt)}' names allele {allele} but the record has {altCount} ALT alleles");
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
            var number = alleleBuffer[a];
            if (number <= 0)
            {
                continue;
            }

            var seen = false;
            for (var b = 0; b < a; b++)
            {
                seen |= alleleBuffer[b] == number;
            }

            if (seen)
            {
                continue;
            }

            var n = 0;
            for (var b = a; b < ploidy; b++)
            {
                n += alleleBuffer[b] == number ? 1 : 0;
            }

            var allele = Record.Allele(number - 1);
            allele.Count += n;
            (ploidy == 1 ? allele.Hemizygous : n == ploidy ? allele.Homozygous : allele.Heterozygous).Add(sample);
        }

        return called;
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
            finishedChromosomes.Add(Record.Chromosome);
        }

        name.CopyTo(lastChromBytes);
        lastChromLength = name.Length;
        Record.Chromosome = ReferenceNames.Canonical(Encoding.UTF8.GetString(name));
        Record.ChromosomeBytes = Encoding.UTF8.GetBytes(Record.Chromosome);
        if (finishedChromosomes.Contains(Record.Chromosome))
        {
            Sorted = false;
        }

        lastPos = 0;
    }

    /// <summary>A sites-only VCF's INFO AC (one per ALT) and AN: fills the ALTs' counts; returns AN, or 0 without both.</summary>
    private int CountsFromInfo(ReadOnlySpan<byte> info, int altCount)
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
            if (i >= altCount || !Utf8Parser.TryParse(value, out int count, out consumed) || consumed != value.Length
                || count < 0 || count > alleleNumber)
            {
                break;
            }

            Record.Allele(i++).Count = count;
        }

        if (i != altCount || ac.Count((byte)',') != altCount - 1)
        {
            Fail($"INFO AC '{Encoding.UTF8.GetString(ac)}' is not one count from 0 to AN ({alleleNumber}) per ALT allele");
        }

        return alleleNumber;
    }

    /// <summary>ALTs that stand for no concrete allele (as <see cref="Alleles.IsPlaceholder"/>).</summary>
    private static bool IsPlaceholder(ReadOnlySpan<byte> alt) =>
        alt.SequenceEqual("*"u8) || alt.SequenceEqual("."u8) || alt.SequenceEqual("<*>"u8) || alt.SequenceEqual("<NON_REF>"u8) || alt.SequenceEqual("<X>"u8);

    /// <summary>Symbolic ALTs and breakends (as <see cref="Alleles.IsSymbolic"/>).</summary>
    private static bool IsSymbolic(ReadOnlySpan<byte> alt) =>
        alt.Length > 0 && (alt[0] == '<' || alt.Contains((byte)'[') || alt.Contains((byte)']') || (alt.Length > 1 && (alt[0] == '.' || alt[^1] == '.')));

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

    private static ReadOnlySpan<byte> LastField(ref ReadOnlySpan<byte> rest)
    {
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

    /// <summary>IUPAC nucleotide codes, either case (as <see cref="Alleles.IsSequence"/>).</summary>
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

    private static byte Upper(byte b) => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b & ~0x20) : b;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(string reason) => throw new VcfFormatException(Source, Line, reason);
}
