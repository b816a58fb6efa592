using System.Security.Cryptography;
using System.Text;
using GenomeNode.Htsget.Data;
using GenomeNode.Htsget.Formats.Crypt4gh;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tickets;

namespace GenomeNode.Htsget.Api;

/// <summary>
/// How the node hands data out as Crypt4GH for the requester's own key (docs/htsget.md, "Crypt4GH"):
/// <list type="bullet">
/// <item>a ticket asked with <c>encryptionScheme=c4gh</c> is one Crypt4GH stream: an inline header for the client's key
/// with an edit list, then data URLs whose bytes follow it. A file stored encrypted contributes its own encrypted
/// segments as they are (never re-encrypted); a plain file's parts are encrypted on the fly with the ticket's data key,
/// each part padded to whole segments and the padding cut by the edit list;</item>
/// <item>a plaintext data URL fetched with the client's key in <see cref="ClientPublicKeyHeader"/> is a Crypt4GH stream
/// of just that range.</item>
/// </list>
/// </summary>
public static class Crypt4ghDelivery
{
    /// <summary>The request header carrying the client's Crypt4GH public key, as the GDI starter kit's download service takes it.</summary>
    public const string ClientPublicKeyHeader = "Client-Public-Key";

    private const string HeaderMediaType = "application/vnd.ga4gh.crypt4gh";

    /// <summary>
    /// The client's X25519 public key from <see cref="ClientPublicKeyHeader"/>: the base64 of its key file (as the
    /// starter kit's clients send it), the key file's text, or the base64 of the 32 key bytes. Null when the header is absent.
    /// </summary>
    public static byte[]? ParseClientKey(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var invalid = new HtsgetException(HtsgetErrorType.InvalidInput,
            $"The {ClientPublicKeyHeader} header is not a Crypt4GH public key: send the base64 of your key file (crypt4gh-keygen's .pub) or of its 32 key bytes.");
        try
        {
            var text = header.Trim();
            if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
            {
                return Checked(Crypt4ghKeyFiles.ReadPublicKey(text.Replace("\\n", "\n", StringComparison.Ordinal)));
            }

            var decoded = Convert.FromBase64String(text);
            if (decoded.Length == Crypt4ghKeyPair.KeyLength)
            {
                return Checked(decoded);
            }

            return Checked(Crypt4ghKeyFiles.ReadPublicKey(Encoding.ASCII.GetString(decoded)));
        }
        catch (Exception error) when (error is FormatException or Crypt4ghException or ArgumentException)
        {
            throw invalid;
        }

        byte[] Checked(byte[] key) =>
            Crypt4ghCipher.IsUsablePublicKey(key) ? key : throw invalid;
    }

    /// <summary>
    /// The ticket of a whole-block <paramref name="plan"/> as one Crypt4GH stream for <paramref name="clientKey"/>: the
    /// header inline, then the data URLs of the stored segments (<paramref name="storedHeader"/> given: the file is
    /// stored encrypted) or of the plain file's parts encrypted with the ticket's data key.
    /// </summary>
    public static HtsgetTicketResponse RenderTicket(
        TicketPlan plan, RegisteredObject registered, Crypt4ghHeader? storedHeader, byte[] clientKey,
        string dataBaseUrl, DataUrls dataUrls, InlineDataUris inlineUris, string ticketId)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(dataUrls);
        ArgumentNullException.ThrowIfNull(inlineUris);
        var parts = plan.Parts.Select(part => part as FilePart
            ?? throw new InvalidOperationException("A Crypt4GH ticket is planned from file bytes only.")).ToList();
        var expires = dataUrls.NewExpiry();
        var urls = new List<HtsgetUrl>();
        IReadOnlyList<byte[]> dataKeys;
        IReadOnlyList<long> editList;
        if (storedHeader is not null)
        {
            var slice = Crypt4ghSlice.Plan([.. parts.Select(part => new PlaintextRange(part.Offset, part.End))], registered.PlaintextSize);
            dataKeys = storedHeader.DataKeys;
            editList = slice.EditList;
            // Long runs are split at whole segments: each data URL's bytes start a segment, which the node authenticates.
            const long maxPart = TicketPlanner.MaxFilePartLength / Crypt4ghSegments.EncryptedSegmentLength * Crypt4ghSegments.EncryptedSegmentLength;
            foreach (var run in slice.Segments)
            {
                var start = storedHeader.Length + run.EncryptedOffset;
                for (var offset = start; offset < start + run.EncryptedLength; offset += maxPart)
                {
                    var length = Math.Min(maxPart, start + run.EncryptedLength - offset);
                    urls.Add(DataUrl(new DataRange(registered.ObjectId, offset, length), DataDelivery.Stored));
                }
            }
        }
        else
        {
            dataKeys = [dataUrls.TicketDataKey(ticketId)];
            editList = PaddingEditList(parts);
            for (var i = 0; i < parts.Count; i++)
            {
                urls.Add(DataUrl(new DataRange(registered.ObjectId, parts[i].Offset, parts[i].Length),
                    i == parts.Count - 1 ? DataDelivery.EncryptedLast : DataDelivery.Encrypted));
            }
        }

