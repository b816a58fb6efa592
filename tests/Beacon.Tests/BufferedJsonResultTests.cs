using System.Text;
using System.Text.Json;
using GenomeNode.Beacon.Api;
using Microsoft.AspNetCore.Http;

namespace GenomeNode.Beacon.Tests;

/// <summary><see cref="BufferedJsonResult{T}"/>: the serializer's document, byte for byte, sent whole with its length.</summary>
public sealed class BufferedJsonResultTests
{
    [Fact]
    public async Task A_document_larger_than_the_first_buffer_is_sent_whole_with_its_length()
    {
        // About 150 KB, several times the first buffer; ids with text the encoder must escape.
        IReadOnlyList<CaseLevelVariant> cases = [.. Enumerable.Range(0, 2000).Select(i =>
            new CaseLevelVariant($"HG{i:D5}<\u00e9>", $"HG{i:D5}", new OntologyTerm("GENO:0000135", "heterozygous")))];
        var typeInfo = BeaconJsonContext.Default.IReadOnlyListCaseLevelVariant;
        var (context, body) = Context();

        await new BufferedJsonResult<IReadOnlyList<CaseLevelVariant>>(cases, typeInfo).ExecuteAsync(context);

        var expected = JsonSerializer.SerializeToUtf8Bytes(cases, typeInfo);
        Assert.True(expected.Length > 100_000);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(body.ToArray()));
        Assert.Equal(expected.Length, context.Response.ContentLength);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_small_document_keeps_its_status_code()
    {
        var summary = new ResponseSummary(false);
        var (context, body) = Context();

        await new BufferedJsonResult<ResponseSummary>(summary, BeaconJsonContext.Default.ResponseSummary, StatusCodes.Status400BadRequest)
            .ExecuteAsync(context);

        var expected = JsonSerializer.SerializeToUtf8Bytes(summary, BeaconJsonContext.Default.ResponseSummary);
        Assert.Equal(expected, body.ToArray());
        Assert.Equal(expected.Length, context.Response.ContentLength);
        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
    }

    private static (DefaultHttpContext Context, MemoryStream Body) Context()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        return (context, body);
    }
}
