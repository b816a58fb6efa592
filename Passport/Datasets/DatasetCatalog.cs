using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using GenomeNode.Storage;

namespace GenomeNode.Passport.Datasets;

/// <summary>
/// The node's datasets: their ids, names and access tiers, kept in <c>passport.datasets</c>; and the owner of their
/// lifecycle. Adding, changing the data of and removing a dataset each happen in one transaction that every module
/// holding data per dataset (<see cref="IDatasetData"/>) takes part in, and that is then announced to them.
/// </summary>
public sealed partial class DatasetCatalog(DuckDBConnection connection, IEnumerable<IDatasetData> modules)
{
    private readonly IDatasetData[] modules = [.. modules];

    /// <summary>A catalog whose changes no module takes part in (for tools and tests of the catalog alone).</summary>
    public DatasetCatalog(DuckDBConnection connection)
        : this(connection, [])
    {
    }

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
    public Task<Dataset> AddAsync(NewDataset dataset, CancellationToken cancellationToken = default) => AddAsync(dataset, null, cancellationToken);

    /// <summary>
    /// Adds a dataset and, in the same transaction, a module's own data of it (<paramref name="writeData"/>: settings
    /// given with <c>dataset add</c>), so that a crash leaves the dataset with all of it or none.
    /// </summary>
    public async Task<Dataset> AddAsync(NewDataset dataset, Action? writeData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Validate(dataset);

        using var transaction = connection.BeginTransaction();
        if (await FindIgnoringCaseAsync(dataset.Id, cancellationToken) is { } existing)
        {
            throw new DatasetCatalogException(string.Equals(existing, dataset.Id, StringComparison.Ordinal)
                ? $"dataset '{dataset.Id}' already exists"
                : $"dataset '{existing}' already exists, and ids that differ only in letter case would name the same dataset in configuration");
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO passport.datasets (id, name, description, tier, is_demo, visa_value, modified_at)
                VALUES ($id, $name, $description, $tier, $is_demo, $visa_value, current_timestamp)
                """;
            insert.Parameters.Add(new DuckDBParameter("id", dataset.Id));
            insert.Parameters.Add(new DuckDBParameter("name", dataset.Name.Trim()));
            insert.Parameters.Add(new DuckDBParameter("description", (object?)NullIfBlank(dataset.Description) ?? DBNull.Value));
            insert.Parameters.Add(new DuckDBParameter("tier", dataset.Tier.ToName()));
            insert.Parameters.Add(new DuckDBParameter("is_demo", dataset.IsDemo));
            insert.Parameters.Add(new DuckDBParameter("visa_value", (object?)NullIfBlank(dataset.VisaValue) ?? DBNull.Value));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        writeData?.Invoke();
        Commit(transaction, new DatasetChange(dataset.Id, DatasetChangeKind.Added));
        return await FindAsync(dataset.Id, cancellationToken)
            ?? throw new InvalidOperationException($"dataset '{dataset.Id}' vanished after it was added");
    }

    /// <summary>
    /// Removes a dataset with every module's data of it, in one transaction; refuses an unknown id with a
    /// <see cref="DatasetCatalogException"/>.
    /// </summary>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        using var transaction = connection.BeginTransaction();
        // DuckDB reports a conflict between two updates of a row, not between an update and a delete: claim the row as
        // every writer of the dataset's data does, so that a removal and such a writer never both commit.
        if (!TryMarkModified(id))
        {
            throw new DatasetCatalogException($"no dataset has the id '{id}'");
        }

        var change = new DatasetChange(id, DatasetChangeKind.Removed);
        foreach (var module in modules)
        {
            module.Apply(change, connection);
        }

        // The catalog's own data of the dataset: its description for the FAIR Data Point.
        await using (var forget = connection.CreateCommand())
        {
            forget.CommandText = "DELETE FROM passport.dataset_metadata WHERE dataset_id = $id";
            forget.Parameters.Add(new DuckDBParameter("id", id));
            await forget.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM passport.datasets WHERE id = $id";
            delete.Parameters.Add(new DuckDBParameter("id", id));
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        Commit(transaction, change, applied: true);
    }

    /// <summary>
    /// Replaces the dataset's description (already checked by <see cref="DatasetMetadataRules.Normalize"/>) in one
    /// transaction that claims the dataset's row, as every writer of a dataset's data does, so that a concurrent
    /// removal and this never both commit. Only the catalog holds descriptions, so no module is told.
    /// </summary>
    public async Task DescribeAsync(string id, DatasetMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var document = JsonSerializer.Serialize(metadata, DatasetMetadata.Json);
        using var transaction = connection.BeginTransaction();
        if (!TryMarkModified(id))
        {
            throw new DatasetCatalogException($"no dataset has the id '{id}'");
        }

        await using (var update = connection.CreateCommand())
        {
            update.CommandText = "UPDATE passport.dataset_metadata SET metadata = $metadata, described_at = current_timestamp WHERE dataset_id = $id";
            update.Parameters.Add(new DuckDBParameter("id", id));
            update.Parameters.Add(new DuckDBParameter("metadata", document));
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO passport.dataset_metadata (dataset_id, metadata, described_at) VALUES ($id, $metadata, current_timestamp)";
                insert.Parameters.Add(new DuckDBParameter("id", id));
                insert.Parameters.Add(new DuckDBParameter("metadata", document));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        transaction.Commit();
    }

    /// <summary>Removes the dataset's description: it is no longer listed. False when it had none.</summary>
    public async Task<bool> ForgetDescriptionAsync(string id, CancellationToken cancellationToken = default)
    {
        using var transaction = connection.BeginTransaction();
        if (!TryMarkModified(id))
        {
            throw new DatasetCatalogException($"no dataset has the id '{id}'");
        }

        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM passport.dataset_metadata WHERE dataset_id = $id";
        delete.Parameters.Add(new DuckDBParameter("id", id));
        var removed = await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
        transaction.Commit();
        return removed;
    }

    /// <summary>Every described dataset with its description and when it was last described, ordered by id.</summary>
    public async Task<IReadOnlyList<DescribedDataset>> ListDescribedAsync(CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT d.id, d.name, d.description, d.tier, d.is_demo, d.created_at, d.visa_value, m.metadata, m.described_at
            FROM passport.datasets d JOIN passport.dataset_metadata m ON m.dataset_id = d.id
            ORDER BY d.id
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var described = new List<DescribedDataset>();
        while (await reader.ReadAsync(cancellationToken))
        {
            described.Add(new DescribedDataset(ReadDataset(reader), ReadMetadata(reader.GetString(7)), ReadTimestamp(reader.GetValue(8))));
        }

        return described;
    }

    /// <summary>The dataset's description, or null when it has none.</summary>
    public async Task<DatasetMetadata?> FindDescriptionAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT metadata FROM passport.dataset_metadata WHERE dataset_id = $id";
        command.Parameters.Add(new DuckDBParameter("id", id));
        return await command.ExecuteScalarAsync(cancellationToken) is string document ? ReadMetadata(document) : null;
    }

    private static DatasetMetadata ReadMetadata(string document) =>
        JsonSerializer.Deserialize<DatasetMetadata>(document, DatasetMetadata.Json)
        ?? throw new InvalidDataException("passport.dataset_metadata holds an empty description");

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

    /// <summary>
    /// Runs <paramref name="write"/> (a module's change to the dataset's data) in one transaction that first marks the
    /// dataset modified. Refused with a <see cref="DatasetCatalogException"/>, nothing written, when the dataset does
    /// not exist or another open transaction changes it (a removal, say: DuckDB reports the conflict on its row).
    /// </summary>
    public T WriteData<T>(string datasetId, Func<T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var transaction = connection.BeginTransaction();
        if (!TryMarkModified(datasetId))
        {
            throw new DatasetCatalogException($"no dataset has the id '{datasetId}'");
        }

        var result = write();
        Commit(transaction, new DatasetChange(datasetId, DatasetChangeKind.DataChanged));
        return result;
    }

    /// <summary>Tells every module of the change inside the transaction (unless done), commits, then tells them it committed.</summary>
    private void Commit(DuckDBTransaction transaction, DatasetChange change, bool applied = false)
    {
        if (!applied)
        {
            foreach (var module in modules)
            {
                module.Apply(change, connection);
            }
        }

        transaction.Commit();
        foreach (var module in modules)
        {
            module.Committed(change);
        }
    }

    /// <summary>
    /// Records that the dataset's data changes in the caller's open transaction, and tells whether the dataset exists.
    /// Every writing operation on a dataset's data calls this first: the update makes a concurrent removal (or another
    /// writer of the same dataset) conflict in DuckDB and fail, instead of both committing.
    /// </summary>
    public bool TryMarkModified(string id)
    {
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE passport.datasets SET modified_at = current_timestamp WHERE id = $id";
        update.Parameters.Add(new DuckDBParameter("id", id));
        try
        {
            return update.ExecuteNonQuery() == 1;
        }
        catch (DuckDBException ex) when (IsWriteConflict(ex))
        {
            throw Busy(id, ex);
        }
    }

    /// <summary>DuckDB's refusal of a row another open transaction has changed.</summary>
    private static bool IsWriteConflict(DuckDBException ex) => ex.Message.Contains("Conflict on", StringComparison.Ordinal);

    private static DatasetCatalogException Busy(string id, DuckDBException ex) =>
        new($"dataset '{id}' is being changed by another operation; nothing was changed, try again when it has finished", ex);

    /// <summary>The id of the dataset whose id equals <paramref name="id"/> ignoring letter case, or null.</summary>
    private async Task<string?> FindIgnoringCaseAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM passport.datasets WHERE lower(id) = lower($id)";
        command.Parameters.Add(new DuckDBParameter("id", id));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
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
