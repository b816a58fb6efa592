using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using GenomeNode.Shared;

namespace GenomeNode.Passport.Tokens;

/// <summary>
/// A JWS in compact serialization, decoded but not yet trusted: the header and payload as JSON objects, the signing
/// input and the signature. Nothing here says the token is genuine; <see cref="SigningKey"/> does.
/// </summary>
/// <remarks>
/// Not IdentityModel's <c>JsonWebToken</c>: it takes the last of repeated members (<c>"alg":"RS256","alg":"none"</c>
/// reads as none), takes any text as the signature until it is checked, and throws on a registered claim of an
/// unexpected type (<c>"aud":42</c>), which the named steps refuse with their own reasons after the signature.
/// </remarks>
public sealed class SignedToken
{
    private const int MaxDepth = 16;

    /// <summary>
    /// The latest NumericDate accepted: 9999-12-31T00:00:00Z, a day short of the last instant a DateTimeOffset holds, so
    /// that a time read from a token plus the clock skew (at most 600 s) never overflows.
    /// </summary>
    public const long MaxSeconds = 253402214400;

    private SignedToken(JsonElement header, JsonElement payload, byte[] signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    public JsonElement Header { get; }

    public JsonElement Payload { get; }

    /// <summary>The ASCII bytes the signature covers: <c>BASE64URL(header) '.' BASE64URL(payload)</c>.</summary>
    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    public string? Algorithm => HeaderString("alg");

    public string? KeyId => HeaderString("kid");

    public string? MediaType => HeaderString("typ");

    /// <summary>The <c>jku</c> header: where the issuer says its keys are (only fetched when allow-listed).</summary>
    public string? JwkSetUrl => HeaderString("jku");

    public string? Issuer => Claim("iss");

    public string? Subject => Claim("sub");

    /// <summary>Decodes <paramref name="compact"/>, or says why it is not a JWS with JSON object header and payload.</summary>
    public static bool TryDecode(string compact, out SignedToken? token, out string? error)
    {
        ArgumentNullException.ThrowIfNull(compact);
        token = null;
        var firstDot = compact.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : compact.IndexOf('.', firstDot + 1);
        if (firstDot < 0 || secondDot < 0 || compact.IndexOf('.', secondDot + 1) >= 0)
        {
            error = "it is not a JWS in compact serialization (three base64url parts separated by dots)";
            return false;
        }

        var header = ParseObject(compact.AsSpan(0, firstDot), "header", out error);
        if (header is null)
        {
            return false;
        }

        var payload = ParseObject(compact.AsSpan(firstDot + 1, secondDot - firstDot - 1), "payload", out error);
        if (payload is null)
        {
            return false;
        }

        // An empty signature decodes (an unsecured JWS, alg "none", has one): the algorithm step refuses it by name,
        // and the signature step refuses any other token without a signature.
        var signature = DecodePart(compact.AsSpan(secondDot + 1));
        if (signature is null)
        {
            error = "its signature is not base64url";
            return false;
        }

        token = new SignedToken(header.Value, payload.Value, Encoding.ASCII.GetBytes(compact, 0, secondDot), signature);
        return true;
    }

    /// <summary>A string claim of the payload, or null when absent or not a string.</summary>
    public string? Claim(string claim) =>
        Payload.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Whether the payload holds <paramref name="claim"/> at all (of any type).</summary>
    public bool Has(string claim) => Payload.TryGetProperty(claim, out _);

    /// <summary>
    /// A NumericDate claim (seconds since the epoch) as whole seconds; false when absent, not a number or out of range.
    /// </summary>
    public bool TryGetSeconds(string claim, out long seconds) => TryGetSeconds(Payload, claim, out seconds);

    public static bool TryGetSeconds(JsonElement container, string claim, out long seconds)
    {
        seconds = 0;
        if (!container.TryGetProperty(claim, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return false;
        }

        if (value.TryGetInt64(out seconds))
        {
            return seconds is >= 0 and <= MaxSeconds;
        }

        // NumericDate may carry a fraction; anything else (exponents beyond range) is refused.
        if (value.TryGetDouble(out var fractional) && fractional is >= 0 and <= MaxSeconds)
        {
            seconds = (long)Math.Floor(fractional);
            return true;
        }

        return false;
    }

    private string? HeaderString(string name) =>
        Header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement? ParseObject(ReadOnlySpan<char> part, string name, out string? error)
    {
        var bytes = DecodePart(part);
        if (bytes is null || bytes.Length == 0)
        {
            error = $"its {name} is not base64url";
            return null;
        }

        // The node's rule for caller JSON: no repeated member, and only well-formed Unicode, which System.Text.Json
        // would otherwise let through until a claim is read (and then throw).
        if (!StrictJson.TryParse(bytes, StringComparer.Ordinal, MaxDepth, out var document, out var refused))
        {
            // The parser's message may quote the token's content; say only what kind of problem it is.
            error = refused.Problem == StrictJsonProblem.InvalidText
                ? $"its {name} holds text that is not valid Unicode"
                : $"its {name} is not valid JSON (or repeats a member name)";
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"its {name} is not a JSON object";
                return null;
            }

            error = null;
            return document.RootElement.Clone();
        }
    }

    private static byte[]? DecodePart(ReadOnlySpan<char> part)
    {
        if (part.IsEmpty)
        {
            return [];
        }

        return Base64UrlPart(part);
    }

    /// <summary>Decodes unpadded base64url text, or null when it is not.</summary>
    internal static byte[]? Base64UrlPart(ReadOnlySpan<char> part) => GenomeNode.Shared.StrictBase64Url.Decode(part);
}
