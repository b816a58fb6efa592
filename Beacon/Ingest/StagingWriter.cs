using System.Buffers.Text;
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
        "'vcf_id': 'VARCHAR', 'allele_count': 'INTEGER', 'allele_number': 'INTEGER', 'het': 'INTEGER[]', 'hom': 'INTEGER[]', " +
        "'hemi': 'INTEGER[]', 'genes': 'VARCHAR', 'effects': 'VARCHAR', 'aa_changes': 'VARCHAR', 'transcript_hgvs': 'VARCHAR', " +
        "'protein_hgvs': 'VARCHAR'}";

    /// <summary>The SELECT list turning staged columns into <c>beacon.variants</c> columns after the three constants.</summary>
    public const string Select =
        "chrom, start, \"end\", CASE WHEN ref = '-' THEN '' ELSE ref END, CASE WHEN alt = '-' THEN '' ELSE alt END, variant_type, " +
        "vcf_id, allele_count, allele_number, " +
        "het, hom, hemi, " +
        "string_split(genes, '|'), string_split(effects, '|'), string_split(aa_changes, '|'), string_split(transcript_hgvs, '|'), " +
        "string_split(protein_hgvs, '|')";

    public void Row(byte[] chrom, in CanonicalAllele allele, ReadOnlySpan<byte> vcfId, int alleleCount, int alleleNumber,
        List<int> het, List<int> hom, List<int> hemi, AlleleAnnotation? annotation)
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
        Integers(het);
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
