using System.Buffers.Binary;
using GenomeNode.Htsget.Formats;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Formats;

[Collection(BuiltFilesGroup.Name)]
public sealed class BgzfTests(BuiltFiles files)
{
    public static TheoryData<string> BgzfFiles => new()
    {
        "htslib:range.bam",
        "htslib:bgziptest.txt.gz",
        "htslib:tabix/vcf_file.bcf",
        "samtools:mpileup/mpileup.1.bam",
        "samtools:mpileup/ce#large_seq.bam",
        "built:synthetic.bam",
        "built:index.vcf.gz",
        "built:index.bcf",
        "built:index.vcf.gz.tbi",
        "built:index.bam.csi",
    };

    [Theory]
    [MemberData(nameof(BgzfFiles))]
    public void Blocks_tile_the_file_and_inflate_to_what_bgzip_does(string file)
    {
        var path = BamCase.ResolvePath(files, file);
        using var stream = File.OpenRead(path);

        var layout = BgzfLayout.Read(stream);

        Assert.NotEmpty(layout.Blocks);
        Assert.Equal(0, layout.Blocks[0].CompressedOffset);
        for (var i = 1; i < layout.Blocks.Count; i++)
        {
            Assert.Equal(layout.Blocks[i - 1].CompressedEnd, layout.Blocks[i].CompressedOffset);
        }

        Assert.Equal(stream.Length, layout.CompressedLength);
        Assert.Equal(ExternalTools.RunBytes("bgzip", "-d", "-c", path).LongLength, layout.UncompressedLength);
        Assert.True(layout.EndsWithEofMarker);
        Assert.True(layout.Blocks[^1].IsEmpty);
        Assert.All(layout.Blocks, block => Assert.InRange(block.CompressedSize, Bgzf.EofMarkerLength, Bgzf.MaxBlockLength));
    }

    [Theory]
    [MemberData(nameof(BgzfFiles))]
    public void Reading_through_the_blocks_gives_the_data_bgzip_gives(string file)
    {
        var path = BamCase.ResolvePath(files, file);
        using var bgzf = new BgzfReadStream(File.OpenRead(path));
        using var data = new MemoryStream();

        bgzf.CopyTo(data);

        Assert.Equal(ExternalTools.RunBytes("bgzip", "-d", "-c", path), data.ToArray());
    }

    [Fact]
    public void Seeking_to_a_recorded_virtual_offset_resumes_at_the_same_byte()
    {
        using var bgzf = new BgzfReadStream(File.OpenRead(files.SyntheticBam));
        var marks = new List<(VirtualOffset Offset, byte[] Bytes)>();
        var buffer = new byte[7919];
        while (true)
        {
            var offset = bgzf.VirtualPosition;
            var read = bgzf.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read == 0)
            {
                break;
            }

            marks.Add((offset, buffer[..Math.Min(read, 100)]));
        }

