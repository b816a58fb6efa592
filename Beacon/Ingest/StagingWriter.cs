using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using GenomeNode.Beacon.Variants;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// Writes variant rows as a tab-separated staging file that DuckDB loads in one vectorised, parallel
/// <c>INSERT ... SELECT FROM read_csv(...)</c>: much faster than handing every value (and every list element) over
/// the appender's per-value interop. Empty alleles are written as '-', missing values as '\N', integer lists joined by
/// ',' and string lists by '|' (neither occurs inside the values: VCF uses them as separators).
/// </summary>
internal sealed class StagingWriter : IDisposable
{
    private readonly FileStream file;
    private readonly byte[] buffer = new byte[1 << 20];
    private int position;

    public StagingWriter(string path)
    {
        Path = path;
        file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
    }

    public string Path { get; }

    /// <summary>Bytes staged so far.</summary>
    public long Length => file.Position + position;

    /// <summary>Rows staged so far.</summary>
    public long Rows { get; private set; }

    /// <summary>The column list for read_csv, in file order.</summary>
    public const string Columns =
        "{'chrom': 'VARCHAR', 'start': 'INTEGER', 'end': 'INTEGER', 'ref': 'VARCHAR', 'alt': 'VARCHAR', 'variant_type': 'VARCHAR', " +
        "'vcf_id': 'VARCHAR', 'allele_count': 'INTEGER', 'allele_number': 'INTEGER', 'het': 'INTEGER[]', 'het_bitmap': 'VARCHAR', 'hom': 'INTEGER[]', " +
        "'hemi': 'INTEGER[]', 'genes': 'VARCHAR', 'effects': 'VARCHAR', 'aa_changes': 'VARCHAR', 'transcript_hgvs': 'VARCHAR', " +
        "'protein_hgvs': 'VARCHAR'}";

    /// <summary>The SELECT list turning staged columns into <c>beacon.variants</c> columns after the three constants.</summary>
    public const string Select =
        "chrom, start, \"end\", CASE WHEN ref = '-' THEN '' ELSE ref END, CASE WHEN alt = '-' THEN '' ELSE alt END, variant_type, " +
        "vcf_id, allele_count, allele_number, " +
        "het, unhex(het_bitmap), hom, hemi, " +
        "string_split(genes, '|'), string_split(effects, '|'), string_split(aa_changes, '|'), string_split(transcript_hgvs, '|'), " +
        "string_split(protein_hgvs, '|')";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Row(byte[] chrom, in CanonicalAllele allele, ReadOnlySpan<byte> vcfId, int alleleCount, int alleleNumber,
        List<int> het, List<int> hom, List<int> hemi, AlleleAnnotation? annotation, int sampleSpace)
    {
        Bytes(chrom);
        Tab();
        Integer(allele.Start);
        Tab();
        Integer(allele.End);
        Tab();
        Allele(allele.Ref);
        Tab();
        Allele(allele.Alt);
        Tab();
        Text(allele.VariantType);
        Tab();
        if (vcfId.IsEmpty)
        {
            Null();
        }
        else
        {
            Bytes(vcfId);
        }

        Tab();
        Integer(alleleCount);
        Tab();
        Integer(alleleNumber);
        Tab();
        if (BitmapIsSmaller(het.Count, sampleSpace))
        {
            Null();
            Tab();
            Bitmap(het, sampleSpace);
        }
        else
        {
            Integers(het);
            Tab();
            Null();
        }

        Tab();
        Integers(hom);
        Tab();
        Integers(hemi);
        Tab();
        Strings(annotation?.Genes);
        Tab();
        Strings(annotation?.Effects);
        Tab();
        Strings(annotation?.AminoacidChanges);
        Tab();
        Strings(annotation?.TranscriptHgvs);
        Tab();
        Strings(annotation?.ProteinHgvs);
        Ensure(1);
        buffer[position++] = (byte)'\n';
        Rows++;
    }

    public void Flush()
    {
        file.Write(buffer, 0, position);
        position = 0;
        file.Flush();
    }

    public void Dispose() => file.Dispose();

    private void Tab()
    {
        Ensure(1);
        buffer[position++] = (byte)'\t';
    }

    private void Null()
    {
        Ensure(2);
        buffer[position++] = (byte)'\\';
        buffer[position++] = (byte)'N';
    }

    private void Integer(int value)
    {
        Ensure(11);
        Utf8Formatter.TryFormat(value, buffer.AsSpan(position), out var written);
        position += written;
    }

    /// <summary>
    /// A list of k indexes below n costs about k·⌈log2 n⌉ bits bit-packed; a bitmap n bits plus a few bytes of string
    /// overhead. Rare alleles stay lists, common ones become bitmaps.
    /// </summary>
    public static bool BitmapIsSmaller(int count, int sampleSpace)
    {
        var bits = Math.Max(1, 32 - int.LeadingZeroCount(Math.Max(sampleSpace - 1, 1)));
        return (long)count * bits > sampleSpace + 48;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Bitmap(List<int> indexes, int sampleSpace)
    {
        var bytes = (sampleSpace + 7) / 8;
        Span<byte> bitmap = bytes <= 1024 ? stackalloc byte[bytes] : new byte[bytes];
        bitmap.Clear();
        foreach (var index in indexes)
        {
            bitmap[index >> 3] |= (byte)(1 << (index & 7));
        }

        Ensure(bytes * 2);
        foreach (var b in bitmap)
        {
            buffer[position++] = Hex[b >> 4];
            buffer[position++] = Hex[b & 15];
        }
    }

    private static ReadOnlySpan<byte> Hex => "0123456789ABCDEF"u8;

    /// <summary>The sample indexes set in a bitmap written by <see cref="Bitmap"/>.</summary>
    public static List<int> Indexes(byte[] bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        var indexes = new List<int>();
        for (var i = 0; i < bitmap.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                if ((bitmap[i] & (1 << bit)) != 0)
                {
                    indexes.Add((i << 3) + bit);
                }
            }
        }

        return indexes;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Integers(List<int> values)
    {
        if (values.Count == 0)
        {
            Null();
            return;
        }

        Ensure(1);
        buffer[position++] = (byte)'[';
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                Ensure(1);
                buffer[position++] = (byte)',';
            }

            Integer(values[i]);
        }

        Ensure(1);
        buffer[position++] = (byte)']';
    }

    private void Strings(List<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            Null();
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                Ensure(1);
                buffer[position++] = (byte)'|';
            }

            Text(Clean(values[i]));
        }
    }

    private static string Clean(string value) =>
        value.AsSpan().IndexOfAny("\t\n\r|\\") < 0 ? value : value.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ').Replace('|', '/').Replace('\\', '/');

    private void Allele(string bases)
    {
        if (bases.Length == 0)
        {
            Ensure(1);
            buffer[position++] = (byte)'-';
        }
        else
        {
            Text(bases);
        }
    }

    private void Text(string text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        position += Encoding.UTF8.GetBytes(text, buffer.AsSpan(position));
    }

    private void Bytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(buffer.AsSpan(position));
        position += bytes.Length;
    }

    private void Ensure(int count)
    {
        if (position + count > buffer.Length)
        {
            file.Write(buffer, 0, position);
            position = 0;
            if (count > buffer.Length)
            {
                throw new InvalidDataException("a single staged value is larger than the staging buffer");
            }
        }
    }
}
