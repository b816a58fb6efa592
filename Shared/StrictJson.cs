using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace GenomeNode.Shared;

/// <summary>How a JSON text breaks <see cref="StrictJson"/>'s rule.</summary>
internal enum StrictJsonProblem
{
    /// <summary>Not JSON at all, or nested deeper than allowed.</summary>
    Syntax,

    /// <summary>An object names the same member twice.</summary>
    RepeatedMember,

    /// <summary>A member name or string is not well-formed Unicode (a lone surrogate escape, or invalid UTF-8).</summary>
    InvalidText,
}

/// <summary>
/// Where a JSON text breaks the rule: the member path (<c>query.requestParameters.start</c>, <c>regions[0]</c>; empty
/// for the text as a whole) and a message for the caller that quotes nothing but member names.
/// </summary>
internal sealed record StrictJsonError(StrictJsonProblem Problem, string Path, string Message)
{
    /// <summary>The path, or <paramref name="whole"/> when the problem is with the text as a whole.</summary>
    public string PathOr(string whole) => Path.Length == 0 ? whole : Path;
}

/// <summary>
/// The one rule for JSON that callers hand the node (request bodies, the parts of a token): well-formed and at most
/// <c>maxDepth</c> deep; no object repeats a member name, at any depth (parsers disagree on which copy wins, so a
/// repeated member could be read one way by a check and another by the code it guards); and every member name and
/// string is well-formed Unicode. System.Text.Json parses a lone surrogate escape (<c>"\ud800"</c>) or invalid UTF-8
/// inside a string without complaint and only throws when the string is read or written back, far from the input.
/// </summary>
/// <remarks>
/// Linked as source into each module that reads such JSON, internal to each: Beacon, Htsget and Passport could share
/// a public type in Passport, but DataUseOntology references no module, and a project of its own would be a new
/// dependency of every module for two small classes.
/// </remarks>
internal static class StrictJson
{
    public const int DefaultMaxDepth = 64;

    // Member names in error paths are cut to this many characters.
    private const int MaxNameInPath = 64;

    /// <summary>Parses <paramref name="utf8"/>, or says where and how it breaks the rule.</summary>
    /// <param name="memberNames">how member names compare: case-insensitive where the reader binds them so</param>
    public static bool TryParse(
        ReadOnlyMemory<byte> utf8, StringComparer memberNames, int maxDepth,
        [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out StrictJsonError? error)
    {
        ArgumentNullException.ThrowIfNull(memberNames);
        document = null;
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException ex)
        {
            error = new StrictJsonError(StrictJsonProblem.Syntax, "", $"not valid JSON: {UnicodeText.Printable(ex.Message)}");
            return false;
        }

        error = Check(parsed.RootElement, "", memberNames);
        if (error is not null)
        {
            parsed.Dispose();
            return false;
        }

        document = parsed;
        return true;
    }

    /// <summary>Reads the whole of <paramref name="stream"/> and parses it as <see cref="TryParse"/> does.</summary>
    public static async Task<(JsonDocument? Document, StrictJsonError? Error)> ParseAsync(
        Stream stream, StringComparer memberNames, CancellationToken cancellationToken, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return TryParse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), memberNames, maxDepth, out var document, out var error)
            ? (document, null)
            : (null, error);
    }

    private static StrictJsonError? Check(JsonElement element, string path, StringComparer memberNames)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var member in element.EnumerateObject())
                {
                    if (!TryRead(() => member.Name, out var name))
                    {
                        return new StrictJsonError(StrictJsonProblem.InvalidText, path,
                            $"a member name {(path.Length == 0 ? "" : $"in {path} ")}is not valid Unicode text (a lone UTF-16 surrogate or invalid UTF-8)");
                    }

                    var memberPath = Member(path, name);
                    if (!(seen ??= new HashSet<string>(memberNames)).Add(name))
                    {
                        return new StrictJsonError(StrictJsonProblem.RepeatedMember, memberPath,
                            $"the member '{Shorten(name)}' is given more than once; give each member once");
                    }

                    if (Check(member.Value, memberPath, memberNames) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Check(item, $"{path}[{index++}]", memberNames) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.String:
                return TryRead(element.GetString, out _)
                    ? null
                    : new StrictJsonError(StrictJsonProblem.InvalidText, path,
                        "the text is not valid Unicode (a lone UTF-16 surrogate or invalid UTF-8)");
            default:
                return null;
        }
    }

    // System.Text.Json documents InvalidOperationException for text it cannot transcode; nothing else is caught.
    private static bool TryRead(Func<string?> read, out string text)
    {
        try
        {
            text = read() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private static string Member(string path, string name) => path.Length == 0 ? Shorten(name) : $"{path}.{Shorten(name)}";

    private static string Shorten(string name) => UnicodeText.Shorten(name, MaxNameInPath);
}

/// <summary>Text from callers: whether it is well-formed UTF-16, and how to quote it safely in a message.</summary>
internal static class UnicodeText
{
    /// <summary>True when every surrogate in <paramref name="text"/> is half of a pair (so it encodes to UTF-8 and JSON).</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        var i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
        {
            return true;
        }

        for (; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><paramref name="text"/> with each lone surrogate replaced by U+FFFD, so a message can quote it.</summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsWellFormed(text))
        {
            return text;
        }

        var printable = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            printable.Append(rune.ToString());
        }

        return printable.ToString();
    }

    /// <summary>
    /// At most <paramref name="maxLength"/> characters of <paramref name="text"/> (with "..." when cut), never cutting a
    /// surrogate pair in two, and printable.
    /// </summary>
    public static string Shorten(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxLength)
        {
            return Printable(text);
        }

        var keep = maxLength - 3;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return Printable(string.Concat(text.AsSpan(0, keep), "..."));
    }
}
