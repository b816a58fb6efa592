using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using DuckDB.NET.Data;
using OpenIddict.Abstractions;

namespace GenomeNode.Broker.Stores;

/// <summary>Conversions between OpenIddict's values and the broker's columns (times UTC, properties and scopes JSON).</summary>
internal static class StoreValues
{
    public static object? Time(DateTimeOffset? time) => time?.UtcDateTime;

    public static DateTimeOffset? ReadTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal) switch
        {
            DateTimeOffset offset => offset,
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            var other => throw new InvalidDataException($"unexpected timestamp value of type {other.GetType().Name}"),
        };

    public static string? ReadString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static ImmutableDictionary<string, JsonElement> ReadProperties(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return ImmutableDictionary<string, JsonElement>.Empty;
        }

        using var document = JsonDocument.Parse(json);
        var builder = ImmutableDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            builder[property.Name] = property.Value.Clone();
        }

        return builder.ToImmutable();
    }

    public static string? WriteProperties(ImmutableDictionary<string, JsonElement> properties) =>
        properties is null || properties.IsEmpty ? null : JsonSerializer.Serialize(properties);

    public static ImmutableArray<string> ReadList(string? json) =>
        string.IsNullOrEmpty(json) ? [] : [.. JsonSerializer.Deserialize<string[]>(json) ?? []];

    public static string? WriteList(ImmutableArray<string> values) =>
        values.IsDefaultOrEmpty ? null : JsonSerializer.Serialize(values.ToArray());

    /// <summary>
    /// Runs a write that must not be lost to a concurrent writer: DuckDB refuses the second of two transactions that update
    /// one row, and an update that finds the row changed (its concurrency token) touches none; both are OpenIddict's
    /// concurrency failure, which it answers per its rules (a redeemed code or refresh token is refused).
    /// </summary>
    public static void ExecuteGuarded(DuckDBConnection connection, string what, string sql, params object?[] parameters)
    {
        int changed;
        try
        {
            changed = GenomeNode.Storage.DuckDbCommands.Execute(connection, sql, parameters);
        }
        catch (DuckDBException error) when (error.Message.Contains("conflict", StringComparison.OrdinalIgnoreCase))
        {
            throw new OpenIddictExceptions.ConcurrencyException($"The {what} was changed by a concurrent request.", error);
        }

        if (changed == 0)
        {
            throw new OpenIddictExceptions.ConcurrencyException($"The {what} was changed or removed by a concurrent request.");
        }
    }
}
