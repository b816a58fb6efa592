namespace GenomeNode.Htsget.Formats;

/// <summary>Sorts chunks and merges those that overlap or touch, so no stretch of the file is listed twice.</summary>
public static class ChunkMerger
{
    public static IReadOnlyList<Chunk> Merge(IEnumerable<Chunk> chunks)
    {
        var merged = new List<Chunk>();
        foreach (var chunk in chunks.Where(chunk => chunk.End > chunk.Start).OrderBy(chunk => chunk.Start))
        {
            if (merged.Count > 0 && chunk.Start <= merged[^1].End)
            {
                merged[^1] = merged[^1] with { End = VirtualOffset.Max(merged[^1].End, chunk.End) };
            }
            else
            {
                merged.Add(chunk);
            }
        }

        return merged;
    }
}
