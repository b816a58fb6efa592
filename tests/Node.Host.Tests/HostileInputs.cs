using System.Globalization;
using System.Text;
using CsCheck;

namespace GenomeNode.Node.Host.Tests;

/// <summary>Whose error format a refusal must be in.</summary>
public enum Protocol
{
    Beacon,
    Htsget,
    DataUse,
}

/// <summary>
/// One generated request as the test server receives it: the path as routing sees it (already unescaped), the raw query
/// string (percent-encoded or not, as generated), the body bytes and the Authorization header.
/// </summary>
public sealed record Probe(Protocol Protocol, string Method, string Path, string Query, byte[]? Body, string? ContentType, string? Authorization)
{
    /// <summary>Printable (ASCII, everything else escaped) and cut, for a failure message.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"{Method} {Printable(Path, 300)}");
        if (Query.Length > 0)
        {
            text.Append('?').Append(Printable(Query, 1000));
        }

        if (Authorization is not null)
        {
            text.Append("\nAuthorization: ").Append(Printable(Authorization, 1000));
        }

        if (ContentType is not null)
        {
            text.Append("\nContent-Type: ").Append(Printable(ContentType, 100));
        }

        if (Body is not null)
        {
            // Bytes that are not UTF-8 show as U+FFFD here; the seed replays them exactly.
            text.Append("\n\n").Append(Printable(Encoding.UTF8.GetString(Body), 3000));
        }

        return text.ToString();
    }

    private static string Printable(string text, int max)
    {
        var printable = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            printable.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return text.Length > max ? $"{printable}... ({text.Length} chars)" : printable.ToString();
    }
}

/// <summary>
/// Generators of hostile input: plausible protocol parameters mixed with out-of-range and overflowing numbers, lone
/// surrogates, control characters, percent-encoding (valid and not), very long text, and JSON of the wrong types, deep,
/// with repeated members, nulls, and bytes that are not UTF-8.
/// </summary>
public static class HostileInputs
{
    // ----- text -----

    private static readonly string[] Awkward =
    [
        "", " ", "\0", "\n", "\r\n", "\t", "\u007f", "\u0085", "\u2028", "\ufeff", "\uffff", "\ud800", "\udfff", "\ud83d", "x\udc00y",
        "\U0001F600", "é", "ß", "Ａ", "%", "%0", "%00", "%zz", "%ED%A0%80", "%FF", "%C0%AF", "%F0%9F%98", "%u0041", "%2F", "%25", "+", "&",
        "=", "?", "#", ";", ",", "'", "\"", "\\", "/", "..", "../..", "<x>", "null", "true", "[]", "{}", "*", "**", "?*", "pattern:*",
    ];

    private static readonly string[] ExtremeNumbers =
    [
        "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "18446744073709551616", "99999999999999999999999", "1.5", "1e3", "1E400",
        "-1e-400", "+5", " 5", "5 ", "0", "-0", "00", "0x10", "1_000", "\u0661\u0662\u0663", "\uff11", "NaN", "Infinity", "-1", "1,2",
        "1,2,3", ",", "",
    ];

    private static readonly string[] JsonNumbers =
    [
        "0", "-0", "1", "-1", "0.0", "1.5", "1e3", "1E400", "-1e-400", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "18446744073709551616", "99999999999999999999999", "253402300799", "253402300800",
    ];

    /// <summary>Any UTF-16 code unit, lone surrogates and controls included.</summary>
    public static readonly Gen<char> AnyChar = Gen.Char['\0', '\uffff'];

    public static readonly Gen<string> Noise = Gen.Frequency<string>(
        (8, AnyChar.Array[0, 12].Select(chars => new string(chars))),
        (8, Gen.OneOf<string>(Awkward)),
        (2, Gen.Int[100, 5000].Select(n => new string('x', n))),
        (1, Gen.Int[20_000, 80_000].Select(n => new string('9', n))));

