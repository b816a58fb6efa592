using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Tests.Formats;

public sealed class CramIntegerTests
{
    // The prefix of 1 bits in the first byte counts the bytes that follow (CRAMv3 §2.3); the last two rows are the
    // EOF container's reference id and alignment start, spelled out in the spec.
    public static TheoryData<int, string> Itf8Table => new()
    {
        { 0, "00" },
        { 1, "01" },
        { 127, "7f" },
        { 128, "8080" },
        { 16383, "bfff" },
        { 16384, "c04000" },
        { 2097151, "dfffff" },
        { 2097152, "e0200000" },
        { 268435455, "efffffff" },
        { 268435456, "f100000000" },
        { int.MaxValue, "f7ffffff0f" },
        { int.MinValue, "f800000000" },
        { -1, "ffffffff0f" },
        { 4542278, "e0454f46" },
    };

    public static TheoryData<long, string> Ltf8Table => new()
    {
        { 0, "00" },
        { 127, "7f" },
        { 128, "8080" },
        { 16383, "bfff" },
        { 16384, "c04000" },
        { (1L << 28) - 1, "efffffff" },
        { 1L << 28, "f010000000" },
        { (1L << 35) - 1, "f7ffffffff" },
        { 1L << 35, "f80800000000" },
        { (1L << 42) - 1, "fbffffffffff" },
        { 1L << 42, "fc040000000000" },
        { (1L << 49) - 1, "fdffffffffffff" },
        { 1L << 49, "fe02000000000000" },
        { (1L << 56) - 1, "feffffffffffffff" },
        { 1L << 56, "ff0100000000000000" },
        { long.MaxValue, "ff7fffffffffffffff" },
        { -1, "ffffffffffffffffff" },
        { long.MinValue, "ff8000000000000000" },
    };

    [Theory]
    [MemberData(nameof(Itf8Table))]
    public void Itf8_encodes_and_decodes_the_spec_byte_patterns(int value, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var buffer = new byte[Itf8.MaxLength];

        Assert.Equal(bytes.Length, Itf8.Write(value, buffer));
        Assert.Equal(bytes, buffer[..bytes.Length]);
        Assert.Equal(value, Itf8.Read([.. bytes, 0xAA], out var length));
        Assert.Equal(bytes.Length, length);
        Assert.False(Itf8.TryRead(bytes.AsSpan(0, bytes.Length - 1), out _, out _));
    }

    [Theory]
    [MemberData(nameof(Ltf8Table))]
    public void Ltf8_encodes_and_decodes_the_spec_byte_patterns(long value, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var buffer = new byte[Ltf8.MaxLength];

        Assert.Equal(bytes.Length, Ltf8.Write(value, buffer));
        Assert.Equal(bytes, buffer[..bytes.Length]);
        Assert.Equal(value, Ltf8.Read([.. bytes, 0xAA], out var length));
        Assert.Equal(bytes.Length, length);
        Assert.False(Ltf8.TryRead(bytes.AsSpan(0, bytes.Length - 1), out _, out _));
    }

    [Fact]
    public void Itf8_and_ltf8_round_trip_across_the_range()
    {
        var random = new Random(11);
        var buffer = new byte[Ltf8.MaxLength];
        for (var i = 0; i < 10_000; i++)
        {
            var small = random.Next(int.MinValue, int.MaxValue) >> random.Next(32);
            Assert.Equal(small, Itf8.Read(buffer.AsSpan(0, Itf8.Write(small, buffer)), out _));
            var large = random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64);
            Assert.Equal(large, Ltf8.Read(buffer.AsSpan(0, Ltf8.Write(large, buffer)), out _));
        }
    }
}
