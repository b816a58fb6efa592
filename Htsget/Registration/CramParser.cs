using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Registration;

/// <summary>Parses and cross-checks a CRAM file with its CRAI index.</summary>
internal static class CramParser
{
    public static ParsedObject Parse(Stream stream, string path, string indexPath, Func<Stream> openIndex)
    {
        CramLayout layout;
        IReadOnlyList<(string Name, long? Length)> references;
        try
        {
            layout = CramLayout.Read(stream);
            references = CramHeaderReferences.Read(stream, layout);
        }
        catch (Exception error) when (error is HtsFormatException or InvalidDataException or EndOfStreamException)
        {
            throw new HtsgetRegistrationException($"{path} is not a readable CRAM file: {error.Message}", error);
        }

        // A file whose last whole container is not the EOF container is served with a standard EOF container
        // appended (as samtools reads it, with a warning); a container cut short fails CramLayout.Read above.
        if (layout.Containers.Count == 0)
        {
            throw new HtsgetRegistrationException($"{path} holds no CRAM container.");
        }

        IReadOnlyList<CraiEntry> entries;
        try
        {
            using var index = openIndex();
            entries = CraiReader.Read(index);
        }
        catch (Exception error) when (error is HtsFormatException or InvalidDataException or EndOfStreamException)
        {
            throw new HtsgetRegistrationException($"The index {indexPath} of {path} is not a readable CRAI index: {error.Message}", error);
        }

        var containers = layout.DataContainers.ToDictionary(container => container.Offset);
        for (var row = 0; row < entries.Count; row++)
        {
            var entry = entries[row];
            if (!containers.TryGetValue(entry.ContainerOffset, out var container)
                || !container.Header.Landmarks.Contains((int)Math.Min(entry.SliceOffset, int.MaxValue))
                || entry.SliceOffset + entry.SliceSize > container.Header.Length)
            {
                throw new HtsgetRegistrationException(
                    $"The index {indexPath} does not belong to {path}: row {row + 1} points at a slice at byte {entry.ContainerOffset}+{entry.SliceOffset}, where the file has none.");
            }

            if (entry.ReferenceSequenceId >= references.Count)
            {
                throw new HtsgetRegistrationException(
                    $"The index {indexPath} does not belong to {path}: row {row + 1} names reference {entry.ReferenceSequenceId}, the file's header declares {references.Count}.");
            }
        }

        // The header is everything before the first data container; a file without one is all header (up to its
        // EOF container, when it has one).
        var headerEnd = layout.DataContainers.FirstOrDefault()?.Offset
            ?? (layout.EndsWithEofContainer ? layout.Containers[^1].Offset : stream.Length);
        return new ParsedObject
        {
            Format = DataFileFormat.Cram,
            IndexFormat = "CRAI",
            IndexPath = indexPath,
            HeaderEnd = headerEnd,
            EndsWithEof = layout.EndsWithEofContainer,
            References = references,
            IndexReferences = references.Select(reference => reference.Name).ToList(),
            Blocks = layout.Containers.Select(container => new StoredBlock(container.Offset, container.Length, null, container.Header.RecordCount)).ToList(),
            Crai = entries,
        };
    }
}
