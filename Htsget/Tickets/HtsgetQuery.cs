using GenomeNode.Htsget.Registration;

namespace GenomeNode.Htsget.Tickets;

/// <summary>
/// One region of a request: a reference (for reads, "*" for the unplaced unmapped reads) and an optional 0-based,
/// half-open range on it.
/// </summary>
public sealed record HtsgetRegion(string ReferenceName, long? Start = null, long? End = null)
{
    /// <summary>The reads endpoint's name for the unplaced unmapped reads.</summary>
    public const string Unplaced = "*";

    public override string ToString() =>
        Start is null && End is null ? ReferenceName : $"{ReferenceName}:{Start ?? 0}-{(End is { } end ? end.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}";
}

/// <summary>
/// A validated ticket request, from a GET query string or a POST body: the format asked for (null: the object's
/// own), whether only the header is wanted, and the regions (null: the whole file). The <c>fields</c>, <c>tags</c>
/// and <c>notags</c> parameters are validated and kept for the audit, and otherwise ignored: the node serves whole
/// records.
/// </summary>
public sealed record HtsgetQuery(HtsgetKind Kind, string? Format = null, bool HeaderOnly = false, IReadOnlyList<HtsgetRegion>? Regions = null)
{
    /// <summary>The <c>fields</c> asked for, null when none were named.</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>The <c>tags</c> asked for, null when none were named.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>The <c>notags</c> asked for, null when none were named.</summary>
    public IReadOnlyList<string>? NoTags { get; init; }

    /// <summary>The <c>encryptionScheme</c> value that asks for the data as one Crypt4GH stream.</summary>
    public const string Crypt4gh = "c4gh";

    /// <summary><see cref="Crypt4gh"/> when the data is asked for as one Crypt4GH stream for the client's key; null for plaintext.</summary>
    public string? EncryptionScheme { get; init; }

    /// <summary>Formats each endpoint serves, its default first.</summary>
    public static IReadOnlyList<string> Formats(HtsgetKind kind) => kind == HtsgetKind.Reads ? ["BAM", "CRAM"] : ["VCF", "BCF"];
}
