using System.Text;
using GenomeNode.Htsget.Data;
using GenomeNode.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenomeNode.Htsget.Tests.Data;

/// <summary>Data-URL tokens: bound to object, range, file version and expiry; any change voids them.</summary>
public sealed class DataTokenTests
{
    private const string Version = "3f2a";
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset Expires = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DataTokenSigner signer = new(Key);

    [Fact]
    public void A_token_reads_back_as_the_range_and_expiry_it_was_made_for()
    {
        var range = new DataRange("sample-1.bam", 65536, 1_003_750);

        var text = signer.Create(range, Version, Expires);

        Assert.True(DataToken.TryParse(text, out var token));
        Assert.Equal(range, token.Range);
        Assert.Equal(Expires, token.Expires);
        Assert.True(signer.IsAuthentic(token, Version));
        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", text);
    }

    [Fact]
    public void A_token_for_another_object_range_or_file_version_is_not_authentic()
    {
        var token = Parse(signer.Create(new DataRange("a", 100, 200), Version, Expires));

        Assert.False(signer.IsAuthentic(token with { Range = new DataRange("b", 100, 200) }, Version));
        Assert.False(signer.IsAuthentic(token with { Range = new DataRange("a", 0, 200) }, Version));
        Assert.False(signer.IsAuthentic(token with { Range = new DataRange("a", 100, 201) }, Version));
        Assert.False(signer.IsAuthentic(token with { Expires = Expires.AddHours(1) }, Version));
        Assert.False(signer.IsAuthentic(token, "another-sha256"));
        Assert.False(new DataTokenSigner(Enumerable.Repeat((byte)7, 32).ToArray()).IsAuthentic(token, Version));
    }

    [Fact]
    public void Tampering_with_any_character_of_a_token_voids_it()
    {
        var text = signer.Create(new DataRange("obj", 1234, 5678), Version, Expires);

        for (var i = 0; i < text.Length; i++)
        {
            var replacement = text[i] == 'A' ? 'B' : 'A';
            var tampered = string.Concat(text.AsSpan(0, i), replacement.ToString(), text.AsSpan(i + 1));
            Assert.False(DataToken.TryParse(tampered, out var token) && signer.IsAuthentic(token, Version), $"tampered at {i}: {tampered}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("abc.def")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("AQ==.AQ==")]
    public void Malformed_tokens_do_not_parse(string text) => Assert.False(DataToken.TryParse(text, out _));

    [Fact]
    public void An_overlong_token_is_not_decoded() => Assert.False(DataToken.TryParse(new string('A', 5000) + ".AAAA", out _));

    [Fact]
    public void Tokens_expire_after_the_configured_lifetime()
    {
        using var directory = new TemporaryDirectory("htsget-key");
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var urls = new DataUrls(
            Options.Create(new HtsgetOptions { SigningKeyFile = directory.Combine("key"), DataUrlLifetime = TimeSpan.FromMinutes(2) }),
            clock, NullLogger<DataUrls>.Instance);
        var token = Parse(urls.CreateToken(new DataRange("obj", 0, 10), Version, urls.NewExpiry()));

        Assert.Equal(DataTokenStatus.Valid, urls.Check(token, Version));
        clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(DataTokenStatus.Valid, urls.Check(token, Version));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(DataTokenStatus.Expired, urls.Check(token, Version));
        Assert.Equal(DataTokenStatus.Invalid, urls.Check(token with { Range = new DataRange("obj", 0, 11) }, Version));
    }

    [Fact]
    public void The_signing_key_is_created_once_readable_by_its_owner_only_and_then_reused()
    {
        using var directory = new TemporaryDirectory("htsget-key");
        var path = directory.Combine("sub", "htsget-signing.key");

        var first = SigningKeyFile.LoadOrCreate(path);
        var second = SigningKeyFile.LoadOrCreate(path);

        Assert.Equal(SigningKeyFile.KeyLength, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.False(SigningKeyFile.IsExposed(path));
        Assert.Single(Directory.GetFiles(directory.Combine("sub")));

        File.WriteAllText(path, "too short");
        Assert.Throws<InvalidDataException>(() => SigningKeyFile.LoadOrCreate(path));
    }

    [Fact]
    public void A_file_slice_reads_and_seeks_only_within_its_range()
    {
        using var directory = new TemporaryDirectory("htsget-slice");
        var path = directory.Combine("data");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("0123456789abcdefghij"));

        using var slice = new FileSliceStream(File.OpenRead(path), 5, 10);
        using var copy = new MemoryStream();
        slice.CopyTo(copy, 3);
        slice.Seek(-4, SeekOrigin.End);
        var tail = new byte[100];
        var read = slice.Read(tail);

        Assert.Equal("56789abcde", Encoding.ASCII.GetString(copy.ToArray()));
        Assert.Equal(10, slice.Length);
        Assert.Equal("bcde", Encoding.ASCII.GetString(tail, 0, read));
        Assert.Equal(0, slice.Read(tail));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }

    private static DataToken Parse(string text) => DataToken.TryParse(text, out var token) ? token : throw new InvalidOperationException(text);
}
