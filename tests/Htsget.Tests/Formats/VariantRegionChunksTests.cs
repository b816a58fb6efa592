using System.Globalization;
using GenomeNode.Htsget.Formats;
using GenomeNode.Tests;

namespace GenomeNode.Htsget.Tests.Formats;

[Collection(BuiltFilesGroup.Name)]
public sealed class VariantRegionChunksTests(BuiltFiles files)
{
    [Theory]
    [InlineData("index.vcf.gz", ".tbi")]
    [InlineData("index.vcf.gz", ".csi")]
    [InlineData("vcf_file.vcf.gz", ".tbi")]
    [InlineData("large_chr.vcf.gz", ".csi")]
    public void Chunks_hold_every_line_tabix_finds_and_are_merged(string vcf, string indexSuffix)
    {
        var path = files.Combine(vcf);
        BinningIndex index;
        using (var stream = File.OpenRead(path + indexSuffix))
        {
            index = BinningIndexReader.Read(stream);
        }

        var names = index.Tabix!.SequenceNames;
        var sites = ExternalTools.Lines("tabix", path, "-R", WholeContigs(names))
            .Select(line => line.Split('\t'))
            .Select(fields => (Chrom: fields[0], Position: long.Parse(fields[1], CultureInfo.InvariantCulture)));
        foreach (var region in Regions(names, sites))
        {
            var chunks = RegionChunks.Find(index, region.ReferenceId, region.Start, region.End);
            ChunkAssertions.Merged(chunks, region);
            var expected = ExternalTools.Lines("tabix", path, region.ToolNotation.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal));
            ChunkAssertions.Holds(expected, RecordDecoders.VcfLines(path, chunks), $"{vcf}{indexSuffix} {region}");
        }
    }

    [Fact]
    public void Chunks_hold_every_bcf_record_bcftools_finds_and_are_merged()
    {
        BinningIndex index;
        using (var stream = File.OpenRead(files.IndexBcf + ".csi"))
        {
            index = CsiReader.Read(stream);
        }

        VcfHeader header;
        using (var stream = File.OpenRead(files.IndexBcf))
        {
            header = BcfHeaderReader.Read(stream);
        }

        var sites = ExternalTools.Lines("bcftools", "view", "-H", files.IndexBcf)
            .Select(line => line.Split('\t'))
            .Select(fields => (Chrom: fields[0], Position: long.Parse(fields[1], CultureInfo.InvariantCulture)));
        foreach (var region in Regions(header.ContigNames, sites))
        {
            var chunks = region.ReferenceId < index.References.Count
                ? RegionChunks.Find(index, region.ReferenceId, region.Start, region.End)
                : [];
            ChunkAssertions.Merged(chunks, region);
            var expected = ExternalTools.Lines("bcftools", "view", "-H", files.IndexBcf,
                    region.End == long.MaxValue ? region.Name : $"{region.Name}:{region.Start + 1}-{region.End}")
                .Select(line => line.Split('\t'))
                .Select(fields => $"{fields[0]}:{fields[1]}");
            ChunkAssertions.Holds(expected, RecordDecoders.BcfSites(files.IndexBcf, header.ContigNames, chunks), region);
        }
    }

    private string WholeContigs(IReadOnlyList<string> names)
    {
        var path = files.Combine($"contigs-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, names.Select(name => $"{name}\t1\t{int.MaxValue}"));
        return path;
    }

    // Per contig: all of it, the first and last record positions, a window in the middle, a stretch with no records.
    private static IEnumerable<Region> Regions(IReadOnlyList<string> names, IEnumerable<(string Chrom, long Position)> sites)
    {
        var byContig = sites.GroupBy(site => site.Chrom).ToDictionary(group => group.Key, group => group.Select(site => site.Position).Order().ToList());
        for (var id = 0; id < names.Count; id++)
        {
            yield return new Region(id, names[id], 0, long.MaxValue);
            if (!byContig.TryGetValue(names[id], out var positions))
            {
                continue;
            }

            yield return new Region(id, names[id], positions[0] - 1, positions[0]);
            yield return new Region(id, names[id], positions[^1] - 1, positions[^1]);
            var middle = positions[positions.Count / 2];
            yield return new Region(id, names[id], middle - 1, middle + 20_000);
            yield return new Region(id, names[id], positions[^1] + 5_000_000, positions[^1] + 5_001_000);
        }
    }
}
