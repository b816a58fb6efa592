using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace GenomeNode.Shared;

/// <summary>
/// Sends a JSON document in one piece with its <c>Content-Length</c>: serialised synchronously by the generated fast
/// path into pooled memory, then written once. Streamed instead, the serializer's resumable path costs a frame per
/// object and a flush per threshold, and a body written before the response starts goes out chunked and copied again.
/// </summary>
internal static class BufferedJsonResponse
{
    public static async Task WriteAsync<T>(
        HttpContext httpContext, T value, JsonTypeInfo<T> typeInfo, JsonWriterOptions writerOptions, int statusCode, string contentType,
        int initialCapacity)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        using var body = new PooledBufferWriter(initialCapacity);
        using (var writer = new Utf8JsonWriter(body, writerOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.ContentLength = body.WrittenMemory.Length;
        await response.Body.WriteAsync(body.WrittenMemory, httpContext.RequestAborted);
    }
}
