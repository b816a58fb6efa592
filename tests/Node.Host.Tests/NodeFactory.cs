using GenomeNode.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace GenomeNode.Node.Host.Tests;

/// <summary>The real node host (same composition as <c>genome-node serve</c>) on a fresh data directory.</summary>
public sealed class NodeFactory : WebApplicationFactory<GenomeNode.Host.Program>
{
    public TemporaryDirectory Data { get; } = new("genome-node-host");

    /// <summary>Further configuration for this node (set before the server starts).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>Every log line the node writes, for tests that check what is (not) logged.</summary>
    public CapturedLog Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Node:DataDirectory", Data.Path);
        builder.UseSetting("Node:Id", "fi.example.genome-node.test");
        builder.UseSetting("Node:Organization:Name", "Test genome centre");
        builder.UseSetting("Node:Organization:Url", "https://genome.example.fi");
        builder.UseSetting("Node:ContactUrl", "mailto:helpdesk@genome.example.fi");
        // Only used when a test asks for a real Kestrel: never collide with a node on the default port.
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Data.Dispose();
    }
}

/// <summary>Collects the formatted log lines of a node (all categories, all levels).</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
