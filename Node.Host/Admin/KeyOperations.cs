using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using GenomeNode.Htsget.Data;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Issuing;
using Microsoft.Extensions.Options;

namespace GenomeNode.Host.Admin;

public sealed record KeysListArguments(bool Json);

public sealed record KeysRotateArguments;

public sealed record KeysCrypt4ghArguments;

/// <summary>
/// The <c>keys list|rotate</c> operations over the node's signing keys (docs/passport.md, "Signing keys and
/// rotation"). A rotation handed to the serving node runs on its key ring, so it signs with the new key at once.
/// </summary>
internal static class KeyOperations
{
    public const string List = "keys.list";
    public const string Rotate = "keys.rotate";
    public const string Crypt4ghInit = "keys.c4gh.init";
    public const string Crypt4ghShow = "keys.c4gh.show";

    public static Task<OperationResult> Crypt4ghInitAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        NodeOperations.ReadArguments<KeysCrypt4ghArguments>(arguments);
        var key = services.GetRequiredService<NodeCrypt4ghKey>();
        if (!key.Create())
        {
            return Task.FromResult(OperationResult.Fail(
                $"the node already has a Crypt4GH key ({key.SecretKeyPath}); files at rest are encrypted to it, so it is never replaced by init"));
        }

        return Task.FromResult(OperationResult.Ok(
            $"created the node's Crypt4GH key: secret key {key.SecretKeyPath} (owner only), public key {key.PublicKeyPath}:\n{key.PublicKeyText()}"));
    }

    public static Task<OperationResult> Crypt4ghShowAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        NodeOperations.ReadArguments<KeysCrypt4ghArguments>(arguments);
        try
        {
            return Task.FromResult(services.GetRequiredService<NodeCrypt4ghKey>().PublicKeyText() is { } text
                ? OperationResult.Ok(text.TrimEnd('\n'))
                : OperationResult.Fail("the node has no Crypt4GH key yet: create it with 'genome-node keys c4gh init'"));
        }
        catch (GenomeNode.Htsget.Formats.Crypt4gh.Crypt4ghException ex)
        {
            return Task.FromResult(OperationResult.Fail(ex.Message));
        }
    }

    public static Task<OperationResult> ListAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<KeysListArguments>(arguments);
        var skew = services.GetRequiredService<IOptionsMonitor<PassportOptions>>().CurrentValue.ClockSkew;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var keys = NodeSigningKeys.List(services.GetRequiredService<DuckDBConnection>(), now, skew);
        if (request.Json)
        {
            var rows = keys.Select(k => new
            {
                kid = k.KeyId,
                created = k.CreatedAt,
                retired = k.RetiredAt,
                signedUntil = k.SignedUntil,
                publishedUntil = k.PublishedUntil,
                current = k.IsCurrent,
                published = k.IsCurrent || k.PublishedUntil > now,
            });
            return Task.FromResult(OperationResult.Ok(JsonSerializer.Serialize(rows, NodeOperations.Json)));
        }

        return Task.FromResult(OperationResult.Ok(Table(keys, now)));
    }

    public static Task<OperationResult> RotateAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        NodeOperations.ReadArguments<KeysRotateArguments>(arguments);
        var rotation = services.GetRequiredService<NodeSigningKeys>().Rotate();
        // What the ring in this process signs with now: in a serving node, its tokens from this moment on.
        var signing = services.GetRequiredService<INodeSigningKeys>().Current.Key.KeyId;
        return Task.FromResult(OperationResult.Ok(
            $"signing with key {signing} from now on; key {rotation.Retired.KeyId} is retired and stays published until what it signed expires"));
    }

    private static string Table(IReadOnlyList<SigningKeyInfo> keys, DateTimeOffset now)
    {
        if (keys.Count == 0)
        {
            return "no signing keys yet (the first is created when the node first signs or publishes its keys)";
        }

        string[] header = ["KID", "CREATED", "RETIRED", "PUBLISHED UNTIL"];
        var cells = keys.Select(k => new[]
        {
            k.KeyId,
            Time(k.CreatedAt),
            k.RetiredAt is { } retired ? Time(retired) : "-",
            k.PublishedUntil is not { } until ? "current" : until > now ? Time(until) : "no longer published",
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(column => cells.Max(row => row[column].Length)).ToArray();
        var table = new StringBuilder();
        foreach (var row in cells)
        {
            table.AppendJoin("  ", row.Select((cell, column) => column < header.Length - 1 ? cell.PadRight(widths[column]) : cell)).Append('\n');
        }

        return table.ToString().TrimEnd('\n');
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
