using System.Text;
using System.Text.Json;
using GenomeNode.Htsget.Api;
using GenomeNode.Htsget.Tickets;
using Microsoft.AspNetCore.Http;

namespace GenomeNode.Htsget.Tests.Api;

/// <summary><see cref="TicketResult"/>: the serializer's document, byte for byte, sent whole with its length.</summary>
public sealed class TicketResultTests
{
    [Fact]
    public async Task A_ticket_is_the_serializers_document_with_its_length_and_media_type()
    {
        using var uris = new InlineDataUris(1 << 20);
        var edge = new byte[40_000];
        new Random(8).NextBytes(edge);
        var ticket = new HtsgetTicketResponse(new HtsgetTicket("BAM",
        [
            new HtsgetUrl("https://node.example/htsget/data/a+b?c=<d>&e=\u00e9", "header", new Dictionary<string, string> { ["Range"] = "bytes=0-99" }),
            new HtsgetUrl(TicketUrl.FromJsonString(uris.JsonStringFor("application/vnd.ga4gh.bam", new InlinePart(DataClass.Body, edge))), "body"),
            new HtsgetUrl("https://node.example/htsget/data/x", "body"),
        ]));
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await new TicketResult(ticket).ExecuteAsync(context);

        var expected = JsonSerializer.SerializeToUtf8Bytes(ticket, HtsgetJsonContext.Web.HtsgetTicketResponse);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(body.ToArray()));
        Assert.Equal(expected.Length, context.Response.ContentLength);
        Assert.Equal(HtsgetEndpoints.TicketContentType, context.Response.ContentType);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Contains($"\"data:application/vnd.ga4gh.bam;base64,{Convert.ToBase64String(edge)}\"", Encoding.UTF8.GetString(body.ToArray()), StringComparison.Ordinal);
        Assert.Equal($"data:application/vnd.ga4gh.bam;base64,{Convert.ToBase64String(edge)}", ticket.Htsget.Urls[1].Url.ToString());
    }
}
