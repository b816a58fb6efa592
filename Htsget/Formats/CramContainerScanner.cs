namespace GenomeNode.Htsget.Formats;

/// <summary>
/// Lists the containers of a CRAM file by reading each container header and seeking over its blocks; no block is
/// read or decompressed.
/// </summary>
public static class CramContainerScanner
{
    // Container headers are tens of bytes; only a long landmark list needs more. Anything past this is not CRAM.
    private const int InitialHeaderRead = 256;
    private const int MaxHeaderLength = 1 << 24;

    /// <summary>
    /// Yields every container after the file definition, lazily. Throws <see cref="HtsFormatException"/> with the
    /// container's offset when a header is malformed or a container runs past the end of the file.
    /// </summary>
    public static IEnumerable<CramContainer> Scan(Stream stream, CramFileDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(definition);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("Listing CRAM containers needs a readable, seekable stream.", nameof(stream));
        }

        return ScanFrom(stream, definition.MajorVersion);
    }

    private static IEnumerable<CramContainer> ScanFrom(Stream stream, int majorVersion)
    {
        var fileLength = stream.Length;
        for (long offset = CramFileDefinition.Length; offset < fileLength;)
        {
            var container = ReadContainer(stream, offset, fileLength, majorVersion);
            yield return container;
            offset = container.End;
        }
    }

    private static CramContainer ReadContainer(Stream stream, long offset, long fileLength, int majorVersion)
    {
        var available = fileLength - offset;
        for (var size = (int)Math.Min(InitialHeaderRead, available); ; size = (int)Math.Min((long)size * 2, available))
        {
            var bytes = new byte[size];
            stream.Position = offset;
            stream.ReadExactly(bytes);
            if (CramContainerHeader.TryParse(bytes, majorVersion, offset, out var header, out var headerLength))
            {
                var container = new CramContainer(offset, headerLength, header!);
                if (container.End > fileLength)
                {
                    throw new HtsFormatException(
                        $"Truncated CRAM file: container of {container.Length} bytes ends past the end of the file ({fileLength} bytes)",
                        offset);
                }

                return container;
            }

            if (size == available || size >= MaxHeaderLength)
            {
                throw new HtsFormatException("Truncated CRAM file: incomplete container header", offset);
            }
        }
    }
}