    /// <summary>Numbers as text: coordinates, any 64-bit value, the edges of int and long, and what is not quite a number.</summary>
    public static readonly Gen<string> Number = Gen.Frequency<string>(
        (3, Gen.Int[0, 250_000_000].Select(Invariant)),
        (2, Gen.Long.Select(Invariant)),
        (1, Gen.Int[-3, 3].Select(Invariant)),
        (3, Gen.OneOf<string>(ExtremeNumbers)),
        (2, Gen.Int[19, 400].Select(n => new string('9', n))));

    /// <summary>Text for a parameter: mostly something the protocol knows, else numbers, noise, or both run together.</summary>
    public static Gen<string> Text(params string[] plausible) => Gen.Frequency<string>(
        (10, Gen.OneOf<string>(plausible)),
        (2, Number),
        (3, Noise),
        (1, from known in Gen.OneOf<string>(plausible) from noise in Noise select known + noise));

    /// <summary>Text that is nearly always something the protocol knows, for fields behind other checks worth reaching.</summary>
    public static Gen<string> Mostly(params string[] plausible) => Gen.Frequency<string>(
        (20, Gen.OneOf<string>(plausible)),
        (1, Number),
        (2, Noise));

    /// <summary>A path segment: routing splits on '/', so it has none (a separate route would answer, not the endpoint).</summary>
    public static Gen<string> Segment(params string[] plausible) =>
        Text(plausible).Select(text => text.Replace('/', '_')).Where(text => text.Length > 0);

    // ----- query strings -----

    /// <summary>0 to 6 name=value pairs of any of the names and values.</summary>
    public static Gen<string> Query(Gen<string> names, Gen<string> values) =>
        QueryOf((from name in names from value in values select (name, value)).Array[0, 6]);

    /// <summary>The pairs as a query string, each sent raw, percent-encoded as UTF-8, or with every byte percent-encoded.</summary>
    public static Gen<string> QueryOf(Gen<(string Name, string Value)[]> pairs) =>
        from all in pairs
        from encodings in Gen.Int[0, 2].Array[all.Length]
        from bare in Gen.Int[0, 15]
        select string.Join('&', all.Select((pair, i) => bare == 0 && i == 0
            ? Encode(pair.Name, encodings[i])
            : $"{Encode(pair.Name, encodings[i])}={Encode(pair.Value, encodings[i])}"));

    /// <summary>The pair one time in <paramref name="outOf"/>, else nothing.</summary>
    public static Gen<(string Name, string Value)?> Maybe(string name, Gen<string> value, int outOf = 3) =>
        from roll in Gen.Int[1, outOf]
        from v in value
        select roll == 1 ? ((string, string)?)(name, v) : null;

    /// <summary>The pairs given (absent ones left out), and half the time one more of any name and value.</summary>
    public static Gen<(string Name, string Value)[]> Pairs(Gen<(string Name, string Value)> extra, params Gen<(string Name, string Value)?>[] pairs) =>
        from present in pairs.Aggregate(Gen.Const(System.Array.Empty<(string, string)?>()), (all, next) => from a in all from b in next select ((string, string)?[])[.. a, b])
        from extras in extra.Array[0, 1]
        select (((string Name, string Value)[])[.. present.Where(pair => pair is not null).Select(pair => pair!.Value), .. extras]);

    /// <summary>Always this pair.</summary>
    public static Gen<(string Name, string Value)?> Given(string name, Gen<string> value) => value.Select(v => ((string, string)?)(name, v));

    private static string Encode(string text, int encoding)
    {
        if (encoding == 0)
        {
            return text; // as a server or proxy that passes text through might hand it over
        }

        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            encoded.Append(encoding == 1 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') ? c.ToString() : $"%{b:X2}");
        }

        return encoded.ToString();
    }

    // ----- JSON -----