        Assert.True(marks.Select(mark => mark.Offset.CompressedOffset).Distinct().Count() > 3);
        foreach (var (offset, bytes) in marks.AsEnumerable().Reverse())
        {
            bgzf.Seek(offset);
            var again = new byte[bytes.Length];
            bgzf.ReadExactly(again);
            Assert.Equal(bytes, again);
        }
    }

    [Fact]
    public void A_used_up_block_positions_at_the_next_block_start()
    {
        using var stream = File.OpenRead(files.SyntheticBam);
        var first = BgzfBlockScanner.Scan(stream).First();
        using var bgzf = new BgzfReadStream(File.OpenRead(files.SyntheticBam));

        bgzf.ReadExactly(new byte[first.UncompressedSize]);

        Assert.Equal(new VirtualOffset(first.CompressedEnd, 0), bgzf.VirtualPosition);
    }

    [Fact]
    public void One_block_inflates_on_its_own()
    {
        using var stream = File.OpenRead(TestFiles.HtslibFile("range.bam"));
        var block = BgzfBlockScanner.Scan(stream).First();

        var data = BgzfBlockInflater.InflateBlockAt(stream, block.CompressedOffset);

        Assert.Equal(block.UncompressedSize, data.Length);
        Assert.Equal("BAM\u0001"u8.ToArray(), data[..4]);

        var raw = new byte[block.CompressedSize];
        stream.Position = 0;
        stream.ReadExactly(raw);
        var destination = new byte[Bgzf.MaxBlockLength];
        Assert.Equal(data.Length, BgzfBlockInflater.Inflate(raw, 0, destination));
        Assert.Equal(data, destination[..data.Length]);
    }

    [Fact]
    public void The_eof_marker_is_the_spec_bytes_and_inflates_to_nothing()
    {
        var marker = Bgzf.EofMarker.ToArray();

        Assert.Equal(28, marker.Length);
        Assert.Equal(new BgzfBlockHeader(28, 18), BgzfBlockHeader.Parse(marker, 0));
        Assert.Equal(0, BgzfBlockInflater.Inflate(marker, 0, new byte[Bgzf.MaxBlockLength]));
    }

    [Fact]
    public void A_truncated_file_is_reported_at_the_block_that_runs_past_the_end()
    {
        var bytes = File.ReadAllBytes(files.SyntheticBam);
        using var full = new MemoryStream(bytes);
        var blocks = BgzfBlockScanner.Scan(full).ToList();
        var cut = blocks[3].CompressedOffset + 100;

        var error = Assert.Throws<HtsFormatException>(() => BgzfBlockScanner.Scan(new MemoryStream(bytes[..(int)cut])).ToList());
        Assert.Equal(blocks[3].CompressedOffset, error.Offset);

        var inHeader = Assert.Throws<HtsFormatException>(() =>
            BgzfBlockScanner.Scan(new MemoryStream(bytes[..(int)(blocks[2].CompressedOffset + 5)])).ToList());
        Assert.Equal(blocks[2].CompressedOffset, inHeader.Offset);
    }

    [Fact]
    public void A_file_cut_at_a_block_boundary_scans_but_lacks_the_eof_marker()
    {
        var bytes = File.ReadAllBytes(files.SyntheticBam);

        var layout = BgzfLayout.Read(new MemoryStream(bytes[..^Bgzf.EofMarkerLength]));

        Assert.False(layout.EndsWithEofMarker);
        Assert.False(layout.Blocks[^1].IsEmpty);
    }

    [Fact]
    public void A_last_block_that_only_looks_like_the_eof_marker_is_not_it()
    {
        using var stream = File.OpenRead(TestFiles.SamtoolsFile("quickcheck/1.quickcheck.badeof.bam"));

        var layout = BgzfLayout.Read(stream);

        Assert.Equal(Bgzf.EofMarkerLength, layout.Blocks[^1].CompressedSize);
        Assert.False(layout.EndsWithEofMarker);
        Assert.False(Bgzf.EndsWithEofMarker(stream));
    }

    [Fact]
    public void Plain_gzip_and_plain_text_are_not_bgzf()
    {
        var gzip = files.Combine("plain.gz");
        File.WriteAllBytes(gzip, ExternalTools.RunBytes("gzip", "-c", TestFiles.HtslibFile("index.vcf")));

        var plainGzip = File.ReadAllBytes(gzip);
        var plainText = File.ReadAllBytes(TestFiles.HtslibFile("index.vcf"));

        var fromGzip = Assert.Throws<HtsFormatException>(() => BgzfBlockScanner.Scan(new MemoryStream(plainGzip)).ToList());
        Assert.Equal(0, fromGzip.Offset);
        var fromText = Assert.Throws<HtsFormatException>(() => BgzfBlockScanner.Scan(new MemoryStream(plainText)).ToList());
        Assert.Equal(0, fromText.Offset);
        using var bgzf = new BgzfReadStream(new MemoryStream(plainGzip));
        Assert.Throws<HtsFormatException>(() => bgzf.ReadByte());
    }

    [Fact]
    public void A_corrupted_block_fails_its_crc_when_inflated()
    {
        var bytes = File.ReadAllBytes(TestFiles.HtslibFile("range.bam"));
        using var stream = new MemoryStream(bytes);
        var first = BgzfBlockScanner.Scan(stream).First();
        var crc = bytes.AsSpan((int)first.CompressedEnd - 8, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, BinaryPrimitives.ReadUInt32LittleEndian(crc) ^ 1);

        Assert.Throws<HtsFormatException>(() => BgzfBlockInflater.InflateBlockAt(new MemoryStream(bytes), 0));
    }

    [Fact]
    public void Seeking_into_a_block_past_its_data_is_refused()
    {
        using var stream = File.OpenRead(TestFiles.HtslibFile("range.bam"));
        var first = BgzfBlockScanner.Scan(stream).First();
        using var bgzf = new BgzfReadStream(File.OpenRead(TestFiles.HtslibFile("range.bam")));

        Assert.Throws<HtsFormatException>(() => bgzf.Seek(new VirtualOffset(0, first.UncompressedSize + 1)));
    }
}
