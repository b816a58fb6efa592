using GenomeNode.Htsget.Formats;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Formats;

[Collection(BuiltFilesGroup.Name)]
public sealed class CramTests(BuiltFiles files)
{
    // Each file with the reference samtools needs to decode it (the record count oracle).
    public static TheoryData<string, string> Crams => new()
    {
        { "htslib:range.cram", "htslib:ce.fa" },
        { "htslib:ce#5b_java.cram", "htslib:ce.fa" },
        { "htslib:xx#large_aux_java.cram", "htslib:xx.fa" },
        { "htslib:auxf#values_java.cram", "htslib:auxf.fa" },
        { "samtools:mpileup/ce#5b.cram", "htslib:ce.fa" },
        { "samtools:dat/test_input_1_a.cram", "htslib:ce.fa" },
        { "samtools:quickcheck/6.quickcheck.cram21.ok.cram", "samtools:dat/mpileup.ref.fa" },
        { "samtools:quickcheck/7.quickcheck.cram30.ok.cram", "samtools:dat/mpileup.ref.fa" },
        { "built:index.cram", "htslib:ce.fa" },
    };

    public static TheoryData<string> IndexedCrams => new()
    {
        "htslib:range.cram",
        "samtools:mpileup/ce#5b.cram",
        "built:index.cram",
    };

    [Theory]
    [MemberData(nameof(Crams))]
    public void Containers_tile_the_file_from_the_header_container_to_the_eof_container(string cram, string reference)
    {
        var path = BamCase.ResolvePath(files, cram);
        using var stream = File.OpenRead(path);

        var layout = CramLayout.Read(stream);

        Assert.Equal(CramFileDefinition.Length, layout.Containers[0].Offset);
        for (var i = 1; i < layout.Containers.Count; i++)
        {
            Assert.Equal(layout.Containers[i - 1].End, layout.Containers[i].Offset);
        }

        Assert.Equal(stream.Length, layout.Containers[^1].End);
        Assert.Same(layout.Containers[0], layout.HeaderContainer);
        Assert.False(layout.HeaderContainer!.IsEof);
        var definition = layout.FileDefinition;
        Assert.Contains($"CRAM version {definition.MajorVersion}.{definition.MinorVersion} ", ExternalTools.Run("htsfile", path), StringComparison.Ordinal);

        // EOF containers arrived with CRAM 2.1.
        Assert.Equal(definition.MajorVersion > 2 || definition.MinorVersion >= 1, layout.EndsWithEofContainer);

        var records = ExternalTools.Run("samtools", "view", "-c", "-T", BamCase.ResolvePath(files, reference), path).Trim();
        Assert.Equal(long.Parse(records, System.Globalization.CultureInfo.InvariantCulture),
            layout.DataContainers.Sum(container => (long)container.Header.RecordCount));
    }

    [Theory]
    [MemberData(nameof(IndexedCrams))]
    public void Crai_rows_point_at_containers_and_their_slices(string cram)
    {
        var path = BamCase.ResolvePath(files, cram);
        var layout = ReadLayout(path);
        var entries = ReadCrai(path + ".crai");

        Assert.NotEmpty(entries);
        var containers = layout.Containers.ToDictionary(container => container.Offset);
        foreach (var entry in entries)
        {
            Assert.True(containers.TryGetValue(entry.ContainerOffset, out var container), $"{entry} names no container");
            Assert.Contains((int)entry.SliceOffset, container!.Header.Landmarks);
            Assert.InRange(entry.SliceOffset + entry.SliceSize, entry.SliceOffset + 1, container.Header.Length);
            Assert.NotSame(layout.HeaderContainer, container);
            Assert.False(container.IsEof);
        }
    }

    [Theory]
    [MemberData(nameof(IndexedCrams))]
    public void The_containers_crai_selects_hold_every_read_samtools_finds(string cram)
    {
        var path = BamCase.ResolvePath(files, cram);
        var layout = ReadLayout(path);
        var entries = ReadCrai(path + ".crai");
        var names = ExternalTools.Lines("samtools", "view", "-H", path)
            .Where(line => line.StartsWith("@SQ", StringComparison.Ordinal))
            .Select(line => line.Split('\t').Single(field => field.StartsWith("SN:", StringComparison.Ordinal))[3..])
            .ToList();

        var regions = names.Select((name, id) => new Region(id, name, 0, long.MaxValue))
            .Concat(names.Select((name, id) => new Region(id, name, 999, 1100)))
            .Concat(names.Select((name, id) => new Region(id, name, 4_000_000, 4_000_100)));
        foreach (var region in regions)
        {
            var offsets = CraiQuery.ContainerOffsets(entries, region.ReferenceId, region.Start, region.End);
            var expected = ExternalTools.Lines("samtools", "view", "-T", TestFiles.CeReference, path, region.ToolNotation)
                .Select(ReadKey.FromSamLine);
            ChunkAssertions.Holds(expected, ReadsInContainers(path, layout, offsets), $"{cram} {region}");
        }

        var unplaced = CraiQuery.ContainerOffsets(entries, -1, 0, long.MaxValue);
        var unmapped = ExternalTools.Lines("samtools", "view", "-T", TestFiles.CeReference, path, "*").Select(ReadKey.FromSamLine);
        ChunkAssertions.Holds(unmapped, ReadsInContainers(path, layout, unplaced), $"{cram} *");
    }

