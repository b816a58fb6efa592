using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Tests;

namespace GenomeNode.Beacon.Tests;

/// <summary>The reading side of VCF ingest: gzip (BGZF or not, inflated with GZipStream) and plain text, chunked into whole lines.</summary>
public sealed class VcfLineSourceTests : IDisposable
{
    /// <summary>Larger than a BGZF block (64 KiB), so chunks end between and inside blocks.</summary>
    private const int SmallChunk = 100_000;

    private readonly TemporaryDirectory files = new("genome-node-lines");

    public void Dispose() => files.Dispose();

    /// <summary>Lines of 1 to 3,000 characters, fixed seed; about <paramref name="lines"/> x 1.5 KB.</summary>
    private static string Lines(int lines, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            text.Append("line ").Append(i).Append('\t');
            var length = random.Next(1, 3000);
            for (var j = 0; j < length; j++)
            {
                text.Append((char)('A' + random.Next(26)));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private string WriteText(string name, string text)
    {
        var path = files.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Bgzip(string name, string text)
    {
        var plain = WriteText(name + ".txt", text);
        var path = files.Combine(name);
        Tools.Shell($"bgzip -c {Tools.Quote(plain)} > {Tools.Quote(path)}");
        return path;
    }

    private string Gzip(string name, params string[] members)
    {
        var path = files.Combine(name);
        using var file = File.Create(path);
        foreach (var member in members)
        {
            using var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
            gzip.Write(Encoding.UTF8.GetBytes(member));
        }

        return path;
    }

    /// <summary>Every chunk's text, checking that each ends with a whole line (the last may lack its newline).</summary>
    private static (string Text, int Chunks) ReadAll(VcfLineSource source)
    {
        var chunks = new List<string>();
        while (source.TryNext(out var chunk))
        {
            chunks.Add(Encoding.UTF8.GetString(chunk.Span));
        }

        for (var i = 0; i < chunks.Count - 1; i++)
        {
            Assert.EndsWith("\n", chunks[i], StringComparison.Ordinal);
        }

        Assert.DoesNotContain(chunks, chunk => chunk.Length == 0);
        return (string.Concat(chunks), chunks.Count);
    }

    private static string FileSha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The byte offset of every BGZF block, from each block's BSIZE.</summary>
    private static List<int> BlockOffsets(byte[] bgzf)
    {
        var offsets = new List<int>();
        for (var offset = 0; offset < bgzf.Length; offset += BinaryPrimitives.ReadUInt16LittleEndian(bgzf.AsSpan(offset + 16)) + 1)
        {
            offsets.Add(offset);
        }

        return offsets;
    }

    /// <summary>The IOException the parser's side gets (the ingest reports it as "FILE could not be read: ..."), within a minute.</summary>
    private static IOException ReadFails(string path)
    {
        using var source = new VcfLineSource(path, chunkSize: SmallChunk);
        var reading = Task.Run(() =>
        {
            while (source.TryNext(out _))
            {
            }
        });
        Assert.True(((IAsyncResult)reading).AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(1)), "the reader hangs");
        return Assert.IsType<IOException>(reading.Exception?.InnerException);
    }

    [Fact]
    public void BGZF_of_many_blocks_is_read_into_chunks_of_whole_lines_with_the_file_hash()
    {
        var text = Lines(2000, seed: 1);
        var path = Bgzip("many.vcf.gz", text);
        Assert.True(BlockOffsets(File.ReadAllBytes(path)).Count > 40);

        using var source = new VcfLineSource(path, aheadChunks: 2, chunkSize: SmallChunk);
        var (read, chunks) = ReadAll(source);

        Assert.Equal(text, read);
        Assert.True(chunks > 20);
        Assert.Equal(FileSha256(path), source.Sha256);
        Assert.Equal(new FileInfo(path).Length, source.BytesRead);
    }

    [Theory]
    [InlineData("bgzf")]
    [InlineData("gzip")]
    [InlineData("text")]
    public void A_line_longer_than_a_chunk_grows_the_chunk_and_the_last_line_may_lack_its_newline(string format)
    {
        var text = "short\n" + new string('x', 3 * SmallChunk) + "\n" + Lines(50, seed: 3) + new string('y', 2 * SmallChunk) + "\nno newline";
        var path = format switch
        {
            "bgzf" => Bgzip("long.gz", text),
            "gzip" => Gzip("long.gz", text),
            _ => WriteText("long.txt", text),
        };

        using var source = new VcfLineSource(path, aheadChunks: 1, chunkSize: SmallChunk);
        var (read, _) = ReadAll(source);

        Assert.Equal(text, read);
        Assert.Equal(FileSha256(path), source.Sha256);
    }

    [Fact]
    public void Plain_gzip_of_one_or_several_members_is_read_whole()
    {
        var first = Lines(100, seed: 4);
        var second = Lines(100, seed: 5);
        var single = Gzip("single.gz", first);
        var multiple = Gzip("multiple.gz", first, second);

        using var one = new VcfLineSource(single, chunkSize: SmallChunk);
        using var two = new VcfLineSource(multiple, chunkSize: SmallChunk);

        Assert.Equal(first, ReadAll(one).Text);
        Assert.Equal(first + second, ReadAll(two).Text);
        Assert.Equal(FileSha256(single), one.Sha256);
        Assert.Equal(FileSha256(multiple), two.Sha256);
    }

    [Fact]
    public void A_plain_gzip_member_between_BGZF_blocks_is_read_on()
    {
        var first = Lines(100, seed: 13);
        var second = Lines(100, seed: 14);
        var third = Lines(100, seed: 15);
        var path = files.Combine("joined.gz");
        File.WriteAllBytes(path,
            [.. File.ReadAllBytes(Bgzip("a.gz", first)), .. File.ReadAllBytes(Gzip("b.gz", second)), .. File.ReadAllBytes(Bgzip("c.gz", third))]);

        using var source = new VcfLineSource(path, chunkSize: SmallChunk);

        Assert.Equal(first + second + third, ReadAll(source).Text);
        Assert.Equal(FileSha256(path), source.Sha256);
    }

    [Fact]
    public void Plain_text_is_read_as_is()
    {
        var text = Lines(100, seed: 6) + "last";
        var path = WriteText("plain.vcf", text);

        using var source = new VcfLineSource(path, chunkSize: SmallChunk);

        Assert.Equal(text, ReadAll(source).Text);
        Assert.Equal(FileSha256(path), source.Sha256);
    }

    [Fact]
    public void Empty_BGZF_blocks_give_no_chunk_and_are_skipped_between_others()
    {
        var empty = Bgzip("empty.gz", "");
        Assert.Equal(28, new FileInfo(empty).Length);
        var first = Lines(30, seed: 7);
        var second = Lines(30, seed: 8);
        var joined = files.Combine("joined.gz");
        // Each part ends with the empty EOF-marker block.
        File.WriteAllBytes(joined, [.. File.ReadAllBytes(Bgzip("a.gz", first)), .. File.ReadAllBytes(Bgzip("b.gz", second))]);

        using var none = new VcfLineSource(empty, chunkSize: SmallChunk);
        using var both = new VcfLineSource(joined, chunkSize: SmallChunk);

        Assert.Equal(0, ReadAll(none).Chunks);
        Assert.Equal(FileSha256(empty), none.Sha256);
        Assert.Equal(first + second, ReadAll(both).Text);
        Assert.Equal(FileSha256(joined), both.Sha256);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(100)]
    public void A_BGZF_file_cut_inside_a_block_fails_naming_the_block(int into)
    {
        var bytes = File.ReadAllBytes(Bgzip("whole.gz", Lines(300, seed: 9)));
        var block = BlockOffsets(bytes)[3];
        var path = files.Combine("cut.gz");
        // Inside the block's header or its deflate data.
        File.WriteAllBytes(path, bytes[..(block + into)]);

        var error = ReadFails(path);

        Assert.Equal($"the file ends inside the BGZF block at byte {block} (truncated?)", error.Message);
    }

    [Theory]
    [InlineData(-8)]
    [InlineData(-4)]
    [InlineData(30)]
    public void A_corrupt_BGZF_block_fails_with_the_inflater_s_error(int at)
    {
        var bytes = File.ReadAllBytes(Bgzip("good.gz", Lines(300, seed: 10)));
        var blocks = BlockOffsets(bytes);
        // A byte of the block's CRC32, of its ISIZE, or of its compressed data.
        var flip = at < 0 ? blocks[3] + at : blocks[2] + at;
        bytes[flip] ^= 0x55;
        var path = files.Combine("bad.gz");
        File.WriteAllBytes(path, bytes);

        var error = ReadFails(path);

        // zlib's Z_DATA_ERROR (bad CRC32, ISIZE or deflate data), which .NET words as an "unsupported compression method".
        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Theory]
    [InlineData("not a block at all")]
    [InlineData("x")]
    [InlineData("\u001f\u008b\u0008")]
    public void Bytes_after_the_last_BGZF_block_that_are_no_gzip_member_fail(string tail)
    {
        var bytes = File.ReadAllBytes(Bgzip("tail.gz", Lines(10, seed: 11)));
        var path = files.Combine("garbage.gz");
        File.WriteAllBytes(path, [.. bytes, .. tail.Select(c => (byte)c)]);

        var error = ReadFails(path);

        Assert.Equal(tail.StartsWith('\u001f') ? $"the file ends inside the BGZF block at byte {bytes.Length} (truncated?)" : $"the bytes at {bytes.Length} are no gzip member", error.Message);
    }

    [Fact]
    public void A_megabyte_of_zeros_after_the_last_BGZF_block_fails()
    {
        var bytes = File.ReadAllBytes(Bgzip("tail.gz", Lines(10, seed: 11)));
        var path = files.Combine("zeros.gz");
        File.WriteAllBytes(path, [.. bytes, .. new byte[1 << 20]]);

        Assert.Equal($"the bytes at {bytes.Length} are no gzip member", ReadFails(path).Message);
    }

    [Fact]
    public void A_megabyte_of_zeros_after_a_plain_gzip_member_fails_and_is_hashed()
    {
        var path = Gzip("zeros.gz", Lines(100, seed: 16));
        File.AppendAllText(path, new string('\0', 1 << 20));
        using var source = new VcfLineSource(path, chunkSize: SmallChunk);

        var error = Assert.Throws<IOException>(() => ReadAll(source));

        Assert.Equal("the bytes after the last gzip member are no gzip member", error.Message);
        Assert.Equal(new FileInfo(path).Length, source.BytesRead);
    }

    [Fact]
    public void Disposing_stops_a_reader_that_waits_for_the_parser()
    {
        var path = Bgzip("big.gz", Lines(3000, seed: 12));
        var source = new VcfLineSource(path, aheadChunks: 1, chunkSize: SmallChunk);
        Assert.True(source.TryNext(out _));
        // By now the reader has filled every buffer and waits for one back.
        Thread.Sleep(200);

        Assert.True(((IAsyncResult)Task.Run(source.Dispose)).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "Dispose hangs");
    }
}
