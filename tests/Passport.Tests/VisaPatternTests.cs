using GenomeNode.Passport.Visas;

namespace GenomeNode.Passport.Tests;

public sealed class VisaPatternTests
{
    [Theory]
    // Empty pattern and lone stars.
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("*", "", true)]
    [InlineData("*", "anything at all", true)]
    [InlineData("**", "", true)]
    [InlineData("a**b", "ab", true)]
    // Question mark: exactly one character.
    [InlineData("?", "", false)]
    [InlineData("?", "a", true)]
    [InlineData("?", "ab", false)]
    [InlineData("??", "ab", true)]
    [InlineData("*?", "", false)]
    [InlineData("*?", "x", true)]
    [InlineData("?*?", "a", false)]
    [InlineData("?*?", "ab", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    // Full string, not a substring search.
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "ab", false)]
    [InlineData("ab", "abc", false)]
    [InlineData("bc", "abc", false)]
    // Leading, trailing and several stars.
    [InlineData("*c", "abc", true)]
    [InlineData("*c", "abcd", false)]
    [InlineData("a*", "abc", true)]
    [InlineData("a*", "bac", false)]
    [InlineData("*b*", "abc", true)]
    [InlineData("*b*", "acd", false)]
    [InlineData("*.org", "https://example.org", true)]
    [InlineData("faculty@*", "faculty@uni-heidelberg.de", true)]
    // A star must give back characters when the rest of the pattern needs them.
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYbZ", false)]
    [InlineData("a*bc", "abcbc", true)]
    [InlineData("a*bc", "abcbd", false)]
    [InlineData("*ab", "aab", true)]
    [InlineData("a*a", "a", false)]
    [InlineData("*x*y*z", "zyxxyz", true)]
    [InlineData("*x*y*z", "zyxzy", false)]
    public void Pattern_table(string pattern, string input, bool matches) =>
        Assert.Equal(matches, VisaPattern.Matches(pattern, input));

    [Theory]
    [InlineData("abc", "ABC")]
    [InlineData("Faculty@*", "faculty@x.org")]
    [InlineData("*.ORG", "https://example.org")]
    public void Matching_is_case_sensitive(string pattern, string input) =>
        Assert.False(VisaPattern.Matches(pattern, input));

    [Theory]
    [InlineData(@"a\*", @"a\xyz", true)]
    [InlineData(@"a\*", "a*", false)]
    [InlineData(@"a\?", @"a\b", true)]
    [InlineData("[ab]", "a", false)]
    [InlineData("[ab]", "[ab]", true)]
    [InlineData("a.c", "abc", false)]
    [InlineData("a+", "aa", false)]
    public void There_is_no_escape_character_and_no_other_special_character(string pattern, string input, bool matches) =>
        Assert.Equal(matches, VisaPattern.Matches(pattern, input));

    [Theory]
    [InlineData("?", "\U0001F600", true)]
    [InlineData("??", "\U0001F600", false)]
    [InlineData("a?c", "a\U0001F600c", true)]
    [InlineData("*\U0001F600", "x\U0001F600", true)]
    [InlineData("\U0001F600", "\U0001F601", false)]
    [InlineData("*?*", "\U0001F600", true)]
    public void Question_mark_matches_one_code_point_even_outside_the_basic_plane(string pattern, string input, bool matches) =>
        Assert.Equal(matches, VisaPattern.Matches(pattern, input));

    [Fact]
    public void Many_stars_against_a_long_near_miss_input_finish_without_exponential_backtracking()
    {
        var input = new string('a', 10_000);

        Assert.False(VisaPattern.Matches("*a*a*a*a*a*a*a*b", input));
        Assert.True(VisaPattern.Matches("*a*a*a*a*a*a*a*b", input + "b"));
        Assert.False(VisaPattern.Matches(string.Concat(Enumerable.Repeat("*a", 50)) + "*b", input));
    }

    [Fact]
    public void Null_pattern_or_input_is_a_programming_error()
    {
        Assert.Throws<ArgumentNullException>(() => VisaPattern.Matches(null!, "a"));
        Assert.Throws<ArgumentNullException>(() => VisaPattern.Matches("a", null!));
    }
}
