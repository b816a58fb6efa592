using System.Buffers.Text;

namespace GenomeNode.Shared;

/// <summary>
/// Unpadded base64url as tokens carry it (JWS parts, htsget data tokens), decoded without ever throwing: the .NET
/// decoder throws <see cref="FormatException"/> on some invalid input, so the text is checked first.
/// </summary>
internal static class StrictBase64Url
{
    /// <summary>The bytes, or null when the text is not unpadded base64url (other characters, padding, whitespace, an impossible length).</summary>
    public static byte[]? Decode(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return null;
            }
        }

        if (!Base64Url.IsValid(text, out var length))
        {
            return null;
        }

        var buffer = new byte[length];
        return Base64Url.TryDecodeFromChars(text, buffer, out var written) ? buffer[..written] : null;
    }
}
