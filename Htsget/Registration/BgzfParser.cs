using System.Globalization;
using System.Text.RegularExpressions;
using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Registration;

/// <summary>Parses and cross-checks a BAM, bgzipped VCF or BCF file with its BAI, CSI or TBI index.</summary>
internal static partial class BgzfParser
{
    public static ParsedObject Parse(Stream stream, string path, string format, string indexPath, Func<Stream> openIndex)
    {
        IReadOnlyList<(string Name, long? Length)> references;
        long headerEnd;
        BgzfLayout layout;
        try
        {
            stream.Position = 0;
            (references, headerEnd) = ReadHeader(stream, format);
            stream.Position = 0;
            layout = BgzfLayout.Read(stream);
        }
        catch (Exception error) when (error is HtsFormatException or InvalidDataException or EndOfStreamException)
        {
            throw new HtsgetRegistrationException($"{path} is not a readable {format} file: {error.Message}", error);
        }

        var index = ReadIndex(indexPath, path, openIndex);
        var indexFormat = index.Format switch
        {
            Formats.IndexFormat.Bai => "BAI",
            Formats.IndexFormat.Csi => "CSI",
            _ => "TBI",
        };
        var allowed = format switch
        {
            DataFileFormat.Bam => indexFormat is "BAI" or "CSI",
            DataFileFormat.Vcf => indexFormat is "TBI" or "CSI",
            _ => indexFormat is "CSI",
        };
        if (!allowed)
        {
            throw new HtsgetRegistrationException($"The index {indexPath} is {indexFormat}, which cannot index {format} file {path}.");
        }

        var indexReferences = IndexReferenceNames(index, references, format, path, indexPath);
        try
        {
            IndexConsistency.Check(index, layout.Blocks);
        }
        catch (HtsFormatException error)
        {
            throw new HtsgetRegistrationException($"The index {indexPath} does not belong to {path}: {error.Message}", error);
        }

        if (headerEnd > (long)new VirtualOffset(layout.CompressedLength, 0).Value)
        {
            throw new HtsgetRegistrationException($"{path} ends inside its header.");
        }

        long? unplaced = format == DataFileFormat.Bam && RegionChunks.UnplacedRecordsStart(index) is { } start ? (long)start.Value : null;
        return new ParsedObject
        {
            Format = format,
            IndexFormat = indexFormat,
            IndexPath = indexPath,
            HeaderEnd = headerEnd,
            EndsWithEof = layout.EndsWithEofMarker,
            MinShift = index.MinShift,
            Depth = index.Depth,
            UnplacedOffset = unplaced,
            References = references,
            IndexReferences = indexReferences,
            Blocks = layout.Blocks.Select(block => new StoredBlock(block.CompressedOffset, block.CompressedSize, block.UncompressedSize, null)).ToList(),
            Index = index,
        };
    }

    private static (IReadOnlyList<(string Name, long? Length)> References, long HeaderEnd) ReadHeader(Stream stream, string format)
    {
        if (format == DataFileFormat.Bam)
        {
            var header = BamHeaderReader.Read(stream);
            return (header.References.Select(reference => (reference.Name, (long?)reference.Length)).ToList(), (long)header.FirstRecordOffset.Value);
        }

        var vcf = format == DataFileFormat.Bcf ? BcfHeaderReader.Read(stream) : VcfHeaderReader.Read(stream);
        var lengths = ContigLengths(vcf.Text);
        return (vcf.ContigNames.Select(name => (name, lengths.TryGetValue(name, out var length) ? length : (long?)null)).ToList(),
            (long)vcf.FirstRecordOffset.Value);
    }

    private static BinningIndex ReadIndex(string indexPath, string path, Func<Stream> openIndex)
    {
        try
        {
            using var stream = openIndex();
            return BinningIndexReader.Read(stream);
        }
        catch (Exception error) when (error is HtsFormatException or InvalidDataException or EndOfStreamException)
        {
            throw new HtsgetRegistrationException($"The index {indexPath} of {path} is not a readable BAI, CSI or TBI index: {error.Message}", error);
        }
    }

    // The names the index's reference ids stand for, refusing an index whose references cannot be the file's.
    private static IReadOnlyList<string> IndexReferenceNames(
        BinningIndex index, IReadOnlyList<(string Name, long? Length)> references, string format, string path, string indexPath)
    {
        if (format == DataFileFormat.Vcf)
        {
            var names = index.Tabix?.SequenceNames
                ?? throw new HtsgetRegistrationException($"The index {indexPath} of {path} has no sequence names (a CSI not built for VCF).");
            if (names.Count != index.References.Count)
            {
                throw new HtsgetRegistrationException(
                    $"The index {indexPath} of {path} names {names.Count} sequences but indexes {index.References.Count}.");
            }

            var declared = references.Select(reference => reference.Name).ToHashSet(StringComparer.Ordinal);
            var unknown = names.FirstOrDefault(name => declared.Count > 0 && !declared.Contains(name));
            if (unknown is not null)
            {
                throw new HtsgetRegistrationException(
                    $"The index {indexPath} does not belong to {path}: it indexes sequence '{unknown}', which the file's header does not declare.");
            }

            return names;
        }

        if (index.References.Count != references.Count)
        {
            throw new HtsgetRegistrationException(
                $"The index {indexPath} does not belong to {path}: it indexes {index.References.Count} references, the file's header declares {references.Count}.");
        }

        return references.Select(reference => reference.Name).ToList();
    }

    private static Dictionary<string, long> ContigLengths(string headerText)
    {
        var lengths = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in headerText.Split('\n'))
        {
            if (!line.StartsWith("##contig=<", StringComparison.Ordinal))
            {
                continue;
            }

            var id = ContigId().Match(line);
            var length = ContigLength().Match(line);
            if (id.Success && length.Success
                && long.TryParse(length.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                lengths.TryAdd(id.Groups[1].Value, value);
            }
        }

        return lengths;
    }

    [GeneratedRegex("[<,]ID=([^,>]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ContigId();

    [GeneratedRegex("[<,]length=([0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ContigLength();
}
