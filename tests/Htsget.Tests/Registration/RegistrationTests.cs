using System.Globalization;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tests.Formats;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Registration;

[Collection(BuiltFilesGroup.Name)]
public sealed class RegistrationTests(BuiltFiles files)
{
    [Theory]
    [MemberData(nameof(RegistrationCase.All), MemberType = typeof(RegistrationCase))]
    public void Registering_stores_format_size_checksum_and_the_header_references(RegistrationCase file)
    {
        using var database = new TestDatabase();
        var registrar = new HtsgetObjectRegistrar(database.Connection);
        var store = new HtsgetObjectStore(database.Connection);
        var path = file.Path(files);

        var registered = registrar.Register(file.Request(files, "obj-1"));

        Assert.Equal(("obj-1", "ds1", file.Kind, file.Format, file.IndexFormat), (registered.ObjectId, registered.DatasetId, registered.Kind, registered.Format, registered.IndexFormat));
        Assert.Equal(Path.GetFullPath(path), registered.Path);
        Assert.Equal(new FileInfo(path).Length, registered.Size);
        Assert.Equal(ExternalTools.Run("sha256sum", path).Split(' ')[0], registered.Sha256);
        Assert.Equal(registered, store.Find("obj-1"));
        Assert.Equal([registered], store.List("ds1"));

        var expected = file.HeaderReferences(files);
        Assert.Equal(expected, store.References("obj-1"));
        Assert.Equal(expected.Count, registered.References);
        Assert.True(registered.Blocks > 0);

        var layout = store.Layout("obj-1")!;
        Assert.True(layout.EndsWithEof);
        Assert.Equal(file.Format == "CRAM", layout.MinShift is null);
    }

    [Fact]
    public void The_index_is_found_beside_the_file_when_not_given()
    {
        using var database = new TestDatabase();
        var registrar = new HtsgetObjectRegistrar(database.Connection);

        Assert.Equal("BAI", registrar.Register(new("bam", "ds", HtsgetKind.Reads, files.IndexBam, null)).IndexFormat);
        Assert.Equal("CRAI", registrar.Register(new("cram", "ds", HtsgetKind.Reads, files.IndexCram, null)).IndexFormat);
        Assert.Equal("TBI", registrar.Register(new("vcf", "ds", HtsgetKind.Variants, files.IndexVcf, null)).IndexFormat);
        Assert.Equal("CSI", registrar.Register(new("bcf", "ds", HtsgetKind.Variants, files.IndexBcf, null)).IndexFormat);
        Assert.Equal("CSI", registrar.Register(new("large", "ds", HtsgetKind.Variants, files.LargeChromosomeVcf, null)).IndexFormat);
    }

    [Fact]
    public void Bins_are_stored_in_reference_and_bin_start_order_with_their_genomic_span()
    {
        using var database = new TestDatabase();
        new HtsgetObjectRegistrar(database.Connection).Register(new("syn", "ds", HtsgetKind.Reads, files.SyntheticBam, files.SyntheticBam + ".bai"));

        using var command = database.Connection.CreateCommand();
        command.CommandText = "SELECT ref_index, bin, bin_start, bin_end FROM htsget.bins WHERE object_id = 'syn'";
        using var reader = command.ExecuteReader();
        var rows = new List<(int Ref, int Bin, long Start, long End)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        Assert.NotEmpty(rows);
        for (var i = 1; i < rows.Count; i++)
        {
            Assert.True((rows[i - 1].Ref, rows[i - 1].Start).CompareTo((rows[i].Ref, rows[i].Start)) <= 0, $"row {i} out of order");
        }

        Assert.All(rows, row =>
        {
            var region = GenomeNode.Htsget.Formats.Binning.BinRegion(row.Bin, 14, 5);
            Assert.Equal((region.Start, region.End), (row.Start, row.End));
        });
    }

