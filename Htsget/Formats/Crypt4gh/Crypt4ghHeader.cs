using System.Buffers.Binary;
using System.Security.Cryptography;

namespace GenomeNode.Htsget.Formats.Crypt4gh;

/// <summary>
/// What a reader learns from a Crypt4GH v1 header: the data keys of the packets addressed to it, the edit list if
/// one was sent, and the header's length (where the data section starts).
/// </summary>
public sealed record Crypt4ghHeader(IReadOnlyList<byte[]> DataKeys, IReadOnlyList<long>? EditList, long Length)
{
    public static ReadOnlySpan<byte> Magic => "crypt4gh"u8;

    public const int Version = 1;

    /// <summary>A bound on one packet so a hostile header cannot make the reader allocate without limit.</summary>
    public const int MaxPacketLength = 1 << 20;

    /// <summary>A bound on the packet count, for the same reason.</summary>
    public const int MaxPacketCount = 1024;

    private const uint X25519ChaCha20IetfPoly1305 = 0;
    private const uint DataEncryptionParameters = 0;
    private const uint DataEditList = 1;
    private const uint ChaCha20IetfPoly1305 = 0;
    private const int PacketPreamble = 4 + 4 + Crypt4ghKeyPair.KeyLength + Crypt4ghCipher.NonceLength;

