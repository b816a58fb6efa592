using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Shared;
using Microsoft.AspNetCore.Http;

namespace GenomeNode.Committee.Rems;

/// <summary>A request body read under the node's rule for caller JSON (StrictJson), or the 400 that refuses it.</summary>
internal static class RequestBodies
{
    public const int MaxBytes = 256 * 1024;

    /// <summary>The body's JSON object, or a 400 naming what is wrong (<paramref name="refuse"/> builds the protocol's error body).</summary>
    public static async Task<(JsonElement Root, IResult? Refusal)> ReadObjectAsync(
        HttpRequest request, Func<string, string, IResult> refuse, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (default, Results.Text("the request body must be JSON (Content-Type: application/json)", "text/plain",
                statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (default, refuse("body", $"the request body is larger than {MaxBytes} bytes"));
        }

        using var limited = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (limited.Length + read > MaxBytes)
            {
                return (default, refuse("body", $"the request body is larger than {MaxBytes} bytes"));
            }

            limited.Write(buffer, 0, read);
        }

        limited.Position = 0;
        var (document, refused) = await StrictJson.ParseAsync(limited, StringComparer.Ordinal, cancellationToken);
        if (refused is not null)
        {
            return (default, refuse(refused.PathOr("body"), refused.Problem == StrictJsonProblem.Syntax ? $"the request body is {refused.Message}" : refused.Message));
        }

        using (document)
        {
            var root = document!.RootElement;
            return root.ValueKind == JsonValueKind.Object ? (root.Clone(), null) : (default, refuse("body", "the request body must be a JSON object"));
        }
    }

    /// <summary>A whole number member (REMS ids), or null when absent or not one.</summary>
    public static long? Long(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    public static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A list of whole numbers, or null when absent, not a list, or holding anything else.</summary>
    public static List<long>? Longs(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<long>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var number))
            {
                return null;
            }

            list.Add(number);
        }

        return list;
    }

    /// <summary>REMS' 400 for a body that does not fit the command's schema: <c>{"errors": {member: problem}}</c>.</summary>
    public static IResult RemsBadRequest(string member, string problem) =>
        Results.Json(new JsonObject { ["errors"] = new JsonObject { [member] = problem } }, statusCode: StatusCodes.Status400BadRequest);
}
