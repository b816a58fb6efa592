using DuckDB.NET.Data;
using GenomeNode.Host.Hosting;
using Microsoft.Extensions.Options;

namespace GenomeNode.Host.Storage;

/// <summary>
/// The node's one DuckDB file, <c>&lt;data&gt;/node.duckdb</c>. DuckDB lets one process write a file, so the node
/// keeps one connection open for its lifetime (holding the file lock and the database instance) and hands modules
/// further connections to the same instance.
/// </summary>
public sealed class NodeDatabase(IOptions<NodeOptions> options) : IDisposable
{
    public const string FileName = "node.duckdb";

    private readonly Lock gate = new();
    private DuckDBConnection? anchor;

    public string DataDirectory { get; } = Path.GetFullPath(options.Value.DataDirectory);

    public string DatabasePath => Path.Combine(DataDirectory, FileName);

    /// <summary>Creates the data directory if needed, opens the database and brings its schema up to date.</summary>
    public IReadOnlyList<Migration> Open(IReadOnlyList<ModuleMigrations> modules, string nodeVersion)
    {
        lock (gate)
        {
            if (anchor is not null)
            {
                return [];
            }

            Storage.DataDirectory.EnsureWritable(DataDirectory);
            var connection = Connect();
            try
            {
                var applied = MigrationRunner.Apply(connection, modules, nodeVersion, DatabasePath);
                anchor = connection;
                return applied;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    /// <summary>A new open connection to the database; the caller disposes it.</summary>
    public DuckDBConnection OpenConnection()
    {
        lock (gate)
        {
            if (anchor is null)
            {
                throw new InvalidOperationException("the node database has not been opened yet");
            }
        }

        return Connect();
    }

    private DuckDBConnection Connect()
    {
        var connection = new DuckDBConnection($"Data Source={DatabasePath}");
        try
        {
            connection.Open();
            return connection;
        }
        catch (DuckDBException ex)
        {
            connection.Dispose();
            throw new NodeStorageException(DescribeOpenFailure(ex), ex);
        }
    }

    private string DescribeOpenFailure(DuckDBException ex)
    {
        var message = ex.Message;
        if (message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase))
        {
            return $"{DatabasePath} is in use by another process ({ConflictingHolder(message)}); " +
                   "stop it or use another data directory";
        }

        if (message.Contains("version number", StringComparison.OrdinalIgnoreCase))
        {
            return $"{DatabasePath} was written by a newer DuckDB storage format than this genome-node reads; " +
                   "upgrade genome-node (the file was left unchanged)";
        }

        if (message.Contains("not a valid DuckDB database", StringComparison.OrdinalIgnoreCase))
        {
            return $"{DatabasePath} is not a DuckDB database; move it away or use another data directory";
        }

        return $"cannot open {DatabasePath}: {message}";
    }

    private static string ConflictingHolder(string message)
    {
        const string marker = "Conflicting lock is held in ";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return "lock held";
        }

        var holder = message[(start + marker.Length)..];
        var end = holder.IndexOf(')', StringComparison.Ordinal);
        return end < 0 ? holder : holder[..(end + 1)];
    }

    public void Dispose()
    {
        lock (gate)
        {
            anchor?.Dispose();
            anchor = null;
        }
    }
}
