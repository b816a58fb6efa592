using System.Text;
using GenomeNode.Shared;

namespace GenomeNode.Beacon.Tests;

/// <summary>The node's one rule for caller JSON (Shared/StrictJson.cs, linked into each module; tested here through Beacon's copy).</summary>
public sealed class StrictJsonTests
{
    [Theory]
    [InlineData("""{"a":{"b":[{"c":1,"c":2}]}}""", "a.b[0].c")]
    [InlineData("""{"a":1,"\u0061":2}""", "a")]
    public void A_repeated_member_is_named_by_its_path(string json, string path)
    {
        var error = Refused(json, StringComparer.Ordinal);

        Assert.Equal((StrictJsonProblem.RepeatedMember, path), (error.Problem, error.Path));
    }

    [Fact]
    public void Member_names_repeat_case_insensitively_where_the_reader_binds_them_so()
    {
        Assert.True(Parses("""{"format":"BAM","FORMAT":"CRAM"}""", StringComparer.Ordinal));

        Assert.Equal("FORMAT", Refused("""{"format":"BAM","FORMAT":"CRAM"}""", StringComparer.OrdinalIgnoreCase).Path);
    }

    [Theory]
    [InlineData("""{"a":["x","\ud800"]}""", "a[1]")]
    [InlineData("""{"a":{"\udc00":1}}""", "a")]
    [InlineData("""["\ud83d\ude00", "\ud83d"]""", "[1]")]
    public void Text_that_is_not_unicode_is_named_by_its_path(string json, string path)
    {
        var error = Refused(json, StringComparer.Ordinal);

        Assert.Equal((StrictJsonProblem.InvalidText, path), (error.Problem, error.Path));
    }

    [Fact]
    public void Nesting_deeper_than_allowed_is_a_syntax_error()
    {
        var json = new string('[', 65) + new string(']', 65);

        Assert.Equal(StrictJsonProblem.Syntax, Refused(json, StringComparer.Ordinal).Problem);
        Assert.True(StrictJson.TryParse(Encoding.UTF8.GetBytes(new string('[', 64) + new string(']', 64)), StringComparer.Ordinal,
            StrictJson.DefaultMaxDepth, out var document, out _));
        document.Dispose();
    }

    [Fact]
    public void Shortening_never_splits_a_surrogate_pair()
    {
        var text = new string('a', 60) + "\U0001F600" + "tail";

        var shortened = UnicodeText.Shorten(text, 64);

        Assert.True(UnicodeText.IsWellFormed(shortened));
        Assert.Equal(new string('a', 60) + "...", shortened);
    }

    [Fact]
    public void Printable_text_replaces_only_lone_surrogates()
    {
        Assert.Equal("a\uFFFDb\U0001F600", UnicodeText.Printable("a\uD800b\U0001F600"));
        Assert.False(UnicodeText.IsWellFormed("\U0001F600".AsSpan(0, 1)));
        Assert.True(UnicodeText.IsWellFormed("\U0001F600"));
    }

    private static bool Parses(string json, StringComparer names)
    {
        var parsed = StrictJson.TryParse(Encoding.UTF8.GetBytes(json), names, StrictJson.DefaultMaxDepth, out var document, out _);
        document?.Dispose();
        return parsed;
    }

    private static StrictJsonError Refused(string json, StringComparer names)
    {
        Assert.False(StrictJson.TryParse(Encoding.UTF8.GetBytes(json), names, StrictJson.DefaultMaxDepth, out _, out var error));
        return error;
    }
}
