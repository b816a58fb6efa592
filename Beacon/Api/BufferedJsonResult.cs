using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GenomeNode.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace GenomeNode.Beacon.Api;

/// <summary>
/// A JSON response sent whole with its <c>Content-Length</c> (<see cref="BufferedJsonResponse"/>). <c>TypedResults.Json</c>
/// streams a document of more than a few kilobytes through the serializer's resumable path instead, a frame pushed and
/// popped per object: for record answers at 2,504 samples (50-200 KB of case-level data) that was 60 % of a request's CPU.
/// </summary>
public sealed class BufferedJsonResult<T>(T value, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IContentTypeHttpResult
{
    public T Value { get; } = value;

    object? IValueHttpResult.Value => Value;

    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    // Most answers (booleans, counts, errors) fit; a record page grows the buffer a few times.
    private const int InitialCapacity = 16 * 1024;

    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext) => BufferedJsonResponse.WriteAsync(
        httpContext, Value, typeInfo, new JsonWriterOptions { Encoder = typeInfo.Options.Encoder }, StatusCode, ContentType, InitialCapacity);
}
