using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Tests.Formats;

public sealed class VirtualOffsetTests
{
    [Theory]
    [InlineData(0L, 0, 0UL)]
    [InlineData(1L, 0, 65536UL)]
    [InlineData(5L, 7, (5UL << 16) | 7)]
    [InlineData(VirtualOffset.MaxCompressedOffset, 65535, ulong.MaxValue)]
    public void Packs_the_block_offset_above_the_in_block_offset(long compressed, int uncompressed, ulong value)
    {
        var offset = new VirtualOffset(compressed, uncompressed);

        Assert.Equal(value, offset.Value);
        Assert.Equal(compressed, offset.CompressedOffset);
        Assert.Equal(uncompressed, offset.UncompressedOffset);
    }

    [Theory]
    [InlineData("0:0")]
    [InlineData("12345:678")]
    [InlineData("281474976710655:65535")]
    public void Formats_and_parses_back(string text)
    {
        Assert.Equal(text, VirtualOffset.Parse(text).ToString());
    }

    [Fact]
    public void Parses_the_raw_value_too()
    {
        Assert.Equal(new VirtualOffset(3, 4), VirtualOffset.Parse(((3UL << 16) | 4).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1:65536")]
    [InlineData("-1:0")]
    [InlineData("281474976710656:0")]
    [InlineData("1:2:3")]
    public void Rejects_what_is_not_a_virtual_offset(string text)
    {
        Assert.False(VirtualOffset.TryParse(text, out _));
        Assert.Throws<FormatException>(() => VirtualOffset.Parse(text));
    }

    [Fact]
    public void Orders_by_file_position()
    {
        var early = new VirtualOffset(100, 65000);
        var late = new VirtualOffset(101, 0);

        Assert.True(early < late);
        Assert.True(late >= early);
        Assert.Equal(late, VirtualOffset.Max(early, late));
        Assert.Equal(early, VirtualOffset.Min(early, late));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualOffset(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualOffset(0, 65536));
    }
}
