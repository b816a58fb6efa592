using DuckDB.NET.Data;
using GenomeNode.Passport.Datasets;
using GenomeNode.Storage;
using GenomeNode.Tests;

namespace GenomeNode.Passport.Tests;

/// <summary>The catalog owns the dataset lifecycle: modules take part in each change's transaction, then hear it committed.</summary>
public sealed class DatasetLifecycleTests : IDisposable
{
    private readonly TestDatabase database = new();

    public DatasetLifecycleTests()
    {
        using var command = database.Connection.CreateCommand();
        command.CommandText = "CREATE TABLE main.lifecycle_rows (dataset_id VARCHAR)";
        command.ExecuteNonQuery();
    }

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Modules_take_part_in_each_change_inside_its_transaction_and_hear_of_it_after_the_commit()
    {
        var module = new RecordingModule();
        var catalog = new DatasetCatalog(database.Connection, [module]);

        await catalog.AddAsync(new NewDataset("cohort", "Cohort", AccessTier.Public));
        catalog.WriteData("cohort", () => 0);
        await catalog.RemoveAsync("cohort");

        Assert.Equal(
        [
            "apply Added cohort (in catalog: True)", "committed Added cohort",
            "apply DataChanged cohort (in catalog: True)", "committed DataChanged cohort",
            "apply Removed cohort (in catalog: True)", "committed Removed cohort",
        ], module.Calls);
    }

    [Fact]
    public async Task A_module_refusing_a_removal_keeps_the_dataset_and_every_module_data_of_it()
    {
        await new DatasetCatalog(database.Connection, [new RecordingModule()]).AddAsync(new NewDataset("cohort", "Cohort", AccessTier.Public));
        var first = new RecordingModule();
        var catalog = new DatasetCatalog(database.Connection, [first, new RecordingModule { RefuseRemoval = true }]);

        Assert.Throws<InvalidOperationException>(() => catalog.RemoveAsync("cohort").GetAwaiter().GetResult());

        Assert.NotNull(await catalog.FindAsync("cohort"));
        Assert.DoesNotContain(first.Calls, call => call.StartsWith("committed", StringComparison.Ordinal));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM main.lifecycle_rows WHERE dataset_id = 'cohort'"));
    }

    private long Scalar(string sql)
    {
        using var command = database.Connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A module holding one row per dataset in a table of its own, recording what it is told.</summary>
    private sealed class RecordingModule : IDatasetData
    {
        public List<string> Calls { get; } = [];

        public bool RefuseRemoval { get; init; }

        public void Apply(DatasetChange change, DuckDBConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM passport.datasets WHERE id = $1";
            command.Parameters.Add(new DuckDBParameter(change.DatasetId));
            Calls.Add($"apply {change.Kind} {change.DatasetId} (in catalog: {Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1})");
            if (change.Kind == DatasetChangeKind.Added)
            {
                Execute(connection, $"INSERT INTO main.lifecycle_rows VALUES ('{change.DatasetId}')");
            }
            else if (change.Kind == DatasetChangeKind.Removed)
            {
                Execute(connection, $"DELETE FROM main.lifecycle_rows WHERE dataset_id = '{change.DatasetId}'");
                if (RefuseRemoval)
                {
                    throw new InvalidOperationException("refused");
                }
            }
        }

        public void Committed(DatasetChange change) => Calls.Add($"committed {change.Kind} {change.DatasetId}");

        private static void Execute(DuckDBConnection connection, string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}
