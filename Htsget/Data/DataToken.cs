using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace GenomeNode.Htsget.Data;

/// <summary>A byte range of a registered object's file: what one data URL of a ticket serves.</summary>
public readonly record struct DataRange(string ObjectId, long Offset, long Length)
{
    public long End => Offset + Length;
}

/// <summary>What a data URL's range is of, and how its bytes travel.</summary>
public enum DataDelivery : byte
{
    /// <summary>Bytes of the file's plaintext (decrypted on the fly from a Crypt4GH file; a Crypt4GH stream of them for a client that sends its key).</summary>
    Plaintext = 0,

    /// <summary>Bytes of the stored Crypt4GH file as they are (whole encrypted segments of a ticket's Crypt4GH stream).</summary>
    Stored = 1,

    /// <summary>Plaintext bytes encrypted in segments with the ticket's data key, the last segment padded to 64 KiB (a part of a ticket's Crypt4GH stream).</summary>
    Encrypted = 2,

    /// <summary>As <see cref="Encrypted"/>, for the stream's last part: its last segment is not padded.</summary>
    EncryptedLast = 3,
}

/// <summary>
/// The claims a data-URL token carries: which bytes of which object, delivered how, until when, for which ticket (so
/// the audit links a fetch to the ticket and caller it was issued to); and the signature over them. A parsed token is
/// not yet trusted: <see cref="DataTokenSigner.IsAuthentic"/> checks the signature.
/// </summary>
public sealed record DataToken(DataRange Range, DateTimeOffset Expires, ReadOnlyMemory<byte> Signature, string? Ticket = null, DataDelivery Delivery = DataDelivery.Plaintext)
{
    /// <summary>Longest token text accepted; longer input is not even decoded.</summary>
    public const int MaxLength = 1024;

    /// <summary>Longest ticket id a token carries.</summary>
    public const int MaxTicketLength = 64;

    private const byte Version = 3;
    private const int FixedPayloadLength = 1 + 1 + 8 + 8 + 8 + 1;

    /// <summary>Reads a token's claims without checking its signature; false for anything that is not a well-formed token.</summary>
    public static bool TryParse(string? text, out DataToken token)
    {
        token = null!;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot != text.LastIndexOf('.') || !TryDecode(text.AsSpan(0, dot), out var payload)
            || !TryDecode(text.AsSpan(dot + 1), out var signature) || signature.Length != DataTokenSigner.SignatureLength)
        {
            return false;
        }

        if (payload.Length <= FixedPayloadLength || payload[0] != Version)
        {
            return false;
        }

        var delivery = (DataDelivery)payload[1];
        var expires = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(2));
        var offset = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(10));
        var length = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(18));
        var ticketLength = payload[26];
        if (!Enum.IsDefined(delivery) || ticketLength > MaxTicketLength || payload.Length <= FixedPayloadLength + ticketLength)
        {
            return false;
        }

        string objectId;
        string? ticket;
        try
        {
            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
            ticket = ticketLength == 0 ? null : strict.GetString(payload, FixedPayloadLength, ticketLength);
            objectId = strict.GetString(payload, FixedPayloadLength + ticketLength, payload.Length - FixedPayloadLength - ticketLength);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        if (offset < 0 || length <= 0 || offset > long.MaxValue - length
            || expires < DateTimeOffset.MinValue.ToUnixTimeSeconds() || expires > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        // Encrypted parts take their data key from the ticket: they cannot exist without one.
        if (delivery is DataDelivery.Encrypted or DataDelivery.EncryptedLast && ticket is null)
        {
            return false;
        }

        token = new DataToken(new DataRange(objectId, offset, length), DateTimeOffset.FromUnixTimeSeconds(expires), signature, ticket, delivery);
        return true;
    }

    /// <summary>The bytes the signature covers.</summary>
    internal static byte[] Payload(DataRange range, DateTimeOffset expires, string? ticket, DataDelivery delivery)
    {
        var id = Encoding.UTF8.GetBytes(range.ObjectId);
        var ticketBytes = Encoding.UTF8.GetBytes(ticket ?? "");
        if (ticketBytes.Length > MaxTicketLength)
        {
            throw new ArgumentException($"A ticket id is at most {MaxTicketLength} bytes.", nameof(ticket));
        }

        var payload = new byte[FixedPayloadLength + ticketBytes.Length + id.Length];
        payload[0] = Version;
        payload[1] = (byte)delivery;
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(2), expires.ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(10), range.Offset);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(18), range.Length);
        payload[26] = (byte)ticketBytes.Length;
        ticketBytes.CopyTo(payload.AsSpan(FixedPayloadLength));
        id.CopyTo(payload.AsSpan(FixedPayloadLength + ticketBytes.Length));
        return payload;
    }

    internal static string Format(byte[] payload, byte[] signature) =>
        $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(signature)}";

    private static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty)
        {
            return false;
        }

        if (GenomeNode.Shared.StrictBase64Url.Decode(text) is not { } decoded)
        {
            return false;
        }

        bytes = decoded;
        // Only the canonical encoding is a token: no two texts stand for the same claims.
        return Base64Url.EncodeToString(bytes).AsSpan().SequenceEqual(text);
    }
}

