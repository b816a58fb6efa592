using System.Text;
using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Registration;

/// <summary>
/// Tells BAM, CRAM, bgzipped VCF and BCF apart by their bytes (never by the file name), and recognises the inputs an
/// operator is likely to try by mistake (plain VCF, plain gzip, SAM text) to refuse them with a useful message.
/// </summary>
internal static class DataFileFormat
{
    public const string Bam = "BAM";
    public const string Cram = "CRAM";
    public const string Vcf = "VCF";
    public const string Bcf = "BCF";

    private const int PeekLength = 16;

    /// <summary>The format of the data in <paramref name="stream"/>; throws <see cref="HtsgetRegistrationException"/> otherwise.</summary>
    public static string Detect(Stream stream, string path)
    {
        stream.Position = 0;
        var head = new byte[PeekLength];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, read);
        stream.Position = 0;
        if (read == 0)
        {
            throw new HtsgetRegistrationException($"{path} is empty.");
        }

        if (bytes.StartsWith("CRAM"u8))
        {
            return Cram;
        }

        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            return DetectBgzf(stream, path);
        }

        if (bytes.StartsWith("##fileformat=VCF"u8))
        {
            throw new HtsgetRegistrationException(
                $"{path} is a plain-text VCF; htsget serves bgzipped VCF only: compress it with 'bgzip' and index it with 'tabix -p vcf' (or 'bcftools index').");
        }

        if (LooksLikeSam(stream))
        {
            throw new HtsgetRegistrationException(
                $"{path} is SAM text; htsget serves BAM or CRAM only: convert it with 'samtools sort -o FILE.bam' and index it with 'samtools index'.");
        }

        throw new HtsgetRegistrationException($"{path} is not a BAM, CRAM, bgzipped VCF or BCF file.");
    }

    private static string DetectBgzf(Stream stream, string path)
    {
        try
        {
            BgzfBlockScanner.ReadBlockAt(stream, 0);
        }
        catch (HtsFormatException error)
        {
            throw new HtsgetRegistrationException(
                $"{path} is gzip-compressed but not BGZF ({error.Message}); recompress it with 'bgzip' and index it.", error);
        }

        var head = new byte[PeekLength];
        int read;
        try
        {
            stream.Position = 0;
            using var bgzf = new BgzfReadStream(stream, leaveOpen: true);
            read = bgzf.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception error) when (error is HtsFormatException or InvalidDataException)
        {
            throw new HtsgetRegistrationException($"{path} is not readable BGZF: {error.Message}", error);
        }
        finally
        {
            stream.Position = 0;
        }

        var bytes = head.AsSpan(0, read);
        if (bytes.StartsWith("BAM\u0001"u8))
        {
            return Bam;
        }

        if (bytes.StartsWith("BCF\u0002"u8))
        {
            return Bcf;
        }

        if (bytes.StartsWith("##fileformat=VCF"u8))
        {
            return Vcf;
        }

        throw new HtsgetRegistrationException($"{path} is BGZF-compressed but holds neither BAM, BCF nor VCF data.");
    }

    // SAM: header lines starting with '@' and a two-letter record type, or an alignment line of at least 11 tab-separated fields.
    private static bool LooksLikeSam(Stream stream)
    {
        var buffer = new byte[4096];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        var firstLine = text.Split('\n')[0];
        if (firstLine.Length >= 3 && firstLine[0] == '@' && firstLine[3..].StartsWith('\t')
            && firstLine[1..3] is "HD" or "SQ" or "RG" or "PG" or "CO")
        {
            return true;
        }

        return firstLine.Split('\t').Length >= 11;
    }
}
