using GenomeNode.Htsget.Access;
using GenomeNode.Htsget.Data;
using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Formats.Crypt4gh;
using GenomeNode.Htsget.Planning;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tickets;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenomeNode.Htsget.Api;

/// <summary>
/// What the htsget endpoints do once a request is read: issue a ticket (find the object, decide and audit access, check
/// that the file is as registered, plan on its snapshot, sign the data URLs) and admit a data URL. Objects and their
/// snapshots come from <see cref="HtsgetObjectCache"/>, so neither reads a table unless something changed. Refusals are
/// <see cref="HtsgetException"/>s (and <see cref="AuditUnavailableException"/> when the audit cannot record them).
/// </summary>
public sealed class HtsgetService(
    HtsgetObjectCache objects,
    IHtsgetAccessPolicy policy,
    DataUrls dataUrls,
    StoredObjectFiles files,
    InlineDataUris inlineUris,
    PublicBaseUrl publicBaseUrl,
    IOptions<HtsgetOptions> options,
    ILogger<HtsgetService> logger)
{
    /// <summary>The ticket for <paramref name="query"/> on object <paramref name="id"/>, with data URLs under <paramref name="dataBaseUrl"/>.</summary>
    public async Task<HtsgetTicketResponse> TicketAsync(
        HtsgetKind kind, string id, HtsgetQuery query, RequestAccess access, string dataBaseUrl, CancellationToken cancellationToken, byte[]? clientKey = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(access);
        var current = HtsgetObjectRegistrar.IsValidObjectId(id) ? await objects.FindAsync(id, cancellationToken) : null;
        var unknown = new HtsgetException(HtsgetErrorType.NotFound, $"No {HtsgetEndpoints.KindName(kind)} object has the id '{HtsgetRequests.Shorten(id)}'.");
        if (current is not { Registered: var registered } || registered.Kind != kind)
        {
            throw unknown;
        }

        var ticketId = DataUrls.NewTicketId();
        var decision = await policy.DecideAsync(registered, current.Dataset, access, cancellationToken);
        var asked = HtsgetAuditQuery.Ticket(query);
        if (decision.Decision != HtsgetAccessDecision.Granted)
        {
            await AuditTicketAsync(access, decision, ticketId, asked, Returned.Error);
            if (decision.Decision == HtsgetAccessDecision.Hidden)
            {
                throw unknown;
            }

            Log.AccessRefused(logger, registered.ObjectId, registered.DatasetId, decision.Decision.ToString());
            throw decision.Decision == HtsgetAccessDecision.Forbidden
                ? new HtsgetException(HtsgetErrorType.PermissionDenied, decision.Message)
                : new HtsgetException(HtsgetErrorType.InvalidAuthentication, decision.Message) { Challenge = decision.Challenge };
        }

        HtsgetTicketResponse ticket;
        try
        {
            // Which formats the object holds is told only to a caller granted access.
            var file = HtsgetObjectStore.DefaultFormat(current.Files, query.Format)
                ?? throw new HtsgetException(HtsgetErrorType.UnsupportedFormat,
                    $"Object '{registered.ObjectId}' is not held as {query.Format}; it is held as {string.Join(" and ", current.Files.Select(held => held.Format))}.");
            var encrypted = query.EncryptionScheme == HtsgetQuery.Crypt4gh;
            if (current.Streaming == StreamingPolicy.None)
            {
                throw new HtsgetException(HtsgetErrorType.PermissionDenied,
                    $"Dataset '{registered.DatasetId}' allows no downloads (its streaming policy is none); its Beacon answers stay available.");
            }

            if (encrypted && clientKey is null)
            {
                throw new HtsgetException(HtsgetErrorType.InvalidInput,
                    $"encryptionScheme=c4gh needs your Crypt4GH public key in the {Crypt4ghDelivery.ClientPublicKeyHeader} header.");
            }

            // A Crypt4GH stream, and anything of a c4gh-only dataset, carries whole blocks: nothing re-compressed inline.
            var shape = encrypted || current.Streaming == StreamingPolicy.Crypt4ghOnly ? PlanShape.WholeBlocks : PlanShape.Exact;
            ticket = Plan(file, query, dataBaseUrl, ticketId, shape, encrypted ? clientKey : null);
        }
        catch (HtsgetException)
        {
            // Recorded as asked and refused: the access was granted, the answer was an error.
            await AuditTicketAsync(access, decision, ticketId, asked, Returned.Error);
            throw;
        }

        // Answered only once recorded as answered.
        await AuditTicketAsync(access, decision, ticketId, asked, Returned.Ticket);
        return ticket;
    }

    private HtsgetTicketResponse Plan(RegisteredObject registered, HtsgetQuery query, string dataBaseUrl, string ticketId, PlanShape shape, byte[]? clientKey)
    {
        CheckUnchangedOnDisk(registered);
        var snapshot = objects.Snapshot(registered)
            ?? throw new HtsgetException(HtsgetErrorType.Unavailable,
                $"Object '{registered.ObjectId}' was registered again while this ticket was made; ask again.");
        TicketPlan plan;
        Crypt4ghHeader? storedHeader = null;
        bool readFile;
        try
        {
            using (var edges = objects.Edges(registered, () => files.OpenPlaintext(registered)))
            {
                plan = TicketPlanning.Plan(snapshot, query, edges, shape);
                readFile = edges.OpenedFile;
            }

            if (clientKey is not null && registered.IsCrypt4gh)
            {
                storedHeader = files.ReadHeader(registered);
                readFile = true;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or HtsFormatException or Crypt4ghException)
        {
            Log.DataFileUnreadable(logger, registered.ObjectId, error);
            throw Unreadable(registered.ObjectId);
        }

        // Edges cut from the file while planning: a file rewritten meanwhile may have given bytes the snapshot's index
        // does not describe, so such a plan is never handed out. A plan from memory alone rests on the check above.
        if (readFile)
        {
            CheckUnchangedOnDisk(registered);
        }
        var ticket = clientKey is not null
            ? Crypt4ghDelivery.RenderTicket(plan, registered, storedHeader, clientKey, dataBaseUrl, dataUrls, inlineUris, ticketId)
            : HtsgetEndpoints.Render(plan, registered, dataBaseUrl, dataUrls, inlineUris, ticketId);
        Log.TicketIssued(logger, registered.ObjectId, ticket.Htsget.Urls.Count, plan.FileBytes);
        return ticket;
    }

    /// <summary>Records a ticket request's decision with what was asked and answered (nothing when no decision was made).</summary>
    private static Task AuditTicketAsync(RequestAccess access, HtsgetAccess decision, string ticketId, string asked, string returned) =>
        decision.Audited is { } audited
            ? access.AuditAsync(audited.Caller, audited.Resource,
                [audited.Decision with { Details = new AuditDetails(asked, returned, null, 0) }], ticketId)
            : Task.CompletedTask;

    /// <summary>
    /// Admits a data URL's token (its object, signature and expiry; the fetch audited with the HTTP
    /// <paramref name="range"/> asked, if any) under the dataset's streaming policy, and opens the bytes it grants of the
    /// file, which must still be as registered: a seekable slice of plaintext or stored bytes, or a Crypt4GH stream for
    /// <paramref name="clientKey"/> (the client's key, when it sent one) or of a ticket's encrypted part.
    /// </summary>
    public async Task<DataAnswer> FetchAsync(string token, string range, RequestAccess access, CancellationToken cancellationToken, byte[]? clientKey = null)
    {
        ArgumentNullException.ThrowIfNull(access);
        if (!DataToken.TryParse(token, out var parsed))
        {
            Log.DataUrlRefused(logger, "malformed token");
            throw new HtsgetException(HtsgetErrorType.PermissionDenied, "This is not a valid data URL; request a new ticket.");
        }

        var current = await objects.FindAsync(parsed.Range.ObjectId, cancellationToken)
            ?? throw new HtsgetException(HtsgetErrorType.NotFound, "The object of this data URL is no longer registered.");
        // The token is signed over the SHA-256 of one format's file: it names that file, and no other.
        var registered = current.Files[0];
        var status = DataTokenStatus.Invalid;
        foreach (var file in current.Files)
        {
            status = dataUrls.Check(parsed, file.Sha256);
            if (status != DataTokenStatus.Invalid)
            {
                registered = file;
                break;
            }
        }

        switch (status)
        {
            case DataTokenStatus.Invalid:
                Log.DataUrlRefused(logger, "bad signature");
                throw new HtsgetException(HtsgetErrorType.PermissionDenied, "This data URL is not valid (altered, or for a file registered since); request a new ticket.");
            case DataTokenStatus.Expired:
                Log.DataUrlRefused(logger, "expired");
                await AuditFetchAsync(access, registered, parsed, range, allowed: false, "expired", Returned.Error);
                throw new HtsgetException(HtsgetErrorType.PermissionDenied, "This data URL has expired; request a new ticket.");
        }

        if (PolicyRefusal(current.Streaming, registered, parsed.Delivery, clientKey) is { } refused)
        {
            Log.DataUrlRefused(logger, "streaming policy");
            await AuditFetchAsync(access, registered, parsed, range, allowed: false, $"streaming policy {current.Streaming.Name()}", Returned.Error);
            throw new HtsgetException(HtsgetErrorType.PermissionDenied, refused);
        }

        DataAnswer answer;
        try
        {
            answer = Open(registered, parsed, clientKey);
            if (answer.Write is { } write)
            {
                // Bytes already sent cannot be taken back: a failure breaks the answer off (the client sees a short or
                // aborted response, never bytes that failed authentication), and the log says why.
                answer = answer with
                {
                    Write = async (output, cancellation) =>
                    {
                        try
                        {
                            await write(output, cancellation);
                        }
                        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Crypt4ghException)
                        {
                            Log.Crypt4ghAnswerBrokeOff(logger, registered.ObjectId, error);
                            throw;
                        }
                    },
                };
            }
        }
        catch (HtsgetException)
        {
            await AuditFetchAsync(access, registered, parsed, range, allowed: true, "signed data URL", Returned.Error);
            throw;
        }

        try
        {
            // Streamed only once recorded.
            await AuditFetchAsync(access, registered, parsed, range, allowed: true, "signed data URL", Returned.Stream);
        }
        catch
        {
            if (answer.Slice is { } slice)
            {
                await slice.DisposeAsync();
            }

            throw;
        }

        return answer;
    }

    // What the dataset's policy refuses of a data URL: a plaintext one under c4gh-only unless the client sent its key.
    private static string? PolicyRefusal(StreamingPolicy streaming, RegisteredObject registered, DataDelivery delivery, byte[]? clientKey) => streaming switch
    {
        StreamingPolicy.None => $"Dataset '{registered.DatasetId}' allows no downloads (its streaming policy is none).",
        StreamingPolicy.Crypt4ghOnly when delivery == DataDelivery.Plaintext && clientKey is null =>
            $"Dataset '{registered.DatasetId}' is served encrypted only (its streaming policy is c4gh-only): send your Crypt4GH public key in the {Crypt4ghDelivery.ClientPublicKeyHeader} header, or ask the ticket with encryptionScheme=c4gh.",
        _ => null,
    };

    private DataAnswer Open(RegisteredObject registered, DataToken token, byte[]? clientKey)
    {
        CheckUnchangedOnDisk(registered);
        var bytes = token.Range;
        var limit = token.Delivery == DataDelivery.Stored ? registered.Size : registered.PlaintextSize;
        if (bytes.End > limit || (token.Delivery == DataDelivery.Stored && !registered.IsCrypt4gh))
        {
            throw Unreadable(registered.ObjectId);
        }

        try
        {
            switch (token.Delivery)
            {
                case DataDelivery.Plaintext when clientKey is not null:
                    return new DataAnswer(null, (output, cancellation) => Crypt4ghDelivery.WriteRangeAsync(registered, files, bytes, clientKey, output, cancellation));
                case DataDelivery.Plaintext:
                    return new DataAnswer(OpenPlaintextSlice(registered, bytes), null);
                case DataDelivery.Stored:
                    var header = files.ReadHeader(registered);
                    var firstSegment = (bytes.Offset - header.Length) / Crypt4ghSegments.EncryptedSegmentLength;
                    return new DataAnswer(null, async (output, cancellation) =>
                    {
                        await using var stored = StoredObjectFiles.OpenStored(registered);
                        stored.Position = bytes.Offset;
                        await Crypt4ghVerifiedCopy.CopyAsync(stored, bytes.Length, header.DataKeys, firstSegment, output, cancellation);
                    }, bytes.Length);
                default:
                    var padLast = token.Delivery == DataDelivery.Encrypted;
                    var dataKey = dataUrls.TicketDataKey(token.Ticket!);
                    return new DataAnswer(null, async (output, cancellation) =>
                    {
                        await using var plaintext = new FileSliceStream(files.OpenPlaintext(registered), bytes.Offset, bytes.Length);
                        await Crypt4ghSegmentWriter.CopyAsync(plaintext, bytes.Length, dataKey, padLast, output, cancellation);
                    }, Crypt4ghSegmentWriter.EncryptedLength(bytes.Length, padLast));
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Crypt4ghException)
        {
            Log.DataFileUnreadable(logger, registered.ObjectId, error);
            throw Unreadable(registered.ObjectId);
        }
    }

    private FileSliceStream OpenPlaintextSlice(RegisteredObject registered, DataRange bytes)
    {
        var file = files.OpenPlaintext(registered);
        if (file.Length < bytes.End)
        {
            file.Dispose();
            throw new IOException($"{registered.Path} is shorter than registered.");
        }

        var slice = new FileSliceStream(file, bytes.Offset, bytes.Length);
        if (registered.IsCrypt4gh)
        {
            // The first segment is authenticated before the answer starts, so a tampered one is an htsget error.
            Span<byte> first = stackalloc byte[1];
            try
            {
                slice.ReadExactly(first);
                slice.Position = 0;
            }
            catch
            {
                slice.Dispose();
                throw;
            }
        }

        return slice;
    }

    /// <summary>The base URL data URLs start with: <c>Htsget:PublicBaseUrl</c> when set, else the node's public base URL rule.</summary>
    public string DataBaseUrl(HttpRequest request)
    {
        var configured = options.Value.PublicBaseUrl;
        var root = string.IsNullOrEmpty(configured) ? publicBaseUrl.For(request) : configured.TrimEnd('/');
        return $"{root}{HtsgetEndpoints.Prefix}/data";
    }

    private static HtsgetException Unreadable(string objectId) =>
        new(HtsgetErrorType.Unavailable, $"The data of object '{objectId}' cannot be read right now; try again later.");

    // Tickets and data URLs are cut from the registered layout: a file rewritten since is not served.
    private void CheckUnchangedOnDisk(RegisteredObject registered)
    {
        if (!registered.IsUnchangedOnDisk())
        {
            Log.DataFileChanged(logger, registered.ObjectId, registered.Path);
            throw new HtsgetException(HtsgetErrorType.Unavailable,
                $"The file of object '{registered.ObjectId}' changed since it was registered; it is served again once the node's operator registers it anew.");
        }
    }

    /// <summary>
    /// Records a fetch of an authentic data URL: which bytes (and the Range asked, if any) of which object, under which
    /// ticket (the ticket's own audit row names the caller it was issued to; data URLs carry no credentials).
    /// </summary>
    private static Task AuditFetchAsync(
        RequestAccess access, RegisteredObject registered, DataToken token, string range, bool allowed, string why, string returned)
    {
        var bytes = $"bytes {token.Range.Offset}-{token.Range.End - 1}" + (range.Length == 0 ? "" : $" ({HtsgetRequests.Shorten(range)})");
        var reason = token.Ticket is { } ticket ? $"{why} of ticket {ticket}" : why;
        return access.AuditAsync(Caller.Anonymous, $"htsget:data/{registered.ObjectId}",
            new AccessDecision(registered.DatasetId, allowed ? AccessGrant.Controlled : AccessGrant.None, reason), allowed, bytes, token.Ticket,
            new AuditDetails(HtsgetAuditQuery.Fetch(token.Range, range), returned, null, 0));
    }

    /// <summary>What an htsget answer gave, as the audit's <c>returned</c> column names it.</summary>
    private static class Returned
    {
        public const string Ticket = "ticket";
        public const string Stream = "stream";
        public const string Error = "error";
    }
}

/// <summary>
/// What a data URL answers: a seekable <see cref="Slice"/> (HTTP Range applies), or bytes written by
/// <see cref="Write"/> (a Crypt4GH stream; <see cref="Length"/> when known in advance).
/// </summary>
public sealed record DataAnswer(FileSliceStream? Slice, Func<Stream, CancellationToken, Task>? Write, long? Length = null);
