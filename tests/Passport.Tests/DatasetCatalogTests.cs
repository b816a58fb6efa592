using GenomeNode.Passport.Datasets;
using GenomeNode.Tests;

namespace GenomeNode.Passport.Tests;

public sealed class DatasetCatalogTests : IDisposable
{
    private readonly TestDatabase database = new();
    private readonly DatasetCatalog catalog;

    public DatasetCatalogTests()
    {
        catalog = new DatasetCatalog(database.Connection);
    }

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task Added_dataset_is_found_and_listed_with_its_tier()
    {
        await catalog.AddAsync(new NewDataset("FIN-WGS-1", "  Finnish WGS pilot ", AccessTier.Controlled, "pilot cohort"));
        await catalog.AddAsync(new NewDataset("a-public.set", "Public set", AccessTier.Public));

        var found = await catalog.FindAsync("FIN-WGS-1");
        Assert.NotNull(found);
        Assert.Equal("Finnish WGS pilot", found.Name);
        Assert.Equal(AccessTier.Controlled, found.Tier);
        Assert.Equal("pilot cohort", found.Description);
        Assert.False(found.IsDemo);
        Assert.True(DateTimeOffset.UtcNow - found.CreatedAt < TimeSpan.FromMinutes(5));

        var listed = await catalog.ListAsync();
        Assert.Equal(["FIN-WGS-1", "a-public.set"], listed.Select(d => d.Id));
        Assert.Null(listed[1].Description);
    }

    [Fact]
    public async Task Duplicate_id_is_refused_and_the_first_dataset_is_kept()
    {
        await catalog.AddAsync(new NewDataset("ds1", "First", AccessTier.Registered));

        var refused = await Assert.ThrowsAsync<DatasetCatalogException>(
            () => catalog.AddAsync(new NewDataset("ds1", "Second", AccessTier.Public)));

        Assert.Equal("dataset 'ds1' already exists", refused.Message);
        var kept = Assert.Single(await catalog.ListAsync());
        Assert.Equal(("First", AccessTier.Registered), (kept.Name, kept.Tier));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData("../etc/passwd")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("ümlaut")]
    public async Task Invalid_ids_are_refused_with_the_reason(string id)
    {
        var refused = await Assert.ThrowsAsync<DatasetCatalogException>(
            () => catalog.AddAsync(new NewDataset(id, "name", AccessTier.Public)));

        Assert.Contains("dataset id", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await catalog.ListAsync());
    }

    [Fact]
    public async Task An_id_ending_in_a_newline_is_refused()
    {
        Assert.NotNull(DatasetCatalog.ValidateId("ds\n"));

        await Assert.ThrowsAsync<DatasetCatalogException>(() => catalog.AddAsync(new NewDataset("ds\n", "name", AccessTier.Public)));

        Assert.Empty(await catalog.ListAsync());
    }

    [Fact]
    public async Task Overlong_id_and_blank_name_are_refused()
    {
        await Assert.ThrowsAsync<DatasetCatalogException>(
            () => catalog.AddAsync(new NewDataset(new string('a', DatasetCatalog.MaxIdLength + 1), "name", AccessTier.Public)));
        var blank = await Assert.ThrowsAsync<DatasetCatalogException>(
            () => catalog.AddAsync(new NewDataset("ok", "   ", AccessTier.Public)));

        Assert.Equal("dataset 'ok' needs a name", blank.Message);
        Assert.Empty(await catalog.ListAsync());
    }

    [Fact]
    public async Task Remove_deletes_the_dataset_and_refuses_an_unknown_id()
    {
        await catalog.AddAsync(new NewDataset("gone", "Gone soon", AccessTier.Public));
        await catalog.AddAsync(new NewDataset("stays", "Stays", AccessTier.Public));

        await catalog.RemoveAsync("gone");
        var unknown = await Assert.ThrowsAsync<DatasetCatalogException>(() => catalog.RemoveAsync("gone"));

        Assert.Equal("no dataset has the id 'gone'", unknown.Message);
        Assert.Equal(["stays"], (await catalog.ListAsync()).Select(d => d.Id));
    }

    [Theory]
    [InlineData("public", AccessTier.Public)]
    [InlineData("REGISTERED", AccessTier.Registered)]
    [InlineData(" Controlled ", AccessTier.Controlled)]
    public void Tier_names_parse_case_insensitively(string name, AccessTier expected)
    {
        Assert.True(AccessTiers.TryParse(name, out var tier));
        Assert.Equal(expected, tier);
        Assert.Equal(expected.ToString().ToLowerInvariant(), tier.ToName());
    }

