namespace GenomeNode.Beacon.Store;

/// <summary>
/// A dataset's individual ids by sample index, and each id's place in their ordinal order. Case-level data lists a
/// record's carriers by id: sorting thousands of ids per record by string comparison was a fifth of a record page's
/// CPU at 2,504 samples; sorting their places compares integers.
/// </summary>
public sealed class SampleNames
{
    private readonly Dictionary<int, int> placeBySample;
    private readonly string[] idsInOrder;

    public SampleNames(IReadOnlyDictionary<int, string> idsBySample)
    {
        ArgumentNullException.ThrowIfNull(idsBySample);
        var ordered = idsBySample
            .OrderBy(pair => pair.Value, StringComparer.Ordinal)
            .ThenBy(pair => pair.Key)
            .ToArray();
        idsInOrder = [.. ordered.Select(pair => pair.Value)];
        placeBySample = new Dictionary<int, int>(ordered.Length);
        for (var place = 0; place < ordered.Length; place++)
        {
            placeBySample[ordered[place].Key] = place;
        }
    }

    /// <summary>How many ids (places) there are.</summary>
    public int Count => idsInOrder.Length;

    /// <summary>The sample's place in the ordinal order of the dataset's ids; false for a sample without an id.</summary>
    public bool TryGetPlace(int sample, out int place) => placeBySample.TryGetValue(sample, out place);

    /// <summary>The id at a place of the ordinal order.</summary>
    public string IdAt(int place) => idsInOrder[place];

    /// <summary>The sample's id, or <c>sample-{index}</c> for a sample without one.</summary>
    public string IdOf(int sample) => TryGetPlace(sample, out var place) ? idsInOrder[place] : $"sample-{sample}";
}
