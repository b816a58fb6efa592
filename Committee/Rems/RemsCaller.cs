using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Committee.Rems;

/// <summary>A caller of the REMS API: a valid API key (with its roles) acting as the user named in <c>x-rems-user-id</c>.</summary>
public sealed record RemsCaller(string UserId, IReadOnlyList<string> Roles)
{
    public const string ApiKeyHeader = "x-rems-api-key";
    public const string UserIdHeader = "x-rems-user-id";

    public bool Has(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>The caller of <paramref name="context"/> by REMS' headers, or null when the key or the user is missing or unknown.</summary>
    public static RemsCaller? From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = context.Request.Headers[ApiKeyHeader].ToString();
        var user = context.Request.Headers[UserIdHeader].ToString().Trim();
        if (key.Length == 0 || user.Length == 0 || user.Length > 255 || user.Any(char.IsControl))
        {
            return null;
        }

        return context.RequestServices.GetRequiredService<ApiKeys>().Find(key) is { } roles ? new RemsCaller(user, roles) : null;
    }

    /// <summary>REMS' answer to a request without a valid key and user: 401, plain text.</summary>
    public static IResult Unauthorized() => Results.Text("unauthorized", "text/plain", statusCode: StatusCodes.Status401Unauthorized);
}