    [Theory]
    [InlineData("secret")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_tier_names_do_not_parse(string? name) => Assert.False(AccessTiers.TryParse(name, out _));

    [Fact]
    public async Task An_id_differing_from_an_existing_one_only_in_letter_case_is_refused()
    {
        await catalog.AddAsync(new NewDataset("Hidden", "Hidden", AccessTier.Controlled));

        var refused = await Assert.ThrowsAsync<DatasetCatalogException>(() => catalog.AddAsync(new NewDataset("hidden", "Other", AccessTier.Public)));

        Assert.Contains("dataset 'Hidden' already exists", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["Hidden"], (await catalog.ListAsync()).Select(d => d.Id));
    }

    [Fact]
    public async Task Writing_data_of_an_unknown_dataset_is_refused_and_writes_nothing()
    {
        var refused = Assert.Throws<DatasetCatalogException>(() => catalog.WriteData("nowhere", () =>
        {
            Execute(database.Connection, "CREATE TABLE main.written (x INTEGER)");
            return 0;
        }));

        Assert.Equal("no dataset has the id 'nowhere'", refused.Message);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_removal_while_another_transaction_writes_the_dataset_is_refused_and_the_writer_commits()
    {
        await catalog.AddAsync(new NewDataset("cohort", "Cohort", AccessTier.Public));
        using var writer = database.OpenConnection();
        using (var open = writer.BeginTransaction())
        {
            Assert.True(new DatasetCatalog(writer).TryMarkModified("cohort"));

            var refused = await Assert.ThrowsAsync<DatasetCatalogException>(() => catalog.RemoveAsync("cohort"));

            Assert.StartsWith("dataset 'cohort' is being changed by another operation", refused.Message, StringComparison.Ordinal);
            open.Commit();
        }

        Assert.NotNull(await catalog.FindAsync("cohort"));
    }

    [Fact]
    public async Task Writing_data_while_another_transaction_removes_the_dataset_is_refused()
    {
        await catalog.AddAsync(new NewDataset("cohort", "Cohort", AccessTier.Public));
        using var remover = database.OpenConnection();
        using var open = remover.BeginTransaction();
        // A removal in progress, as RemoveAsync makes it: the row claimed, then deleted, not yet committed.
        Assert.True(new DatasetCatalog(remover).TryMarkModified("cohort"));
        Execute(remover, "DELETE FROM passport.datasets WHERE id = 'cohort'");

        var refused = Assert.Throws<DatasetCatalogException>(() => catalog.WriteData("cohort", () => 0));

        Assert.StartsWith("dataset 'cohort' is being changed by another operation", refused.Message, StringComparison.Ordinal);
        open.Commit();
        Assert.Null(await catalog.FindAsync("cohort"));
    }

    private static void Execute(DuckDB.NET.Data.DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task A_description_is_stored_replaced_and_removed_with_its_dataset()
    {
        await catalog.AddAsync(new NewDataset("GDI-FI-THL-001", "Pilot", AccessTier.Public));
        await catalog.AddAsync(new NewDataset("other", "Other", AccessTier.Public));
        var first = new DatasetMetadata { Title = new Dictionary<string, string> { ["en"] = "First" }, Creators = ["Lab"] };

        await catalog.DescribeAsync("GDI-FI-THL-001", first);
        await catalog.DescribeAsync("GDI-FI-THL-001", first with { Title = new Dictionary<string, string> { ["en"] = "Second" } });

        var described = Assert.Single(await catalog.ListDescribedAsync());
        Assert.Equal(("GDI-FI-THL-001", "Second", "Lab"), (described.Dataset.Id, described.Metadata.Title!["en"], described.Metadata.Creators![0]));
        Assert.Null(await catalog.FindDescriptionAsync("other"));
        await Assert.ThrowsAsync<DatasetCatalogException>(() => catalog.DescribeAsync("missing", first));

        await catalog.RemoveAsync("GDI-FI-THL-001");

        Assert.Empty(await catalog.ListDescribedAsync());
        await catalog.AddAsync(new NewDataset("GDI-FI-THL-001", "Again", AccessTier.Public));
        Assert.Null(await catalog.FindDescriptionAsync("GDI-FI-THL-001"));
        Assert.Equal(0L, await Count("SELECT count(*) FROM passport.dataset_metadata"));
    }

    [Fact]
    public async Task Forgetting_a_description_unlists_the_dataset_and_keeps_it()
    {
        await catalog.AddAsync(new NewDataset("GDI-FI-THL-001", "Pilot", AccessTier.Public));
        await catalog.DescribeAsync("GDI-FI-THL-001", new DatasetMetadata { Creators = ["Lab"] });

        Assert.True(await catalog.ForgetDescriptionAsync("GDI-FI-THL-001"));
        Assert.False(await catalog.ForgetDescriptionAsync("GDI-FI-THL-001"));

        Assert.Empty(await catalog.ListDescribedAsync());
        Assert.NotNull(await catalog.FindAsync("GDI-FI-THL-001"));
    }

    private async Task<long> Count(string sql)
    {
        await using var command = database.Connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
