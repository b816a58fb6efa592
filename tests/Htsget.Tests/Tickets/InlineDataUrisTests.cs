using System.Text;
using GenomeNode.Htsget.Api;
using GenomeNode.Htsget.Tickets;

namespace GenomeNode.Htsget.Tests.Tickets;

/// <summary><see cref="InlineDataUris"/>: the same bytes give the same URI from memory; any other bytes never do.</summary>
public sealed class InlineDataUrisTests
{
    private const string MediaType = "application/vnd.ga4gh.bam";

    [Fact]
    public void A_uri_is_the_base64_of_the_parts_bytes_however_they_are_segmented()
    {
        using var uris = new InlineDataUris(1 << 20);
        var bytes = Bytes(5000, seed: 1);
        var whole = Uri(uris.JsonStringFor(MediaType, new InlinePart(DataClass.Body, bytes)));
        var split = Uri(uris.JsonStringFor(MediaType, new InlinePart(DataClass.Body, [bytes.AsMemory(0, 1234), bytes.AsMemory(1234, 2), bytes.AsMemory(1236)])));

        Assert.Equal($"data:{MediaType};base64,{Convert.ToBase64String(bytes)}", whole);
        Assert.Equal(whole, split);
        Assert.Equal(1, uris.Hits);
    }

    [Fact]
    public void Other_bytes_of_the_same_length_or_another_media_type_get_their_own_uri()
    {
        using var uris = new InlineDataUris(1 << 20);
        var bytes = Bytes(4096, seed: 2);
        var changed = (byte[])bytes.Clone();
        changed[4000] ^= 1;

        var first = Uri(uris.JsonStringFor(MediaType, new InlinePart(DataClass.Body, bytes)));
        var second = Uri(uris.JsonStringFor(MediaType, new InlinePart(DataClass.Body, changed)));
        var vcf = Uri(uris.JsonStringFor("application/vnd.ga4gh.vcf", new InlinePart(DataClass.Body, bytes)));

        Assert.Equal(Convert.ToBase64String(changed), second[(second.IndexOf(',', StringComparison.Ordinal) + 1)..]);
        Assert.NotEqual(first, second);
        Assert.StartsWith("data:application/vnd.ga4gh.vcf;base64,", vcf, StringComparison.Ordinal);
        Assert.Equal(0, uris.Hits);
    }

    [Fact]
    public void Without_a_budget_and_for_small_parts_every_uri_is_encoded_anew()
    {
        using var none = new InlineDataUris(0);
        var bytes = Bytes(3000, seed: 3);
        Assert.Equal(Uri(none.JsonStringFor(MediaType, new InlinePart(DataClass.Body, bytes))), Uri(none.JsonStringFor(MediaType, new InlinePart(DataClass.Body, bytes))));
        Assert.Equal(0, none.Hits);

        using var some = new InlineDataUris(1 << 20);
        var eof = Bytes(28, seed: 4);
        some.JsonStringFor(MediaType, new InlinePart(DataClass.Body, eof));
        Assert.Equal($"data:{MediaType};base64,{Convert.ToBase64String(eof)}", Uri(some.JsonStringFor(MediaType, new InlinePart(DataClass.Body, eof))));
        Assert.Equal(0, some.Hits);
    }

    [Fact]
    public void The_same_segments_again_are_found_without_hashing_and_as_a_json_string_that_needs_no_escaping()
    {
        using var uris = new InlineDataUris(1 << 20);
        var edge = Bytes(6000, seed: 5);
        var eof = Bytes(28, seed: 6);
        var first = uris.JsonStringFor(MediaType, new InlinePart(DataClass.Body, [edge.AsMemory(), eof.AsMemory()]));
        var again = uris.JsonStringFor(MediaType, new InlinePart(DataClass.Body, [edge.AsMemory(), eof.AsMemory()]));

        Assert.Equal($"\"data:{MediaType};base64,{Convert.ToBase64String([.. edge, .. eof])}\"", Text(first));
        Assert.True(first.Span == again.Span, "the second answer is the first's memory");
        Assert.Equal(1, uris.Hits);
        Assert.Equal(Text(first)[1..^1], Uri(uris.JsonStringFor(MediaType, new InlinePart(DataClass.Body, [edge.AsMemory(), eof.AsMemory()]))));

        // The same first array with other segments, or under another media type, is not the same part.
        var shorter = Text(uris.JsonStringFor(MediaType, new InlinePart(DataClass.Body, edge.AsMemory(0, 5000))));
        var vcf = Text(uris.JsonStringFor("application/vnd.ga4gh.vcf", new InlinePart(DataClass.Body, [edge.AsMemory(), eof.AsMemory()])));
        Assert.Equal($"\"data:{MediaType};base64,{Convert.ToBase64String(edge.AsSpan(0, 5000))}\"", shorter);
        Assert.StartsWith("\"data:application/vnd.ga4gh.vcf;base64,", vcf, StringComparison.Ordinal);
    }

    [Fact]
    public void A_uri_the_budget_has_no_room_for_is_not_found_by_its_segments_either()
    {
        // Each part's entry is about 23 KB (its bytes, its URI): the budget holds one.
        using var uris = new InlineDataUris(30_000);
        var kept = Bytes(10_000, seed: 8);
        var refused = Bytes(10_000, seed: 9);
        uris.JsonStringFor(MediaType, new InlinePart(DataClass.Body, kept));
        var uri = Text(uris.JsonStringFor(MediaType, new InlinePart(DataClass.Body, refused)));

        Assert.True(SpinWait.SpinUntil(() => !uris.RemembersSegmentsOf(refused) || !uris.RemembersSegmentsOf(kept), TimeSpan.FromSeconds(5)),
            "an entry the cache evicted or refused is still found by its segments");
        var hits = uris.Hits;
        var forgotten = uris.RemembersSegmentsOf(refused) ? kept : refused;
        Assert.Equal($"\"data:{MediaType};base64,{Convert.ToBase64String(forgotten)}\"",
            Text(uris.JsonStringFor(MediaType, new InlinePart(DataClass.Body, forgotten))));
        Assert.Equal(hits, uris.Hits);
        Assert.StartsWith("\"data:", uri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/vnd.ga4gh.bam\"")]
    [InlineData("text/plain; charset=\\x")]
    [InlineData("application/x\u2028y")]
    public void A_media_type_json_would_have_to_escape_is_refused(string mediaType)
    {
        using var uris = new InlineDataUris(1 << 20);
        Assert.Throws<ArgumentException>(() => uris.JsonStringFor(mediaType, new InlinePart(DataClass.Body, Bytes(2000, seed: 7))));
        Assert.Throws<ArgumentException>(() => uris.JsonStringFor(mediaType, new InlinePart(DataClass.Body, Bytes(20, seed: 7))));
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Text(ReadOnlyMemory<byte> utf8) => Encoding.ASCII.GetString(utf8.Span);

    // The URI inside its JSON string's quotes.
    private static string Uri(ReadOnlyMemory<byte> jsonString) => Text(jsonString)[1..^1];
}
