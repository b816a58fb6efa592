using System.Text.Json;
using GenomeNode.Host.Admin;
using GenomeNode.Host.Hosting;
using GenomeNode.Storage;

namespace GenomeNode.Host.Cli;

/// <summary>Runs an operation on the data directory directly, for when no node is serving it.</summary>
internal static class LocalOperationRunner
{
    public static async Task<OperationResult> ExecuteAsync(
        string dataDirectory, string[] configurationArgs, string operation, object arguments, CancellationToken cancellationToken)
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

        using var host = builder.Build();
        var operations = host.Services.GetRequiredService<NodeOperations>();
        // A command that only reads must not create a node where a typo points, nor upgrade a database it looks at.
        NodeComposition.OpenDatabase(host.Services, readOnly: operations.IsReadOnly(operation));
        var json = JsonSerializer.SerializeToElement(arguments, NodeOperations.Json);
        return await operations.ExecuteAsync(operation, json, host.Services, cancellationToken);
    }
}
