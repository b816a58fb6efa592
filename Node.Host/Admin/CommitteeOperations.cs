using System.Globalization;
using System.Text;
using System.Text.Json;
using GenomeNode.Committee.Rems;

namespace GenomeNode.Host.Admin;

public sealed record ApiKeyAddArguments(string Comment, IReadOnlyList<string>? Roles);

public sealed record ApiKeyListArguments(bool Json);

public sealed record ApiKeyRevokeArguments(long Id);

/// <summary>The <c>committee api-key add|list|revoke</c> operations over the Committee module's REMS API keys.</summary>
internal static class CommitteeOperations
{
    public const string AddKey = "committee.api-key.add";
    public const string ListKeys = "committee.api-key.list";
    public const string RevokeKey = "committee.api-key.revoke";

    public static Task<OperationResult> AddKeyAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<ApiKeyAddArguments>(arguments);
        if (string.IsNullOrWhiteSpace(request.Comment))
        {
            return Task.FromResult(OperationResult.Fail("give a --comment saying who uses the key"));
        }

        try
        {
            var (id, key) = services.GetRequiredService<ApiKeys>().Add(request.Comment.Trim(), request.Roles ?? []);
            // The key is shown this once; only its SHA-256 is stored.
            return Task.FromResult(OperationResult.Ok($"{key}\n(key {id}; shown only now: store it where the client reads it)"));
        }
        catch (ArgumentException ex)
        {
            return Task.FromResult(OperationResult.Fail(ex.Message.Split(" (Parameter", StringSplitOptions.None)[0]));
        }
    }

    public static Task<OperationResult> ListKeysAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<ApiKeyListArguments>(arguments);
        var keys = services.GetRequiredService<ApiKeys>().List();
        if (request.Json)
        {
            return Task.FromResult(OperationResult.Ok(JsonSerializer.Serialize(keys, NodeOperations.Json)));
        }

        var table = new StringBuilder("ID".PadLeft(4) + "  CREATED               REVOKED               ROLES                COMMENT");
        foreach (var key in keys)
        {
            table.Append(CultureInfo.InvariantCulture,
                $"\n{key.Id,4}  {key.CreatedAt:yyyy-MM-ddTHH:mm:ssZ}  {(key.RevokedAt is { } revoked ? revoked.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "-"),-20}  {string.Join(",", key.Roles),-20} {key.Comment}");
        }

        return Task.FromResult(OperationResult.Ok(table.ToString()));
    }

    public static Task<OperationResult> RevokeKeyAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<ApiKeyRevokeArguments>(arguments);
        return Task.FromResult(services.GetRequiredService<ApiKeys>().Revoke(request.Id)
            ? OperationResult.Ok($"revoked key {request.Id}")
            : OperationResult.Fail($"there is no unrevoked key {request.Id}"));
    }
}