    [Fact]
    public void Re_registering_replaces_the_object_atomically_and_a_failed_one_leaves_it_intact()
    {
        using var database = new TestDatabase();
        var registrar = new HtsgetObjectRegistrar(database.Connection);
        var store = new HtsgetObjectStore(database.Connection);

        registrar.Register(new("obj", "ds", HtsgetKind.Reads, files.IndexBam, files.IndexBam + ".bai"));
        var once = RowCounts(database, "obj");
        registrar.Register(new("obj", "ds", HtsgetKind.Reads, files.IndexBam, files.IndexBam + ".bai"));
        Assert.Equal(once, RowCounts(database, "obj"));

        // Replaced by another file: only the new file's rows remain.
        var replaced = registrar.Register(new("obj", "ds2", HtsgetKind.Reads, files.SyntheticBam, files.SyntheticBam + ".csi"));
        Assert.Equal(replaced, store.Find("obj"));
        registrar.Register(new("fresh", "ds", HtsgetKind.Reads, files.SyntheticBam, files.SyntheticBam + ".csi"));
        Assert.Equal(RowCounts(database, "fresh"), RowCounts(database, "obj"));

        // A refused re-registration (the index of another file) leaves the previous one as it was.
        var before = RowCounts(database, "obj");
        Assert.Throws<HtsgetRegistrationException>(() =>
            registrar.Register(new("obj", "ds", HtsgetKind.Reads, files.IndexBam, files.SyntheticBam + ".bai")));
        Assert.Equal(replaced, store.Find("obj"));
        Assert.Equal(before, RowCounts(database, "obj"));
        Assert.NotEmpty(store.RegionChunks("obj", "chrA", 0, long.MaxValue));
    }

    [Fact]
    public void Two_registrations_of_one_id_in_open_transactions_at_once_leave_one_object_not_two()
    {
        // Without the node's single writer (docs/architecture.md), the key must refuse the second registration.
        using var database = new TestDatabase();
        var read = HtsgetObjectRegistrar.Read(new("obj", "ds", HtsgetKind.Reads, files.IndexBam, files.IndexBam + ".bai"));
        using var other = database.OpenConnection();
        var failures = 0;
        using (var open = other.BeginTransaction())
        {
            new HtsgetObjectRegistrar(other).StoreInTransaction(read);
            try
            {
                new HtsgetObjectRegistrar(database.Connection).Register(new("obj", "ds", HtsgetKind.Reads, files.SyntheticBam, files.SyntheticBam + ".csi"));
            }
            catch (DuckDB.NET.Data.DuckDBException)
            {
                failures++;
            }

            try
            {
                open.Commit();
            }
            catch (DuckDB.NET.Data.DuckDBException)
            {
                failures++;
            }
        }

        Assert.Equal(1, failures);
        Assert.Single(new HtsgetObjectStore(database.Connection).List("ds"));
    }

    [Fact]
    public void Two_formats_of_one_id_registered_in_open_transactions_at_once_both_land_and_go_together()
    {
        using var database = new TestDatabase();
        var read = HtsgetObjectRegistrar.Read(new("obj", "ds", HtsgetKind.Reads, files.IndexBam, files.IndexBam + ".bai"));
        using var other = database.OpenConnection();
        using (var open = other.BeginTransaction())
        {
            new HtsgetObjectRegistrar(other).StoreInTransaction(read);
            new HtsgetObjectRegistrar(database.Connection).Register(new("obj", "ds", HtsgetKind.Reads, files.IndexCram, null));
            open.Commit();
        }

        var store = new HtsgetObjectStore(database.Connection);
        using var bamOnly = new TestDatabase();
        new HtsgetObjectRegistrar(bamOnly.Connection).Register(new("obj", "ds", HtsgetKind.Reads, files.IndexBam, files.IndexBam + ".bai"));
        using var cramOnly = new TestDatabase();
        new HtsgetObjectRegistrar(cramOnly.Connection).Register(new("obj", "ds", HtsgetKind.Reads, files.IndexCram, null));

        Assert.Equal(["BAM", "CRAM"], store.FindAll("obj").Select(registered => registered.Format));
        Assert.Equal(["BAM", "CRAM"], new HtsgetObjectRegistrar(database.Connection).Formats("obj"));
        Assert.Equal("BAM", store.Find("obj")!.Format);
        Assert.Equal("CRAM", store.LoadSnapshot("obj", "CRAM")!.Value.Snapshot.Format);
        Assert.Equal("BAM", store.LoadSnapshot("obj")!.Value.Snapshot.Format);
        Assert.Null(store.LoadSnapshot("obj", "VCF"));
        // Each format's rows are its own file's, as if it were registered alone.
        Assert.Equal(RowCounts(bamOnly, "obj", "BAM"), RowCounts(database, "obj", "BAM"));
        Assert.Equal(RowCounts(cramOnly, "obj", "CRAM"), RowCounts(database, "obj", "CRAM"));

        Assert.True(store.Remove("obj"));
        Assert.All(RowCounts(database, "obj"), count => Assert.Equal(0, count));
    }

