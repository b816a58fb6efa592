using GenomeNode.Htsget.Formats.Crypt4gh;
using GenomeNode.Htsget.Tests.Formats;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Crypt4gh;

/// <summary>
/// The C# Crypt4GH core against an independent implementation (crypt4gh_reference.py over python3-nacl), on real
/// BAM and CRAM files from Debian's samtools-test: each side decrypts what the other encrypted, and a header
/// re-wrapped for a new reader over the original segments decrypts to exactly the requested slices.
/// </summary>
public sealed class Crypt4ghInteropTests : IDisposable
{
    public static TheoryData<string> RealFiles => new()
    {
        "mpileup/ce#large_seq.bam",            // 345,315 bytes: six segments, the last one short
        "mpileup/mpileup.1.bam",               // 71,637 bytes: two segments
        "quickcheck/6.quickcheck.cram21.ok.cram",
    };

    private readonly TemporaryDirectory _directory = new("crypt4gh");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [MemberData(nameof(RealFiles))]
    public void A_file_the_reference_encrypts_for_our_key_decrypts_to_the_original(string name)
    {
        var original = TestFiles.SamtoolsFile(name);
        var node = Crypt4ghKeyPair.Generate();
        var publicKeyFile = _directory.Combine("node.pub");
        File.WriteAllText(publicKeyFile, Crypt4ghKeyFiles.WritePublicKey(node.PublicKey));
        var encrypted = _directory.Combine("file.c4gh");
        Crypt4ghReference.Encrypt(publicKeyFile, original, encrypted);

        Assert.Equal(File.ReadAllBytes(original), DecryptWithCSharp(encrypted, node));
    }