        using var header = new MemoryStream();
        Crypt4ghHeader.Write(header, clientKey, dataKeys, editList);
        urls.Insert(0, new HtsgetUrl(TicketUrl.FromJsonString(inlineUris.JsonStringFor(HeaderMediaType, new InlinePart(DataClass.Header, header.ToArray()))), "header"));
        return new HtsgetTicketResponse(new HtsgetTicket(plan.Format, urls));

        HtsgetUrl DataUrl(DataRange range, DataDelivery delivery) =>
            new($"{dataBaseUrl}/{dataUrls.CreateToken(range, registered.Sha256, expires, ticketId, delivery)}", "body");
    }

    /// <summary>
    /// Skip 0, keep each part, skip the padding that completes its last segment (none after the last part): the edit
    /// list that turns padded, separately encrypted parts back into their concatenation.
    /// </summary>
    public static IReadOnlyList<long> PaddingEditList(IReadOnlyList<FilePart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var editList = new List<long> { 0 };
        for (var i = 0; i < parts.Count; i++)
        {
            if (editList.Count % 2 == 0)
            {
                // The previous keep had no padding after it: this part extends it.
                editList[^1] += parts[i].Length;
            }
            else
            {
                editList.Add(parts[i].Length);
            }

            var padding = i == parts.Count - 1 ? 0 : Crypt4ghSegmentWriter.PaddedLength(parts[i].Length) - parts[i].Length;
            if (padding > 0)
            {
                editList.Add(padding);
            }
        }

        return editList;
    }

    /// <summary>
    /// Writes a Crypt4GH stream of plaintext <paramref name="range"/> for <paramref name="clientKey"/>: the stored
    /// segments that cover it with an edit list (file stored encrypted), or the plain bytes encrypted with a fresh key.
    /// </summary>
    public static async Task WriteRangeAsync(
        RegisteredObject registered, StoredObjectFiles files, DataRange range, byte[] clientKey, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(output);
        await using var file = StoredObjectFiles.OpenStored(registered);
        using var header = new MemoryStream();
        if (registered.IsCrypt4gh)
        {
            var stored = files.ReadHeader(registered, file);
            var slice = Crypt4ghSlice.Plan([new PlaintextRange(range.Offset, range.End)], registered.PlaintextSize);
            Crypt4ghHeader.Write(header, clientKey, stored.DataKeys, slice.EditList);
            await output.WriteAsync(header.GetBuffer().AsMemory(0, (int)header.Length), cancellationToken);
            foreach (var run in slice.Segments)
            {
                file.Position = stored.Length + run.EncryptedOffset;
                await Crypt4ghVerifiedCopy.CopyAsync(file, run.EncryptedLength, stored.DataKeys, run.FirstSegment, output, cancellationToken);
            }

            return;
        }

        var dataKey = RandomNumberGenerator.GetBytes(Crypt4ghCipher.KeyLength);
        try
        {
            Crypt4ghHeader.Write(header, clientKey, [dataKey]);
            await output.WriteAsync(header.GetBuffer().AsMemory(0, (int)header.Length), cancellationToken);
            await using var plaintext = new FileSliceStream(file, range.Offset, range.Length);
            await Crypt4ghSegmentWriter.CopyAsync(plaintext, range.Length, dataKey, padLast: false, output, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }
}