    [Fact]
    public void The_spec_eof_container_parses_as_eof()
    {
        var eof = Convert.FromHexString(
            "0f000000ffffffff0fe0454f4600000000010005bdd94f0001000606010001000100ee63014b");

        Assert.True(CramContainerHeader.TryParse(eof, 3, 0, out var header, out var length));
        Assert.Equal(23, length);
        Assert.Equal(15, header!.Length);
        Assert.True(header.IsEof);
        Assert.Equal((-1, 4542278, 1), (header.ReferenceSequenceId, header.AlignmentStart, header.BlockCount));
        Assert.False(CramContainerHeader.TryParse(eof.AsSpan(0, 20), 3, 0, out _, out _));

        eof[5] ^= 1;
        Assert.Throws<HtsFormatException>(() => CramContainerHeader.TryParse(eof, 3, 0, out _, out _));
    }

    [Theory]
    [InlineData("quickcheck/7.quickcheck.cram30.ok.cram", 3)]
    [InlineData("quickcheck/6.quickcheck.cram21.ok.cram", 2)]
    public void The_standard_eof_container_is_the_one_samtools_writes(string cram, byte major)
    {
        var bytes = File.ReadAllBytes(TestFiles.SamtoolsFile(cram));
        var eof = CramEof.For(major, (byte)(major == 3 ? 0 : 1)).ToArray();

        Assert.Equal(bytes[^eof.Length..], eof);
        Assert.True(CramContainerHeader.TryParse(eof, major, 0, out var header, out _));
        Assert.True(header!.IsEof);
        Assert.Empty(CramEof.For(2, 0).ToArray());
    }

    [Theory]
    [InlineData("quickcheck/5.quickcheck.scramble30.truncated.cram")]
    [InlineData("quickcheck/8.quickcheck.cram21.truncated.cram")]
    [InlineData("quickcheck/9.quickcheck.cram30.truncated.cram")]
    public void A_truncated_cram_is_reported_or_lacks_its_eof_container(string cram)
    {
        using var stream = File.OpenRead(TestFiles.SamtoolsFile(cram));

        try
        {
            Assert.False(CramLayout.Read(stream).EndsWithEofContainer);
        }
        catch (HtsFormatException error)
        {
            Assert.InRange(error.Offset!.Value, CramFileDefinition.Length, stream.Length);
        }
    }

    [Fact]
    public void A_cram_cut_inside_a_container_is_reported_at_that_container()
    {
        var bytes = File.ReadAllBytes(TestFiles.HtslibFile("range.cram"));
        var layout = CramLayout.Read(new MemoryStream(bytes));
        var cut = layout.Containers[2];

        var error = Assert.Throws<HtsFormatException>(() =>
            CramLayout.Read(new MemoryStream(bytes[..(int)(cut.Offset + cut.HeaderLength + 10)])));
        Assert.Equal(cut.Offset, error.Offset);
    }

    [Fact]
    public void Not_cram_is_refused()
    {
        Assert.Throws<HtsFormatException>(() => CramLayout.Read(new MemoryStream(File.ReadAllBytes(TestFiles.HtslibFile("range.bam")))));
        Assert.Throws<HtsFormatException>(() => CraiReader.Read(new MemoryStream(File.ReadAllBytes(TestFiles.HtslibFile("index.vcf")))));

        // A gzip-compressed file of other text is gzip, but its lines are not CRAI rows.
        Assert.Throws<HtsFormatException>(() => CraiReader.Read(new MemoryStream(File.ReadAllBytes(files.IndexVcf))));
    }

    private static CramLayout ReadLayout(string path)
    {
        using var stream = File.OpenRead(path);
        return CramLayout.Read(stream);
    }

    private static IReadOnlyList<CraiEntry> ReadCrai(string path)
    {
        using var stream = File.OpenRead(path);
        return CraiReader.Read(stream);
    }

    // What an htsget client would receive: the file definition and header container, the selected containers, the
    // EOF container. samtools decodes it without an index.
    private List<ReadKey> ReadsInContainers(string path, CramLayout layout, IEnumerable<long> offsets)
    {
        var bytes = File.ReadAllBytes(path);
        var slice = files.Combine($"slice-{Guid.NewGuid():N}.cram");
        using (var output = File.Create(slice))
        {
            output.Write(bytes, 0, (int)layout.HeaderContainer!.End);
            foreach (var container in offsets.Select(offset => layout.Containers.Single(container => container.Offset == offset)))
            {
                output.Write(bytes, (int)container.Offset, (int)container.Length);
            }

            var eof = layout.Containers[^1];
            output.Write(bytes, (int)eof.Offset, (int)eof.Length);
        }

        return ExternalTools.Lines("samtools", "view", "-T", TestFiles.CeReference, slice).Select(ReadKey.FromSamLine).ToList();
    }
}
