using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace GenomeNode.Passport.Datasets;

/// <summary>The node's datasets: their ids, names and access tiers, kept in <c>passport.datasets</c>.</summary>
public sealed partial class DatasetCatalog(DuckDBConnection connection)
{
    public const int MaxIdLength = 128;
    public const int MaxNameLength = 256;
    public const int MaxDescriptionLength = 4096;

    /// <summary>Visa values are URL claims, which GA4GH Passport limits to 255 characters.</summary>
    public const int MaxVisaValueLength = 255;

    // Ids appear in URLs, visa values and file names: keep them to a safe, unambiguous alphabet.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    /// <summary>Why <paramref name="id"/> cannot name a dataset, or null when it can.</summary>
    public static string? ValidateId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "a dataset id must not be empty";
        }

        if (id.Length > MaxIdLength)
        {
            return $"dataset id '{id[..32]}...' is longer than {MaxIdLength} characters";
        }

        return IdPattern().IsMatch(id)
            ? null
            : $"dataset id '{id}' may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit";
    }

    public async Task<IReadOnlyList<Dataset>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT id, name, description, tier, is_demo, created_at, visa_value FROM passport.datasets ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var datasets = new List<Dataset>();
        while (await reader.ReadAsync(cancellationToken))
        {
            datasets.Add(ReadDataset(reader));
        }

        return datasets;
    }

    public async Task<Dataset?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT id, name, description, tier, is_demo, created_at, visa_value FROM passport.datasets WHERE id = $id";
        command.Parameters.Add(new DuckDBParameter("id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDataset(reader) : null;
    }

    /// <summary>Adds a dataset; refuses an invalid or already used id with a <see cref="DatasetCatalogException"/>.</summary>
    public async Task<Dataset> AddAsync(NewDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Validate(dataset);

        using var transaction = connection.BeginTransaction();
        if (await ExistsAsync(dataset.Id, cancellationToken))
        {
            throw new DatasetCatalogException($"dataset '{dataset.Id}' already exists");
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO passport.datasets (id, name, description, tier, is_demo, visa_value)
                VALUES ($id, $name, $description, $tier, $is_demo, $visa_value)
                """;
            insert.Parameters.Add(new DuckDBParameter("id", dataset.Id));
            insert.Parameters.Add(new DuckDBParameter("name", dataset.Name.Trim()));
            insert.Parameters.Add(new DuckDBParameter("description", (object?)NullIfBlank(dataset.Description) ?? DBNull.Value));
            insert.Parameters.Add(new DuckDBParameter("tier", dataset.Tier.ToName()));
            insert.Parameters.Add(new DuckDBParameter("is_demo", dataset.IsDemo));
            insert.Parameters.Add(new DuckDBParameter("visa_value", (object?)NullIfBlank(dataset.VisaValue) ?? DBNull.Value));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        transaction.Commit();
        return await FindAsync(dataset.Id, cancellationToken)
            ?? throw new InvalidOperationException($"dataset '{dataset.Id}' vanished after it was added");
    }

    /// <summary>Removes a dataset; refuses an unknown id with a <see cref="DatasetCatalogException"/>.</summary>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM passport.datasets WHERE id = $id";
        delete.Parameters.Add(new DuckDBParameter("id", id));
        var removed = await delete.ExecuteNonQueryAsync(cancellationToken);
        if (removed == 0)
        {
            throw new DatasetCatalogException($"no dataset has the id '{id}'");
        }
    }

    private static void Validate(NewDataset dataset)
    {
        if (ValidateId(dataset.Id) is { } idProblem)
        {
            throw new DatasetCatalogException(idProblem);
        }

        if (string.IsNullOrWhiteSpace(dataset.Name))
        {
            throw new DatasetCatalogException($"dataset '{dataset.Id}' needs a name");
        }

        if (dataset.Name.Length > MaxNameLength)
        {
            throw new DatasetCatalogException($"the name of dataset '{dataset.Id}' is longer than {MaxNameLength} characters");
        }

        if (dataset.Description?.Length > MaxDescriptionLength)
        {
            throw new DatasetCatalogException(
                $"the description of dataset '{dataset.Id}' is longer than {MaxDescriptionLength} characters");
        }

        if (dataset.VisaValue is { } visaValue && (visaValue.Trim().Length == 0 || visaValue.Length > MaxVisaValueLength || visaValue.Any(char.IsWhiteSpace)))
        {
            throw new DatasetCatalogException(
                $"the visa value of dataset '{dataset.Id}' must be a URL or URN of at most {MaxVisaValueLength} characters without spaces");
        }

        if (dataset.VisaValue is not null && dataset.Tier != AccessTier.Controlled)
        {
            throw new DatasetCatalogException(
                $"dataset '{dataset.Id}' is {dataset.Tier.ToName()}: only controlled datasets are granted by a ControlledAccessGrants visa value");
        }

        if (!Enum.IsDefined(dataset.Tier))
        {
            throw new DatasetCatalogException($"dataset '{dataset.Id}' has an unknown access tier");
        }
    }

    private async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM passport.datasets WHERE id = $id";
        command.Parameters.Add(new DuckDBParameter("id", id));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static Dataset ReadDataset(System.Data.Common.DbDataReader record)
    {
        var tierName = record.GetString(3);
        if (!AccessTiers.TryParse(tierName, out var tier))
        {
            throw new InvalidDataException($"passport.datasets holds an unknown tier '{tierName}'");
        }

        return new Dataset(
            Id: record.GetString(0),
            Name: record.GetString(1),
            Description: record.IsDBNull(2) ? null : record.GetString(2),
            Tier: tier,
            IsDemo: record.GetBoolean(4),
            CreatedAt: ReadTimestamp(record.GetValue(5)),
            VisaValue: record.IsDBNull(6) ? null : record.GetString(6));
    }

    private static DateTimeOffset ReadTimestamp(object value) => value switch
    {
        DateTimeOffset offset => offset,
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        _ => throw new InvalidDataException($"unexpected timestamp value of type {value.GetType().Name}"),
    };

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