    [Fact]
    public void Without_a_format_the_default_or_the_only_one_is_found()
    {
        using var database = new TestDatabase();
        var registrar = new HtsgetObjectRegistrar(database.Connection);
        var store = new HtsgetObjectStore(database.Connection);
        registrar.Register(new("cram", "ds", HtsgetKind.Reads, files.IndexCram, null));
        registrar.Register(new("calls", "ds", HtsgetKind.Variants, files.IndexBcf, null));

        Assert.Equal("CRAM", store.Find("cram")!.Format);
        Assert.Null(store.Find("cram", "BAM"));
        Assert.Equal("BCF", store.Find("calls")!.Format);

        registrar.Register(new("calls", "ds", HtsgetKind.Variants, files.IndexVcf, null));

        Assert.Equal("VCF", store.Find("calls")!.Format);
        Assert.Equal(2, store.RemoveDataset("ds"));
    }

    [Fact]
    public void Removing_a_dataset_removes_its_objects_and_all_their_rows()
    {
        using var database = new TestDatabase();
        var registrar = new HtsgetObjectRegistrar(database.Connection);
        var store = new HtsgetObjectStore(database.Connection);
        registrar.Register(new("a", "gone", HtsgetKind.Reads, files.IndexBam, files.IndexBam + ".csi"));
        registrar.Register(new("b", "gone", HtsgetKind.Reads, files.IndexCram, null));
        registrar.Register(new("c", "gone", HtsgetKind.Variants, files.IndexVcf, null));
        registrar.Register(new("d", "kept", HtsgetKind.Variants, files.IndexBcf, null));
        var kept = RowCounts(database, "d");

        Assert.Equal(3, store.RemoveDataset("gone"));

        Assert.Empty(store.List("gone"));
        Assert.Equal(["d"], store.List().Select(o => o.ObjectId));
        foreach (var id in new[] { "a", "b", "c" })
        {
            Assert.All(RowCounts(database, id), count => Assert.Equal(0, count));
        }

        Assert.Equal(kept, RowCounts(database, "d"));
        Assert.Equal(0, store.RemoveDataset("gone"));
        Assert.True(store.Remove("d"));
        Assert.False(store.Remove("d"));
        Assert.All(RowCounts(database, "d"), count => Assert.Equal(0, count));
    }

    [Fact]
    public void The_store_answers_nothing_for_unknown_objects_and_references()
    {
        using var database = new TestDatabase();
        new HtsgetObjectRegistrar(database.Connection).Register(new("bam", "ds", HtsgetKind.Reads, files.IndexBam, null));
        var store = new HtsgetObjectStore(database.Connection);

        Assert.Null(store.Find("nope"));
        Assert.Empty(store.References("nope"));
        Assert.Throws<KeyNotFoundException>(() => store.RegionChunks("nope", "chr1", 0, 10));
        Assert.Empty(store.RegionChunks("bam", "no-such-reference", 0, long.MaxValue));
        Assert.Empty(store.RegionChunks("bam", store.References("bam")[0].Name, 100, 100));
    }

    private static List<long> RowCounts(TestDatabase database, string objectId, string? format = null)
    {
        var counts = new List<long>();
        foreach (var table in new[] { "objects", "references", "index_references", "blocks", "bins", "lower_bounds", "crai" })
        {
            using var command = database.Connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM htsget.{table} WHERE object_id = $1 AND ($2 IS NULL OR format = $2)";
            command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter(objectId));
            command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter((object?)format ?? DBNull.Value));
            counts.Add(Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture));
        }

        return counts;
    }
}
