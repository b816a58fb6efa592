using GenomeNode.Htsget.Formats;

namespace GenomeNode.Htsget.Tests.Formats;

/// <summary>A BAM file and the index to use with it, named in theory data as "built:", "htslib:" or "samtools:" paths.</summary>
internal sealed record BamCase(string Bam, string Index)
{
    public static BamCase Resolve(BuiltFiles files, string bam, string indexSuffix)
    {
        var path = ResolvePath(files, bam);
        return new BamCase(path, path + indexSuffix);
    }

    public static string ResolvePath(BuiltFiles files, string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var (source, name) = (key[..colon], key[(colon + 1)..]);
        return source switch
        {
            "built" => files.Combine(name),
            "htslib" => TestFiles.HtslibFile(name),
            "samtools" => TestFiles.SamtoolsFile(name),
            _ => throw new ArgumentException($"Unknown source in {key}", nameof(key)),
        };
    }

    public BinningIndex ReadIndex()
    {
        using var stream = File.OpenRead(Index);
        return BinningIndexReader.Read(stream);
    }

    public BamHeader ReadHeader()
    {
        using var stream = File.OpenRead(Bam);
        return BamHeaderReader.Read(stream);
    }
}

/// <summary>A 0-based half-open region and the same region in samtools/bcftools/tabix notation.</summary>
internal sealed record Region(int ReferenceId, string Name, long Start, long End)
{
    public string ToolNotation => End == long.MaxValue ? $"{{{Name}}}" : $"{{{Name}}}:{Start + 1}-{End}";

    public override string ToString() => $"{Name}[{Start},{(End == long.MaxValue ? "end" : End)})";
}

internal static class ChunkAssertions
{
    /// <summary>Chunks are sorted and no two overlap or touch, so nothing is left unmerged.</summary>
    public static void Merged(IReadOnlyList<Chunk> chunks, object context)
    {
        for (var i = 1; i < chunks.Count; i++)
        {
            Assert.True(chunks[i].Start > chunks[i - 1].End,
                $"{context}: chunks {chunks[i - 1]} and {chunks[i]} overlap or touch but were not merged");
        }

        Assert.All(chunks, chunk => Assert.True(chunk.Start < chunk.End, $"{context}: empty chunk {chunk}"));
    }

    public static void Holds<T>(IEnumerable<T> expected, IEnumerable<T> covered, object context)
    {
        var missing = expected.Except(covered).ToList();
        Assert.True(missing.Count == 0, $"{context}: {missing.Count} records outside the chunks, e.g. {missing.FirstOrDefault()}");
    }
}
