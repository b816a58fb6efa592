using System.Globalization;
using DuckDB.NET.Data;

namespace GenomeNode.Beacon.Tests;

/// <summary>Stored variant rows as text (lists as [a,b]), in stored order: what ingest tests compare.</summary>
internal static class StoredVariants
{
    public static List<string> Rows(DuckDBConnection connection, string columns, string where, params object[] parameters)
    {
        using var command = connection.CreateCommand();
        // A row's dataset and assembly are its file's.
        command.CommandText =
            $"SELECT {columns} FROM beacon.variants JOIN beacon.variant_files USING (file_id) WHERE {where} ORDER BY variants.rowid";
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(parameter));
        }

        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var fields = new List<string>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                fields.Add(reader.GetValue(i) is System.Collections.IEnumerable list and not string
                    ? "[" + string.Join(",", list.Cast<object>()) + "]"
                    : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!);
            }

            rows.Add(string.Join(' ', fields));
        }

        return rows;
    }
}
