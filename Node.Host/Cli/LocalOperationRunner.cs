using System.Text.Json;
using GenomeNode.Host.Admin;
using GenomeNode.Host.Hosting;
using GenomeNode.Storage;

namespace GenomeNode.Host.Cli;

/// <summary>
/// Runs operations on the data directory directly, for when no node is serving it: the database is opened once, for
/// one operation or for the several calls of a paged one (an export).
/// </summary>
internal sealed class LocalOperationRunner : IDisposable
{
    private readonly IHost host;
    private readonly NodeOperations operations;

    private LocalOperationRunner(IHost host)
    {
        this.host = host;
        operations = host.Services.GetRequiredService<NodeOperations>();
    }

    public static async Task<OperationResult> ExecuteAsync(
        string dataDirectory, string[] configurationArgs, string operation, object arguments, CancellationToken cancellationToken)
    {
        using var runner = Open(dataDirectory, configurationArgs, NodeOperations.OnlyReads(operation));
        return await runner.RunAsync(operation, arguments, cancellationToken);
    }

    /// <summary>
    /// Opens the node's database in this process; <paramref name="readOnly"/> for operations that only read, which must
    /// not create a node where a typo points, nor upgrade a database they look at.
    /// </summary>
    public static LocalOperationRunner Open(string dataDirectory, string[] configurationArgs, bool readOnly)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = configurationArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{NodeOptions.Section}:DataDirectory"] = dataDirectory,
            // Only what needs the operator's attention: stdout carries the command's own output.
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddNodeCore(logToStandardError: true);

        var host = builder.Build();
        try
        {
            NodeComposition.OpenDatabase(host.Services, readOnly);
            return new LocalOperationRunner(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public Task<OperationResult> RunAsync(string operation, object arguments, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToElement(arguments, NodeOperations.Json);
        return operations.ExecuteAsync(operation, json, host.Services, cancellationToken);
    }

    public void Dispose() => host.Dispose();
}
