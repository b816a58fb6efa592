using System.Globalization;
using DuckDB.NET.Data;

namespace GenomeNode.Storage;

/// <summary>
/// The node's one DuckDB file, <c>&lt;data&gt;/node.duckdb</c>. DuckDB lets one process write a file, so the node
/// keeps one connection open for its lifetime (holding the file lock and the database instance) and hands modules
/// further connections to the same instance.
/// </summary>
public sealed class NodeDatabase(string dataDirectory) : IDisposable
{
    public const string FileName = "node.duckdb";

    private readonly Lock gate = new();
    private DuckDBConnection? anchor;
    private bool readOnly;

    public string DataDirectory { get; } = Path.GetFullPath(dataDirectory);

    public string DatabasePath => Path.Combine(DataDirectory, FileName);

    /// <summary>DuckDB's write-ahead log beside the database: writes not yet checkpointed into it.</summary>
    public string WalPath => DatabasePath + ".wal";

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
            var connection = Connect(readOnlyAccess: false);
            try
            {
                var applied = WithDamageDescribed(() => MigrationRunner.Apply(connection, modules, nodeVersion, DatabasePath));
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

    /// <summary>
    /// Opens an existing database for reading only: nothing is created, migrated or written. A missing database, or
    /// one whose schema this build would still have to migrate, is refused: a read-only command must leave the file
    /// exactly as an older genome-node (or a backup) has it.
    /// </summary>
    public void OpenReadOnly(IReadOnlyList<ModuleMigrations> modules, string nodeVersion)
    {
        lock (gate)
        {
            if (anchor is not null)
            {
                return;
            }

            if (!File.Exists(DatabasePath))
            {
                throw new NodeStorageException(
                    $"no node at {DataDirectory} (no {FileName}): check --data or ${Storage.DataDirectory.EnvironmentVariable}; nothing was created");
            }

            var connection = Connect(readOnlyAccess: true);
            try
            {
                var pending = WithDamageDescribed(() => MigrationRunner.Pending(connection, modules, nodeVersion, DatabasePath));
                if (pending.Count > 0)
                {
                    throw new NodeStorageException(
                        $"{DatabasePath} was written by an older genome-node and lacks {pending.Count} migrations of this build " +
                        $"({string.Join(", ", pending.Select(migration => migration.Label))}); a read-only command leaves it as it is: " +
                        "run any writing command or 'genome-node serve' on it to upgrade it, then try again");
                }

                readOnly = true;
                anchor = connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Settings for a long-running node, for every connection of the process: how many worker threads DuckDB runs
    /// statements on, its memory limit, and the background threads of its allocator (jemalloc), which return freed
    /// memory to the system. Without them freed memory waited for the thread that freed it to allocate again: with
    /// statements on requests' threads, the mixed load left the node 6-153 MB larger, 16-41 MB with them
    /// (docs/performance.md).
    /// </summary>
    /// <param name="threads">DuckDB's worker threads.</param>
    /// <param name="memoryLimitMiB">The most memory DuckDB may hold, in MiB; null: DuckDB's default.</param>
    public void ConfigureForServing(int threads, int? memoryLimitMiB)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var settings = string.Create(CultureInfo.InvariantCulture, $"SET threads = {threads}; SET allocator_background_threads = true");
        if (memoryLimitMiB is { } mebibytes)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(mebibytes, 1, nameof(memoryLimitMiB));
            settings += string.Create(CultureInfo.InvariantCulture, $"; SET memory_limit = '{mebibytes}MiB'");
        }

        lock (gate)
        {
            using var command = OpenedAnchor().CreateCommand();
            command.CommandText = settings;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A new open connection to the database; the caller disposes it.</summary>
    public DuckDBConnection OpenConnection()
    {
        bool access;
        lock (gate)
        {
            _ = OpenedAnchor();
            access = readOnly;
        }

        return Connect(access);
    }

    /// <summary>The connection that keeps the database open (under <c>gate</c>); it fails before <c>Open</c>.</summary>
    private DuckDBConnection OpenedAnchor() =>
        anchor ?? throw new InvalidOperationException("the node database has not been opened yet");

    /// <summary>
    /// One line for an operator when <paramref name="error"/> says the database file or its write-ahead log is damaged,
    /// naming the file and what to do; null for any other failure.
    /// </summary>
    public static string? DescribeDamage(string databasePath, DuckDBException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message;
        var detail = message.Replace("DuckDBOpen failed: ", "", StringComparison.Ordinal);
        if (message.Contains("WAL file", StringComparison.OrdinalIgnoreCase))
        {
            return $"{databasePath}.wal, the database's write-ahead log, is damaged ({detail}); stop every genome-node on " +
                   $"{Path.GetDirectoryName(databasePath)}, then restore {FileName} with its .wal from a backup, or move the .wal " +
                   "away to open the database as of its last checkpoint (the writes after it are lost)";
        }

        if (message.Contains("Corrupt database file", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Could not read enough bytes", StringComparison.OrdinalIgnoreCase)
            || message.Contains("not a valid DuckDB database", StringComparison.OrdinalIgnoreCase))
        {
            return $"{databasePath} is damaged or not a node database ({detail}); stop every genome-node on " +
                   $"{Path.GetDirectoryName(databasePath)}, then restore {FileName} from a backup, or move it away to start an empty node";
        }

        return null;
    }

    private T WithDamageDescribed<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (DuckDBException ex) when (DescribeDamage(DatabasePath, ex) is { } damage)
        {
            // Damage in a block read after opening (the migrations table, the catalog) surfaces here, not at open.
            throw new NodeStorageException(damage, ex);
        }
    }

    private DuckDBConnection Connect(bool readOnlyAccess)
    {
        var connection = new DuckDBConnection(
            $"Data Source={DatabasePath}" + (readOnlyAccess ? ";ACCESS_MODE=READ_ONLY" : ""));
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

        return DescribeDamage(DatabasePath, ex) ?? $"cannot open {DatabasePath}: {message}";
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