/// <summary>
/// Signs and checks data-URL tokens with HMAC-SHA256 under the node's key. The signature also covers the object's
/// version (its registered SHA-256), so re-registering an object voids the data URLs issued for the old file.
/// </summary>
public sealed class DataTokenSigner
{
    public const int SignatureLength = 32;

    private static readonly byte[] Domain = "genome-node htsget data url\0"u8.ToArray();
    private static readonly byte[] TicketKeyDomain = "genome-node htsget ticket crypt4gh data key\0"u8.ToArray();

    private readonly byte[] key;

    public DataTokenSigner(ReadOnlySpan<byte> key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("A data-URL signing key must be at least 32 bytes.", nameof(key));
        }

        this.key = key.ToArray();
    }

    /// <summary>
    /// A token for <paramref name="range"/> of the object at <paramref name="objectVersion"/>, valid until
    /// <paramref name="expires"/> (whole seconds), issued with <paramref name="ticket"/>.
    /// </summary>
    public string Create(DataRange range, string objectVersion, DateTimeOffset expires, string? ticket = null, DataDelivery delivery = DataDelivery.Plaintext)
    {
        ArgumentNullException.ThrowIfNull(range.ObjectId);
        ArgumentNullException.ThrowIfNull(objectVersion);
        ArgumentOutOfRangeException.ThrowIfNegative(range.Offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(range.Length);
        if (delivery is DataDelivery.Encrypted or DataDelivery.EncryptedLast)
        {
            ArgumentNullException.ThrowIfNull(ticket);
        }

        var payload = DataToken.Payload(range, expires, ticket, delivery);
        return DataToken.Format(payload, Sign(payload, objectVersion));
    }

    /// <summary>True when the token's signature is this key's over its claims and <paramref name="objectVersion"/>.</summary>
    public bool IsAuthentic(DataToken token, string objectVersion)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(objectVersion);
        var expected = Sign(DataToken.Payload(token.Range, token.Expires, token.Ticket, token.Delivery), objectVersion);
        return CryptographicOperations.FixedTimeEquals(expected, token.Signature.Span);
    }

    /// <summary>
    /// The Crypt4GH data key of a ticket's encrypted parts: derived from this key and the ticket id, so the ticket's
    /// header and each of its data URLs agree on it without storing it anywhere.
    /// </summary>
    public byte[] TicketDataKey(string ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        byte[] message = [.. TicketKeyDomain, .. Encoding.UTF8.GetBytes(ticket)];
        return HMACSHA256.HashData(key, message);
    }

    private byte[] Sign(byte[] payload, string objectVersion)
    {
        var version = Encoding.UTF8.GetBytes(objectVersion);
        var message = new byte[Domain.Length + 4 + payload.Length + version.Length];
        Domain.CopyTo(message, 0);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(Domain.Length), payload.Length);
        payload.CopyTo(message, Domain.Length + 4);
        version.CopyTo(message, Domain.Length + 4 + payload.Length);
        return HMACSHA256.HashData(key, message);
    }
}
