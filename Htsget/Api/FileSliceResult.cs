using GenomeNode.Htsget.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace GenomeNode.Htsget.Api;

/// <summary>
/// A data URL's bytes with HTTP Range (one range; several, or a malformed header, answer the whole slice as RFC 9110
/// allows), read from the file straight into Kestrel's output buffers: no intermediate copy per chunk, and a flush
/// every <see cref="FlushEvery"/> bytes rather than every read. Slices of 1 MB, as htslib and igv.js fetch them, spend
/// most of their time in copies.
/// </summary>
public sealed class FileSliceResult(FileSliceStream slice, string contentType) : IResult, IDisposable
{
    private const int ReadSize = 128 * 1024;
    private const int FlushEvery = 512 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        await using var source = slice;
        var response = httpContext.Response;
        var length = source.Length;
        var (start, count, status) = Range(httpContext.Request, length);
        response.Headers.AcceptRanges = "bytes";
        response.StatusCode = status;
        if (status == StatusCodes.Status416RangeNotSatisfiable)
        {
            response.Headers.ContentRange = $"bytes */{length}";
            return;
        }

        response.ContentType = contentType;
        response.ContentLength = count;
        if (status == StatusCodes.Status206PartialContent)
        {
            response.Headers.ContentRange = new ContentRangeHeaderValue(start, start + count - 1, length).ToString();
        }

        if (HttpMethods.IsHead(httpContext.Request.Method) || count == 0)
        {
            return;
        }

        var writer = response.BodyWriter;
        var cancellation = httpContext.RequestAborted;
        // Started first: bytes written before the headers are held apart and copied again once they are written.
        await response.StartAsync(cancellation);
        source.Position = start;
        long sent = 0;
        var unflushed = 0;
        while (sent < count)
        {
            var memory = writer.GetMemory((int)Math.Min(ReadSize, count - sent));
            var wanted = (int)Math.Min(memory.Length, count - sent);
            // A synchronous read: .NET's asynchronous file reads on Linux block a pool thread the same way, after a hop.
            var read = source.Read(memory.Span[..wanted]);
            if (read == 0)
            {
                throw new IOException("The file ended before the slice it was registered with.");
            }

            writer.Advance(read);
            sent += read;
            unflushed += read;
            if (unflushed >= FlushEvery || sent == count)
            {
                unflushed = 0;
                var flushed = await writer.FlushAsync(cancellation);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    return;
                }
            }
        }
    }

    public void Dispose() => slice.Dispose();

    // (start, count, status) of what to send for the request's Range, as the framework's file results answer it.
    private static (long Start, long Count, int Status) Range(HttpRequest request, long length)
    {
        var header = request.Headers.Range;
        if (header.Count != 1 || !HttpMethods.IsGet(request.Method)
            || !RangeHeaderValue.TryParse(header[0], out var parsed) || parsed.Unit != "bytes" || parsed.Ranges.Count != 1)
        {
            return (0, length, StatusCodes.Status200OK);
        }

        var range = parsed.Ranges.First();
        long start, end;
        if (range.From is { } from)
        {
            start = from;
            end = range.To is { } to ? Math.Min(to, length - 1) : length - 1;
        }
        else if (range.To is { } suffix && suffix > 0)
        {
            start = Math.Max(0, length - suffix);
            end = length - 1;
        }
        else
        {
            return (0, 0, StatusCodes.Status416RangeNotSatisfiable);
        }

        return start >= length || start > end ? (0, 0, StatusCodes.Status416RangeNotSatisfiable) : (start, end - start + 1, StatusCodes.Status206PartialContent);
    }
}