    [Theory]
    [MemberData(nameof(RealFiles))]
    public void A_file_we_encrypt_for_the_reference_key_decrypts_there_to_the_original(string name)
    {
        var original = TestFiles.SamtoolsFile(name);
        var (secretKeyFile, publicKeyFile) = ReferenceKeys("reader");
        var encrypted = _directory.Combine("file.c4gh");
        using (var input = File.OpenRead(original))
        using (var output = File.Create(encrypted))
        {
            Crypt4ghWriter.Encrypt(input, output, Crypt4ghKeyFiles.ReadPublicKey(File.ReadAllText(publicKeyFile)));
        }

        Assert.Equal(Crypt4ghSegments.EncryptedLength(new FileInfo(original).Length), new FileInfo(encrypted).Length - HeaderLength(encrypted));
        var decrypted = _directory.Combine("file.decrypted");
        Crypt4ghReference.Decrypt(secretKeyFile, encrypted, decrypted);
        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(decrypted));
    }

    [Fact]
    public void A_secret_key_file_the_reference_writes_is_read_and_gives_its_public_key()
    {
        var (secretKeyFile, publicKeyFile) = ReferenceKeys("reader");

        var keyPair = Crypt4ghKeyFiles.ReadPrivateKey(File.ReadAllText(secretKeyFile));

        Assert.Equal(Crypt4ghKeyFiles.ReadPublicKey(File.ReadAllText(publicKeyFile)), keyPair.PublicKey.ToArray());
    }

    [Fact]
    public void An_edit_list_the_reference_writes_is_applied_by_our_reader()
    {
        var original = TestFiles.SamtoolsFile("mpileup/ce#large_seq.bam");
        var node = Crypt4ghKeyPair.Generate();
        var publicKeyFile = _directory.Combine("node.pub");
        File.WriteAllText(publicKeyFile, Crypt4ghKeyFiles.WritePublicKey(node.PublicKey));
        var encrypted = _directory.Combine("file.c4gh");
        long[] editList = [100, 7000, 70_000, 65_536, 1, 3];
        Crypt4ghReference.Encrypt(publicKeyFile, original, encrypted, editList);

        var plaintext = File.ReadAllBytes(original);
        byte[] expected = [.. plaintext.AsSpan(100, 7000), .. plaintext.AsSpan(77_100, 65_536), .. plaintext.AsSpan(142_637, 3)];
        Assert.Equal(expected, DecryptWithCSharp(encrypted, node));
    }

    /// <summary>Slices as htsget plans them: the file's header, body ranges (some sharing a segment), and its EOF block.</summary>
    public static TheoryData<string, long[]> Slices => new()
    {
        { "header, one body range and the last 28 bytes", [0, 7853, 100_000, 250_000, -28, 0] },
        { "two ranges inside one segment", [70_000, 70_010, 70_020, 131_072] },
        { "segment-aligned whole segments", [65_536, 196_608] },
        { "one byte in the short last segment", [-1, 0] },
        { "ranges ending and starting in the same segment", [1, 65_600, 65_700, 200_000, 200_001, 300_000] },
        { "the whole file", [0, 0] },
    };

    [Theory]
    [MemberData(nameof(Slices))]
    public void A_header_rewrapped_for_a_requester_over_the_original_segments_decrypts_there_to_exactly_the_slices(string description, long[] bounds)
    {
        _ = description;
        var original = TestFiles.SamtoolsFile("mpileup/ce#large_seq.bam");
        var plaintext = File.ReadAllBytes(original);
        var ranges = ToRanges(bounds, plaintext.Length);
        var node = Crypt4ghKeyPair.Generate();
        var atRest = _directory.Combine("at-rest.c4gh");
        File.WriteAllText(_directory.Combine("node.pub"), Crypt4ghKeyFiles.WritePublicKey(node.PublicKey));
        Crypt4ghReference.Encrypt(_directory.Combine("node.pub"), original, atRest);
        var (requesterSecretKeyFile, requesterPublicKeyFile) = ReferenceKeys("requester");

        var served = _directory.Combine("served.c4gh");
        using (var file = File.OpenRead(atRest))
        using (var output = File.Create(served))
        {
            var header = Crypt4ghHeader.Read(file, node);
            var dataLength = file.Length - header.Length;
            var slice = Crypt4ghSlice.Plan(ranges, Crypt4ghSegments.PlaintextLength(dataLength));
            Crypt4ghHeader.Write(output, Crypt4ghKeyFiles.ReadPublicKey(File.ReadAllText(requesterPublicKeyFile)), header.DataKeys, slice.EditList);
            foreach (var run in slice.Segments)
            {
                file.Position = header.Length + run.EncryptedOffset;
                CopyExactly(file, output, run.EncryptedLength);
            }
        }

        var decrypted = _directory.Combine("served.decrypted");
        Crypt4ghReference.Decrypt(requesterSecretKeyFile, served, decrypted);
        byte[] expected = [.. ranges.SelectMany(range => plaintext[(int)range.Start..(int)range.End])];
        Assert.Equal(expected, File.ReadAllBytes(decrypted));
    }

    [Fact]
    public void A_flipped_byte_in_a_segment_is_refused_by_both_readers_and_our_reader_returns_none_of_that_segment()
    {
        var original = TestFiles.SamtoolsFile("mpileup/ce#large_seq.bam");
        var node = Crypt4ghKeyPair.Generate();
        var encrypted = _directory.Combine("file.c4gh");
        using (var input = File.OpenRead(original))
        using (var output = File.Create(encrypted))
        {
            Crypt4ghWriter.Encrypt(input, output, node.PublicKey);
        }

        var bytes = File.ReadAllBytes(encrypted);
        var headerLength = HeaderLength(encrypted);
        bytes[headerLength + Crypt4ghSegments.EncryptedSegmentLength + 5000] ^= 0x01; // in segment 1's ciphertext
        File.WriteAllBytes(encrypted, bytes);

        using var stream = Crypt4ghDecryptingStream.Open(new MemoryStream(bytes), node);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        var exception = Assert.Throws<Crypt4ghException>(() =>
        {
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        });
        Assert.Contains("segment 1 fails authentication", exception.Message, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(original).AsSpan(0, Crypt4ghSegments.PlaintextSegmentLength).ToArray(), received.ToArray());

        var (secretKeyFile, _) = WriteKeys("node", node);
        var (exitCode, error) = Crypt4ghReference.TryDecrypt(secretKeyFile, encrypted, _directory.Combine("out"));
        Assert.Equal(2, exitCode);
        Assert.Contains("segment 1 fails authentication", error, StringComparison.Ordinal);
    }

    private (string SecretKeyFile, string PublicKeyFile) ReferenceKeys(string name)
    {
        var secretKeyFile = _directory.Combine(name + ".sec");
        var publicKeyFile = _directory.Combine(name + ".pub");
        Crypt4ghReference.KeyGen(secretKeyFile, publicKeyFile);
        return (secretKeyFile, publicKeyFile);
    }

    private (string SecretKeyFile, string PublicKeyFile) WriteKeys(string name, Crypt4ghKeyPair keyPair)
    {
        var secretKeyFile = _directory.Combine(name + ".sec");
        var publicKeyFile = _directory.Combine(name + ".pub");
        File.WriteAllText(secretKeyFile, Crypt4ghKeyFiles.WritePrivateKey(keyPair, "test"));
        File.WriteAllText(publicKeyFile, Crypt4ghKeyFiles.WritePublicKey(keyPair.PublicKey));
        return (secretKeyFile, publicKeyFile);
    }

    private static byte[] DecryptWithCSharp(string encrypted, Crypt4ghKeyPair reader)
    {
        using var stream = Crypt4ghDecryptingStream.Open(File.OpenRead(encrypted), reader);
        var output = new MemoryStream();
        stream.CopyTo(output, 1000); // an odd buffer size: reads cross segment and edit boundaries
        return output.ToArray();
    }

    private static int HeaderLength(string crypt4gh)
    {
        // Our reader needs a key to find the header's end; the packet lengths alone give it.
        using var file = File.OpenRead(crypt4gh);
        var preamble = new byte[16];
        file.ReadExactly(preamble);
        var count = BitConverter.ToUInt32(preamble, 12);
        var position = 16;
        var length = new byte[4];
        for (var i = 0; i < count; i++)
        {
            file.ReadExactly(length);
            var packetLength = (int)BitConverter.ToUInt32(length);
            position += packetLength;
            file.Position = position;
        }

        return position;
    }

    /// <summary>Pairs of bounds; a bound of 0 or less as an end, or negative as a start, counts from the end of the file.</summary>
    private static List<PlaintextRange> ToRanges(long[] bounds, long length) =>
        [.. bounds.Chunk(2).Select(pair => new PlaintextRange(pair[0] < 0 ? length + pair[0] : pair[0], pair[1] <= 0 ? length + pair[1] : pair[1]))];

    private static void CopyExactly(Stream source, Stream destination, long count)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            Assert.True(read > 0, "the stored file ended inside a planned segment run");
            destination.Write(buffer, 0, read);
            count -= read;
        }
    }
}
