using System.Text.Json;
using GenomeNode.Storage;

namespace GenomeNode.Host.Admin;

/// <summary>What a CLI command ended with: its exit code, what it prints, and a one-line reason on failure.</summary>
public sealed record OperationResult(int ExitCode, string Output, string? Error)
{
    public const int Failed = 1;

    public static OperationResult Ok(string output) => new(0, output, null);

    public static OperationResult Fail(string reason) => new(Failed, "", reason);
}

/// <summary>
/// The writing (and locking) work behind CLI commands, by name. The same operation runs in the CLI's own process
/// when no node serves the data directory, or inside the serving node when handed over the admin channel.
/// </summary>
public sealed class NodeOperations
{
    public delegate Task<OperationResult> Handler(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, Handler> handlers = new(StringComparer.Ordinal)
    {
        [DatasetOperations.Add] = DatasetOperations.AddAsync,
        [DatasetOperations.List] = DatasetOperations.ListAsync,
        [DatasetOperations.Remove] = DatasetOperations.RemoveAsync,
        [DatasetOperations.Use] = DatasetOperations.UseAsync,
        [DatasetDescriptionOperations.Update] = DatasetDescriptionOperations.UpdateAsync,
        [OntologyOperations.Load] = OntologyOperations.LoadAsync,
        [RegisterOperations.Register] = RegisterOperations.RegisterAsync,
        [OntologyOperations.List] = OntologyOperations.ListAsync,
        [IngestOperations.Vcf] = IngestOperations.IngestVcfAsync,
        [ClinicalImportOperations.Import] = ClinicalImportOperations.ImportAsync,
        [AuditOperations.Export] = AuditOperations.ExportAsync,
        [AuditOperations.Summary] = AuditOperations.SummaryAsync,
        [CommitteeOperations.AddKey] = CommitteeOperations.AddKeyAsync,
        [CommitteeOperations.ListKeys] = CommitteeOperations.ListKeysAsync,
        [CommitteeOperations.RevokeKey] = CommitteeOperations.RevokeKeyAsync,
        [KeyOperations.List] = KeyOperations.ListAsync,
        [KeyOperations.Rotate] = KeyOperations.RotateAsync,
        [KeyOperations.Crypt4ghInit] = KeyOperations.Crypt4ghInitAsync,
        [KeyOperations.Crypt4ghShow] = KeyOperations.Crypt4ghShowAsync,
    };

    /// <summary>
    /// Operations that only read: they never wait for the <see cref="SingleWriter"/>, and run without a serving node
    /// they open an existing database read-only. Every other operation writes and waits for its turn.
    /// </summary>
    private static readonly HashSet<string> ReadOnlyOperations = new(StringComparer.Ordinal)
    {
        DatasetOperations.List,
        OntologyOperations.List,
        AuditOperations.Export,
        AuditOperations.Summary,
        CommitteeOperations.ListKeys,
        KeyOperations.List,
        KeyOperations.Crypt4ghShow,
    };

    public bool Exists(string name) => handlers.ContainsKey(name);

    public bool IsReadOnly(string name) => OnlyReads(name);

    /// <summary>Whether operation <paramref name="name"/> only reads (<see cref="IsReadOnly"/>).</summary>
    public static bool OnlyReads(string name) => ReadOnlyOperations.Contains(name);

    /// <summary>
    /// Runs <paramref name="name"/> in a scope of its own (one database connection for the operation); a writing
    /// operation first waits until no other writing operation runs.
    /// </summary>
    public async Task<OperationResult> ExecuteAsync(
        string name, JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!handlers.TryGetValue(name, out var handler))
        {
            return OperationResult.Fail($"unknown operation '{name}'");
        }

        using var turn = IsReadOnly(name) ? null : await services.GetRequiredService<SingleWriter>().EnterAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        return await handler(arguments, scope.ServiceProvider, cancellationToken);
    }

    internal static T ReadArguments<T>(JsonElement arguments) =>
        arguments.Deserialize<T>(Json) ?? throw new JsonException($"missing arguments for {typeof(T).Name}");
}
