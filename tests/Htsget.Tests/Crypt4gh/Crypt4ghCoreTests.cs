using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using GenomeNode.Htsget.Formats.Crypt4gh;

namespace GenomeNode.Htsget.Tests.Crypt4gh;

/// <summary>The C# Crypt4GH core on its own: key files, header refusals, segment arithmetic and slice plans.</summary>
public sealed class Crypt4ghCoreTests
{
    [Fact]
    public void Key_files_round_trip_in_the_reference_tools_armour()
    {
        var keyPair = Crypt4ghKeyPair.Generate();

        var publicText = Crypt4ghKeyFiles.WritePublicKey(keyPair.PublicKey);
        var secretText = Crypt4ghKeyFiles.WritePrivateKey(keyPair, "a comment");

        Assert.StartsWith("-----BEGIN CRYPT4GH PUBLIC KEY-----\n", publicText, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN CRYPT4GH PRIVATE KEY-----\n", secretText, StringComparison.Ordinal);
        Assert.Equal(keyPair.PublicKey.ToArray(), Crypt4ghKeyFiles.ReadPublicKey(publicText));
        var read = Crypt4ghKeyFiles.ReadPrivateKey(secretText);
        Assert.Equal(keyPair.PrivateKey.ToArray(), read.PrivateKey.ToArray());
        Assert.Equal(keyPair.PublicKey.ToArray(), read.PublicKey.ToArray());
    }

    [Fact]
    public void A_passphrase_protected_secret_key_is_refused_naming_its_kdf()
    {
        byte[] blob = [.. "c4gh-v1"u8, .. Field("scrypt"u8), .. Field(new byte[20]), .. Field("chacha20_poly1305"u8), .. Field(new byte[60])];
        var text = $"-----BEGIN CRYPT4GH PRIVATE KEY-----\n{Convert.ToBase64String(blob)}\n-----END CRYPT4GH PRIVATE KEY-----\n";

        var exception = Assert.Throws<Crypt4ghException>(() => Crypt4ghKeyFiles.ReadPrivateKey(text));

        Assert.Contains("protected by a passphrase (kdf scrypt)", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-----BEGIN CRYPT4GH PUBLIC KEY-----\nAAAA\n-----END CRYPT4GH PUBLIC KEY-----\n", "holds 32 bytes")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "Not a Crypt4GH key file")]
    [InlineData("-----BEGIN CRYPT4GH PUBLIC KEY-----\n!!!\n-----END CRYPT4GH PUBLIC KEY-----\n", "not base64")]
    public void A_malformed_public_key_file_is_refused(string text, string message)
    {
        var exception = Assert.Throws<Crypt4ghException>(() => Crypt4ghKeyFiles.ReadPublicKey(text));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_for_another_key_is_refused()
    {
        var stream = Encrypt(new byte[1000], Crypt4ghKeyPair.Generate());

        var exception = Assert.Throws<Crypt4ghException>(() => Crypt4ghHeader.Read(stream, Crypt4ghKeyPair.Generate()));

        Assert.Contains("No Crypt4GH header packet with a data key is addressed to this key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_with_packets_for_two_readers_is_read_by_each_skipping_the_other()
    {
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var (first, second) = (Crypt4ghKeyPair.Generate(), Crypt4ghKeyPair.Generate());
        var forFirst = Header(first.PublicKey, [dataKey]);
        var forSecond = Header(second.PublicKey, [dataKey], [3, 4]);
        byte[] both = [.. forFirst[..12], .. BitConverter.GetBytes(3u), .. forFirst[16..], .. forSecond[16..]];

        var readByFirst = Crypt4ghHeader.Read(new MemoryStream(both), first);
        var readBySecond = Crypt4ghHeader.Read(new MemoryStream(both), second);

        Assert.Equal(dataKey, Assert.Single(readByFirst.DataKeys));
        Assert.Null(readByFirst.EditList);
        Assert.Equal(both.Length, readByFirst.Length);
        Assert.Equal(dataKey, Assert.Single(readBySecond.DataKeys));
        Assert.Equal([3L, 4L], readBySecond.EditList);
    }

    [Theory]
    [InlineData("crypt4gx", 1u, "does not start with \"crypt4gh\"")]
    [InlineData("crypt4gh", 2u, "version 2 is not supported")]
    public void A_wrong_magic_or_version_is_refused(string magic, uint version, string message)
    {
        byte[] header = [.. Encoding.ASCII.GetBytes(magic), .. BitConverter.GetBytes(version), .. BitConverter.GetBytes(0u)];

        var exception = Assert.Throws<Crypt4ghException>(() => Crypt4ghHeader.Read(new MemoryStream(header), Crypt4ghKeyPair.Generate()));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_header_is_refused()
    {
        var reader = Crypt4ghKeyPair.Generate();
        var header = Header(reader.PublicKey, [RandomNumberGenerator.GetBytes(32)]);

        var exception = Assert.Throws<Crypt4ghException>(() => Crypt4ghHeader.Read(new MemoryStream(header[..^5]), reader));

        Assert.Contains("ends before packet 0", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7u, 0u, "unknown type 7")]
    [InlineData(0u, 3u, "data encryption method 3")]
    public void A_packet_of_an_unknown_type_or_data_method_is_refused(uint type, uint method, string message)
    {
        var reader = Crypt4ghKeyPair.Generate();
        var payload = new byte[40];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, type);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), method);

        var exception = Assert.Throws<Crypt4ghException>(() => Crypt4ghHeader.Read(new MemoryStream(SealedHeader(reader.PublicKey, payload, payload)), reader));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_edit_lists_are_refused()
    {
        var reader = Crypt4ghKeyPair.Generate();
        byte[] editList = [.. BitConverter.GetBytes(1u), .. BitConverter.GetBytes(1u), .. BitConverter.GetBytes(5UL)];
        byte[] dataKey = [.. BitConverter.GetBytes(0u), .. BitConverter.GetBytes(0u), .. new byte[32]];

        var exception = Assert.Throws<Crypt4ghException>(() =>
            Crypt4ghHeader.Read(new MemoryStream(SealedHeader(reader.PublicKey, dataKey, editList, editList)), reader));

        Assert.Contains("more than one edit list", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(1L, 29L)]
    [InlineData(65_536L, 65_564L)]
    [InlineData(65_537L, 65_593L)]
    [InlineData(345_315L, 345_483L)]
    public void Encrypted_and_plaintext_lengths_correspond(long plaintext, long encrypted)
    {
        Assert.Equal(encrypted, Crypt4ghSegments.EncryptedLength(plaintext));
        Assert.Equal(plaintext, Crypt4ghSegments.PlaintextLength(encrypted));
    }

    [Theory]
    [InlineData(28L)]
    [InlineData(65_564L + 10)]
    public void A_data_section_ending_in_a_truncated_segment_is_refused(long encrypted) =>
        Assert.Throws<Crypt4ghException>(() => Crypt4ghSegments.PlaintextLength(encrypted));

    [Fact]
    public void A_truncated_last_segment_is_refused_by_the_reader()
    {
        var reader = Crypt4ghKeyPair.Generate();
        var bytes = Encrypt(RandomNumberGenerator.GetBytes(70_000), reader).ToArray();

        using var stream = Crypt4ghDecryptingStream.Open(new MemoryStream(bytes[..^1]), reader);

        Assert.Throws<Crypt4ghException>(() => stream.CopyTo(Stream.Null));
    }

    [Fact]
    public void Random_slice_plans_decrypt_to_exactly_their_ranges()
    {
        var random = new Random(20);
        var reader = Crypt4ghKeyPair.Generate();
        foreach (var length in new[] { 1, 1000, 65_536, 65_537, 200_000, 327_680 })
        {
            var plaintext = new byte[length];
            random.NextBytes(plaintext);
            var file = Encrypt(plaintext, reader).ToArray();
            var header = Crypt4ghHeader.Read(new MemoryStream(file), reader);
            for (var trial = 0; trial < 40; trial++)
            {
                var ranges = RandomRanges(random, length);
                var slice = Crypt4ghSlice.Plan(ranges, length);

                var sent = new MemoryStream();
                foreach (var run in slice.Segments)
                {
                    sent.Write(file, (int)(header.Length + run.EncryptedOffset), (int)run.EncryptedLength);
                }

                Assert.Equal(sent.Length, slice.EncryptedLength);
                sent.Position = 0;
                using var decrypted = new Crypt4ghDecryptingStream(sent, header.DataKeys, slice.EditList);
                var output = new MemoryStream();
                decrypted.CopyTo(output, 777);
                byte[] expected = [.. ranges.SelectMany(range => plaintext[(int)range.Start..(int)range.End])];
                Assert.True(expected.AsSpan().SequenceEqual(output.ToArray()), $"length {length}, ranges {string.Join(' ', ranges)}");
                var segmentsSent = slice.Segments.Sum(run => run.SegmentCount);
                Assert.Equal(segmentsSent, ranges.SelectMany(range => SegmentsOf(range)).Distinct().Count());
            }
        }
    }

    [Fact]
    public void Overlapping_or_empty_ranges_are_refused_by_the_planner()
    {
        Assert.Throws<ArgumentException>(() => Crypt4ghSlice.Plan([new(0, 10), new(5, 20)], 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => Crypt4ghSlice.Plan([new(10, 10)], 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => Crypt4ghSlice.Plan([new(0, 101)], 100));
    }

    private static IEnumerable<long> SegmentsOf(PlaintextRange range)
    {
        for (var segment = range.Start / Crypt4ghSegments.PlaintextSegmentLength; segment <= (range.End - 1) / Crypt4ghSegments.PlaintextSegmentLength; segment++)
        {
            yield return segment;
        }
    }

    private static List<PlaintextRange> RandomRanges(Random random, int length)
    {
        var cuts = Enumerable.Range(0, random.Next(1, 7) * 2).Select(_ => (long)random.Next(0, length + 1)).Order().Distinct().ToList();
        var ranges = new List<PlaintextRange>();
        for (var i = 0; i + 1 < cuts.Count; i += 2)
        {
            ranges.Add(new PlaintextRange(cuts[i], cuts[i + 1]));
        }

        return ranges.Count > 0 ? ranges : [new PlaintextRange(0, length)];
    }

    private static MemoryStream Encrypt(byte[] plaintext, Crypt4ghKeyPair reader)
    {
        var output = new MemoryStream();
        Crypt4ghWriter.Encrypt(new MemoryStream(plaintext), output, reader.PublicKey);
        output.Position = 0;
        return output;
    }

    private static byte[] Header(ReadOnlySpan<byte> recipient, IReadOnlyList<byte[]> dataKeys, IReadOnlyList<long>? editList = null)
    {
        var output = new MemoryStream();
        Crypt4ghHeader.Write(output, recipient, dataKeys, editList);
        return output.ToArray();
    }

    /// <summary>A header whose packets carry the given plaintext payloads, sealed as the spec says, to test what the reader refuses.</summary>
    private static byte[] SealedHeader(ReadOnlySpan<byte> recipient, params byte[][] payloads)
    {
        var writer = Crypt4ghKeyPair.Generate();
        var reader = recipient.ToArray();
        var output = new MemoryStream();
        output.Write("crypt4gh"u8);
        output.Write(BitConverter.GetBytes(1u));
        output.Write(BitConverter.GetBytes((uint)payloads.Length));
        var key = Crypt4ghCipherAccess.SharedKeyAsWriter(writer, reader);
        foreach (var payload in payloads)
        {
            var nonce = RandomNumberGenerator.GetBytes(12);
            var sealedPayload = new byte[payload.Length + 16];
            Crypt4ghCipherAccess.Seal(key, nonce, payload, sealedPayload);
            output.Write(BitConverter.GetBytes((uint)(4 + 4 + 32 + 12 + sealedPayload.Length)));
            output.Write(BitConverter.GetBytes(0u));
            output.Write(writer.PublicKey);
            output.Write(nonce);
            output.Write(sealedPayload);
        }

        output.Position = 0;
        return output.ToArray();
    }

    private static byte[] Field(ReadOnlySpan<byte> value)
    {
        var field = new byte[2 + value.Length];
        BinaryPrimitives.WriteUInt16BigEndian(field, (ushort)value.Length);
        value.CopyTo(field.AsSpan(2));
        return field;
    }
}

/// <summary>The internal cipher helpers, named for what the tests use them for.</summary>
internal static class Crypt4ghCipherAccess
{
    public static byte[] SharedKeyAsWriter(Crypt4ghKeyPair writer, byte[] readerPublicKey) =>
        GenomeNode.Htsget.Formats.Crypt4gh.Crypt4ghCipher.SharedKey(writer, readerPublicKey, ownIsReader: false)!;

    public static void Seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] destination) =>
        GenomeNode.Htsget.Formats.Crypt4gh.Crypt4ghCipher.Seal(key, nonce, plaintext, destination);
}
