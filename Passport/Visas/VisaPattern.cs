namespace GenomeNode.Passport.Visas;

/// <summary>
/// Pattern Matching of GA4GH Passport 1.2 (used by the <c>pattern:</c> and <c>split_pattern:</c> condition prefixes):
/// full-string, case-sensitive; <c>?</c> matches any single character, <c>*</c> any run of characters including none;
/// there is no escape character.
/// </summary>
/// <remarks>
/// Patterns come from untrusted tokens, so matching is iterative: on a mismatch it only ever backtracks to the most
/// recent <c>*</c> (earlier stars can never need to give up characters), which bounds the work by
/// pattern length × input length instead of the exponential cost of naive recursion.
/// The spec's "greatest possible number of characters" for <c>*</c> only picks among matches; whether one exists,
/// which is all this answers, does not depend on it.
/// A "character" is a Unicode code point: <c>?</c> matches a whole surrogate pair, not half of it.
/// </remarks>
public static class VisaPattern
{
    public static bool Matches(string pattern, string input)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(input);
        return HasSurrogates(pattern) || HasSurrogates(input)
            ? Matches<int>(CodePoints(pattern), CodePoints(input), '*', '?')
            : Matches(pattern.AsSpan(), input.AsSpan(), '*', '?');
    }

    // Generic so the common (BMP-only) case walks the string's chars without allocating.
    private static bool Matches<T>(ReadOnlySpan<T> pattern, ReadOnlySpan<T> input, T star, T question)
        where T : IEquatable<T>
    {
        int p = 0, i = 0, lastStar = -1, starInput = 0;
        while (i < input.Length)
        {
            if (p < pattern.Length && pattern[p].Equals(star))
            {
                // Try the star empty first; each later mismatch lets it take one more character.
                lastStar = p++;
                starInput = i;
            }
            else if (p < pattern.Length && (pattern[p].Equals(question) || pattern[p].Equals(input[i])))
            {
                p++;
                i++;
            }
            else if (lastStar >= 0)
            {
                p = lastStar + 1;
                i = ++starInput;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p].Equals(star))
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool HasSurrogates(string text)
    {
        foreach (var c in text)
        {
            if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    // A lone surrogate stays its own code unit so that two different broken strings never compare equal.
    private static int[] CodePoints(string text)
    {
        var points = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogatePair(text, i))
            {
                points.Add(char.ConvertToUtf32(text[i], text[i + 1]));
                i++;
            }
            else
            {
                points.Add(text[i]);
            }
        }

        return [.. points];
    }
}