    /// <summary>A JSON string literal of <paramref name="text"/>: surrogates (paired or not) and controls as \u escapes.</summary>
    public static string JsonString(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            json.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < ' ' || char.IsSurrogate(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return json.Append('"').ToString();
    }

    public static readonly Gen<string> JsonNumber = Gen.Frequency<string>(
        (3, Gen.Int[0, 250_000_000].Select(Invariant)),
        (2, Gen.Long.Select(Invariant)),
        (2, Gen.OneOf<string>(JsonNumbers)),
        (1, Gen.Int[19, 400].Select(n => new string('9', n))));

    public static Gen<string> JsonText(Gen<string> text) => text.Select(JsonString);

    /// <summary>Any JSON value (up to three levels deep), objects with names from <paramref name="names"/>.</summary>
    public static Gen<string> JsonAny(Gen<string> names, Gen<string> text) => Gen.Recursive<string>((depth, self) =>
    {
        var scalar = Gen.Frequency<string>(
            (1, Gen.OneOf<string>("null", "true", "false")),
            (3, JsonNumber),
            (4, JsonText(text)));
        return depth >= 3
            ? scalar
            : Gen.Frequency<string>(
                (6, scalar),
                (1, Array(self, 0, 4)),
                (1, JsonObjectOf(from name in names from value in self select $"{JsonString(name)}:{value}", 0, 4)));
    });

    public static Gen<string> Array(Gen<string> item, int min, int max) =>
        item.Array[min, max].Select(items => $"[{string.Join(',', items)}]");

    /// <summary>An object of members; now and then the first member is given twice.</summary>
    public static Gen<string> JsonObjectOf(Gen<string> member, int min, int max) =>
        from members in member.Array[min, max]
        from repeat in Gen.Int[0, 15]
        select Join(members, repeat == 0);

    /// <summary>"name": value, or nothing (then left out of the object) unless the roll of 0..3 is below <paramref name="presence"/>.</summary>
    public static Gen<string> Member(string name, Gen<string> value, int presence = 2) =>
        from roll in Gen.Int[0, 3]
        from v in value
        select roll < presence ? $"{JsonString(name)}:{v}" : "";

    /// <summary>An object of the given members (those present), now and then one given twice.</summary>
    public static Gen<string> ObjectOf(params Gen<string>[] members) =>
        from parts in members.Aggregate(Gen.Const(System.Array.Empty<string>()), (all, next) => from a in all from b in next select (string[])[.. a, b])
        from repeat in Gen.Int[0, 15]
        select Join([.. parts.Where(part => part.Length > 0)], repeat == 0);

    private static string Join(string[] members, bool repeatFirst) =>
        "{" + string.Join(',', repeatFirst && members.Length > 0 ? [.. members, members[0]] : members) + "}";

    /// <summary>Arrays or objects nested far deeper than any reader allows.</summary>
    public static readonly Gen<string> DeepNesting =
        from depth in Gen.Int[30, 5000]
        from objects in Gen.Bool
        select objects
            ? string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)
            : new string('[', depth) + new string(']', depth);

    /// <summary>UTF-8 of <paramref name="json"/>, sometimes corrupted: an invalid byte sequence inserted, or cut short.</summary>
    public static Gen<byte[]> Utf8(Gen<string> json) =>
        from text in json
        from damage in Gen.Int[0, 39]
        from at in Gen.Int[0, int.MaxValue]
        select Damage(Encoding.UTF8.GetBytes(text), damage, at);

    private static byte[] Damage(byte[] bytes, int damage, int at)
    {
        var position = bytes.Length == 0 ? 0 : at % bytes.Length;
        byte[]? inserted = damage switch
        {
            0 => [0xFF],
            1 => [0xED, 0xA0, 0x80], // a surrogate encoded as UTF-8
            2 => [0xC0, 0xAF],       // an overlong '/'
            3 => [0xF0, 0x9F],       // a sequence cut short
            _ => null,
        };
        return damage == 4 ? bytes[..position]
            : inserted is null ? bytes
            : [.. bytes.AsSpan(0, position), .. inserted, .. bytes.AsSpan(position)];
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
