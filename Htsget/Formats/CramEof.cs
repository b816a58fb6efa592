namespace GenomeNode.Htsget.Formats;

/// <summary>
/// The CRAM end-of-file container (CRAMv3 §9): an empty container with reference id -1 and alignment start 4542278.
/// Its bytes are fixed per major version, so a stream cut from a file that lacks one can still end properly.
/// </summary>
public static class CramEof
{
    /// <summary>The 38-byte EOF container of CRAM 3.x, as the specification spells it out.</summary>
    public static ReadOnlySpan<byte> Version3 =>
    [
        0x0f, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xe0, 0x45, 0x4f, 0x46, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
        0x05, 0xbd, 0xd9, 0x4f, 0x00, 0x01, 0x00, 0x06, 0x06, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0xee, 0x63, 0x01, 0x4b,
    ];

    /// <summary>The 30-byte EOF container of CRAM 2.1 (no CRC32 fields).</summary>
    public static ReadOnlySpan<byte> Version21 =>
    [
        0x0b, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xe0, 0x45, 0x4f, 0x46, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
        0x00, 0x01, 0x00, 0x06, 0x06, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00,
    ];

    /// <summary>The EOF container of a CRAM version; empty for 2.0 and earlier, which had none.</summary>
    public static ReadOnlySpan<byte> For(byte majorVersion, byte minorVersion) =>
        majorVersion >= 3 ? Version3 : majorVersion == 2 && minorVersion >= 1 ? Version21 : [];
}