    /// <summary>
    /// Reads the header at the stream's position and decrypts the packets addressed to <paramref name="reader"/>;
    /// packets for other readers (or in methods this node does not know) are skipped, as the spec asks. Refuses a
    /// malformed header, a decrypted packet of an unknown type or method, two edit lists, or no data key at all.
    /// </summary>
    public static Crypt4ghHeader Read(Stream stream, Crypt4ghKeyPair reader)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> preamble = stackalloc byte[16];
        ReadExactly(stream, preamble, 0, "its magic, version and packet count");
        if (!preamble[..8].SequenceEqual(Magic))
        {
            throw new Crypt4ghException("Not a Crypt4GH file: it does not start with \"crypt4gh\"", 0);
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        if (version != Version)
        {
            throw new Crypt4ghException($"Crypt4GH version {version} is not supported (only {Version})", 8);
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(preamble[12..]);
        if (count > MaxPacketCount)
        {
            throw new Crypt4ghException($"A Crypt4GH header of {count} packets is more than the {MaxPacketCount} this node reads", 12);
        }

        long position = 16;
        var dataKeys = new List<byte[]>();
        IReadOnlyList<long>? editList = null;
        uint? dataMethod = null;
        Span<byte> lengthBytes = stackalloc byte[4];
        for (var packet = 0; packet < count; packet++)
        {
            ReadExactly(stream, lengthBytes, position, $"packet {packet}'s length");
            var packetLength = BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
            if (packetLength < 8 || packetLength > MaxPacketLength)
            {
                throw new Crypt4ghException($"Crypt4GH header packet {packet} has an impossible length {packetLength}", position);
            }

            var body = new byte[packetLength - 4];
            ReadExactly(stream, body, position + 4, $"packet {packet}");
            var payload = TryDecryptPacket(body, reader);
            if (payload is not null)
            {
                ParsePayload(payload, packet, position, dataKeys, ref editList, ref dataMethod);
            }

            position += packetLength;
        }

        if (dataKeys.Count == 0)
        {
            throw new Crypt4ghException("No Crypt4GH header packet with a data key is addressed to this key");
        }

        return new Crypt4ghHeader(dataKeys, editList, position);
    }

    /// <summary>
    /// Writes a header for <paramref name="recipientPublicKey"/>: one data encryption parameters packet per data key
    /// and, when given, one edit list packet, each encrypted with the writer's key pair (a fresh one when null).
    /// With the original encrypted segments after it, this re-wraps a file for a new reader without re-encrypting data.
    /// </summary>
    public static void Write(Stream output, ReadOnlySpan<byte> recipientPublicKey, IReadOnlyList<byte[]> dataKeys,
        IReadOnlyList<long>? editList = null, Crypt4ghKeyPair? writer = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(dataKeys);
        if (recipientPublicKey.Length != Crypt4ghKeyPair.KeyLength)
        {
            throw new ArgumentException($"An X25519 public key is {Crypt4ghKeyPair.KeyLength} bytes", nameof(recipientPublicKey));
        }

        if (dataKeys.Count == 0 || dataKeys.Any(key => key.Length != Crypt4ghCipher.KeyLength))
        {
            throw new ArgumentException($"At least one data key of {Crypt4ghCipher.KeyLength} bytes", nameof(dataKeys));
        }

        if (editList is not null && (editList.Count == 0 || editList.Any(length => length < 0)))
        {
            throw new ArgumentException("An edit list holds one or more non-negative lengths", nameof(editList));
        }

        writer ??= Crypt4ghKeyPair.Generate();
        var sharedKey = Crypt4ghCipher.SharedKey(writer, recipientPublicKey, ownIsReader: false)
            ?? throw new ArgumentException("The recipient's public key is a low-order point", nameof(recipientPublicKey));
        var payloads = dataKeys.Select(DataKeyPayload).ToList();
        if (editList is not null)
        {
            payloads.Add(EditListPayload(editList));
        }

        Span<byte> preamble = stackalloc byte[16];
        Magic.CopyTo(preamble);
        BinaryPrimitives.WriteUInt32LittleEndian(preamble[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(preamble[12..], (uint)payloads.Count);
        output.Write(preamble);
        foreach (var payload in payloads)
        {
            var packet = new byte[PacketPreamble + payload.Length + Crypt4ghCipher.MacLength];
            BinaryPrimitives.WriteUInt32LittleEndian(packet, (uint)packet.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(4), X25519ChaCha20IetfPoly1305);
            writer.PublicKey.CopyTo(packet.AsSpan(8));
            var nonce = packet.AsSpan(8 + Crypt4ghKeyPair.KeyLength, Crypt4ghCipher.NonceLength);
            RandomNumberGenerator.Fill(nonce);
            Crypt4ghCipher.Seal(sharedKey, nonce, payload, packet.AsSpan(PacketPreamble));
            output.Write(packet);
            CryptographicOperations.ZeroMemory(payload);
        }

        CryptographicOperations.ZeroMemory(sharedKey);
    }

    private static byte[]? TryDecryptPacket(byte[] body, Crypt4ghKeyPair reader)
    {
        // body: method(4) writer key(32) nonce(12) ciphertext MAC(16)
        var method = BinaryPrimitives.ReadUInt32LittleEndian(body);
        if (method != X25519ChaCha20IetfPoly1305 || body.Length < PacketPreamble - 4 + Crypt4ghCipher.MacLength + 4)
        {
            return null;
        }

        var writerPublicKey = body.AsSpan(4, Crypt4ghKeyPair.KeyLength);
        var nonce = body.AsSpan(4 + Crypt4ghKeyPair.KeyLength, Crypt4ghCipher.NonceLength);
        var sealedData = body.AsSpan(PacketPreamble - 4);
        var sharedKey = Crypt4ghCipher.SharedKey(reader, writerPublicKey, ownIsReader: true);
        if (sharedKey is null)
        {
            return null;
        }

        var payload = new byte[sealedData.Length - Crypt4ghCipher.MacLength];
        var opened = Crypt4ghCipher.TryOpen(sharedKey, nonce, sealedData, payload);
        CryptographicOperations.ZeroMemory(sharedKey);
        return opened ? payload : null;
    }

    private static void ParsePayload(byte[] payload, int packet, long position, List<byte[]> dataKeys,
        ref IReadOnlyList<long>? editList, ref uint? dataMethod)
    {
        var type = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        switch (type)
        {
            case DataEncryptionParameters:
                if (payload.Length < 8)
                {
                    throw new Crypt4ghException($"Crypt4GH header packet {packet} is too short for its data encryption method", position);
                }

                var method = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(4));
                if (method != ChaCha20IetfPoly1305)
                {
                    throw new Crypt4ghException($"Crypt4GH header packet {packet} names data encryption method {method}; only chacha20_ietf_poly1305 (0) is supported", position);
                }

                if (dataMethod is not null && dataMethod != method)
                {
                    throw new Crypt4ghException("Crypt4GH data keys of different encryption methods", position);
                }

                if (payload.Length < 8 + Crypt4ghCipher.KeyLength)
                {
                    throw new Crypt4ghException($"Crypt4GH header packet {packet} is too short for its data key", position);
                }

                dataMethod = method;
                dataKeys.Add(payload.AsSpan(8, Crypt4ghCipher.KeyLength).ToArray());
                CryptographicOperations.ZeroMemory(payload);
                break;
            case DataEditList:
                if (editList is not null)
                {
                    throw new Crypt4ghException("A Crypt4GH header with more than one edit list", position);
                }

                editList = ParseEditList(payload, packet, position);
                break;
            default:
                throw new Crypt4ghException($"Crypt4GH header packet {packet} is of unknown type {type}", position);
        }
    }

    private static List<long> ParseEditList(byte[] payload, int packet, long position)
    {
        if (payload.Length < 8)
        {
            throw new Crypt4ghException($"Crypt4GH edit list packet {packet} is too short for its length count", position);
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(4));
        if (count == 0 || count > (payload.Length - 8) / 8)
        {
            throw new Crypt4ghException($"Crypt4GH edit list packet {packet} claims {count} lengths in {payload.Length - 8} bytes", position);
        }

        var lengths = new List<long>((int)count);
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadUInt64LittleEndian(payload.AsSpan(8 + (i * 8)));
            if (length > long.MaxValue)
            {
                throw new Crypt4ghException($"Crypt4GH edit list packet {packet} holds an impossible length {length}", position);
            }

            lengths.Add((long)length);
        }

        return lengths;
    }

    private static byte[] DataKeyPayload(byte[] dataKey)
    {
        var payload = new byte[8 + Crypt4ghCipher.KeyLength];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, DataEncryptionParameters);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), ChaCha20IetfPoly1305);
        dataKey.CopyTo(payload, 8);
        return payload;
    }

    private static byte[] EditListPayload(IReadOnlyList<long> editList)
    {
        var payload = new byte[8 + (8 * editList.Count)];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, DataEditList);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), (uint)editList.Count);
        for (var i = 0; i < editList.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(8 + (i * 8)), (ulong)editList[i]);
        }

        return payload;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, long position, string what)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) != buffer.Length)
        {
            throw new Crypt4ghException($"The Crypt4GH header ends before {what}", position);
        }
    }
}
