using System.Text.Encodings.Web;
using System.Text.Json;
using GenomeNode.Shared;
using Microsoft.AspNetCore.Http;

namespace GenomeNode.Htsget.Api;

/// <summary>
/// A ticket answered in one piece with its length: serialised synchronously into pooled memory, then sent. A ticket
/// carries tens of kilobytes of inline data URIs; the serializer's asynchronous path wrote them in resumable steps
/// with a flush per threshold, a tenth of a ticket's CPU.
/// </summary>
public sealed class TicketResult(HtsgetTicketResponse ticket)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<HtsgetTicketResponse>, IContentTypeHttpResult
{
    // As HtsgetJsonContext.Web: the writer's options, not the serializer's, decide the escaping here.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public HtsgetTicketResponse Value { get; } = ticket ?? throw new ArgumentNullException(nameof(ticket));

    object? IValueHttpResult.Value => Value;

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => HtsgetEndpoints.TicketContentType;

    public Task ExecuteAsync(HttpContext httpContext) => BufferedJsonResponse.WriteAsync(
        httpContext, Value, HtsgetJsonContext.Web.HtsgetTicketResponse, WriterOptions, StatusCodes.Status200OK, ContentType,
        EstimatedLength(Value));

    private static int EstimatedLength(HtsgetTicketResponse ticket)
    {
        var length = 64;
        foreach (var url in ticket.Htsget.Urls)
        {
            length += url.Url.Utf8Length + 32 + (url.Headers?.Sum(header => header.Key.Length + header.Value.Length + 8) ?? 0);
        }

        return length;
    }
}
