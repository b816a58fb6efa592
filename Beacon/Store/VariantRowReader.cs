using System.Collections.Concurrent;
using System.Globalization;
using DuckDB.NET.Data;
using GenomeNode.Storage;

namespace GenomeNode.Beacon.Store;

/// <summary>
/// Reads the rows of record pages (<see cref="VariantRecords"/>' misses) on a few connections kept open, each with its
/// statements prepared once: parsing and planning a statement took longer than running it (at 1 M × 2,504, 1.4 of
/// 5 ms), and so did joining <c>variant_files</c> to find a dataset's rows, whose file ids the caller now gives.
/// </summary>
public sealed class VariantRowReader(NodeDatabase database) : IDisposable
{
    /// <summary>Connections kept between reads; more are opened under load and closed after.</summary>
    private const int MaxIdle = 4;

    private readonly ConcurrentBag<Session> idle = [];

    /// <summary>The rows of files <paramref name="fileIds"/> (one dataset's, of one assembly) on one chromosome that start in [first, last].</summary>
    public IReadOnlyList<StoredVariant> Rows(string datasetId, string assembly, IReadOnlyList<int> fileIds, string chromosome, int first, int last)
    {
        ArgumentNullException.ThrowIfNull(fileIds);
        if (fileIds.Count == 0)
        {
            return [];
        }

        var session = idle.TryTake(out var kept) ? kept : new Session(database.OpenConnection());
        try
        {
            var rows = session.Rows(datasetId, assembly, fileIds, chromosome, first, last);
            if (idle.Count < MaxIdle)
            {
                idle.Add(session);
            }
            else
            {
                session.Dispose();
            }

            return rows;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        while (idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }

    /// <summary>One connection and its prepared statements, by text (one per set of file ids).</summary>
    private sealed class Session(DuckDBConnection connection) : IDisposable
    {
        private const int MaxStatements = 64;
        private readonly Dictionary<string, DuckDBCommand> statements = new(StringComparer.Ordinal);

        public List<StoredVariant> Rows(string datasetId, string assembly, IReadOnlyList<int> fileIds, string chromosome, int first, int last)
        {
            // File ids are integers from the store: literal, so that each set keeps its own prepared statement.
            var text = string.Create(CultureInfo.InvariantCulture,
                $"SELECT $1::VARCHAR, $2::VARCHAR, {VariantStore.RowColumns} FROM beacon.variants WHERE file_id IN ({string.Join(", ", fileIds)}) AND chrom = $3 AND start BETWEEN $4 AND $5");
            if (!statements.TryGetValue(text, out var command))
            {
                if (statements.Count >= MaxStatements)
                {
                    Clear();
                }

                command = connection.CreateCommand();
                command.CommandText = text;
                statements[text] = command;
            }

            command.Parameters.Clear();
            command.Parameters.Add(new DuckDBParameter(datasetId));
            command.Parameters.Add(new DuckDBParameter(assembly));
            command.Parameters.Add(new DuckDBParameter(chromosome));
            command.Parameters.Add(new DuckDBParameter(first));
            command.Parameters.Add(new DuckDBParameter(last));
            using var reader = command.ExecuteReader();
            var rows = new List<StoredVariant>();
            while (reader.Read())
            {
                rows.Add(VariantStore.Read(reader));
            }

            return rows;
        }

        public void Dispose()
        {
            Clear();
            connection.Dispose();
        }

        private void Clear()
        {
            foreach (var command in statements.Values)
            {
                command.Dispose();
            }

            statements.Clear();
        }
    }
}
