using GenomeNode.Beacon.Api;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Store;

namespace GenomeNode.Beacon.Variants;

/// <summary>One population of a dataset: its label and its members, the genotyped individuals it holds (by sample index).</summary>
public sealed class DatasetPopulation
{
    private readonly bool[] members;

    internal DatasetPopulation(string id, bool isEveryone, bool[] members)
    {
        Id = id;
        IsEveryone = isEveryone;
        this.members = members;
        MemberCount = members.Count(m => m);
    }

    public string Id { get; }

    /// <summary>Whether the population is everyone in the dataset (its condition has no clause).</summary>
    public bool IsEveryone { get; }

    public int MemberCount { get; }

    public bool Contains(int sampleIndex) => sampleIndex >= 0 && sampleIndex < members.Length && members[sampleIndex];

    /// <summary>How many of <paramref name="samples"/> are members.</summary>
    public int CountOf(IReadOnlyList<int> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var count = 0;
        foreach (var sample in samples)
        {
            if (Contains(sample))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Whether every member of <paramref name="other"/> is a member of this population.</summary>
    public bool Covers(DatasetPopulation other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < other.members.Length; i++)
        {
            if (other.members[i] && !Contains(i))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// A dataset's populations with their members, and who its VCFs genotyped: what the frequencies per population of its
/// records are computed from (<see cref="PopulationFrequencies"/>).
/// </summary>
public sealed class DatasetPopulations
{
    private DatasetPopulations(int? genotyped, IReadOnlyList<DatasetPopulation> populations)
    {
        Genotyped = genotyped;
        Populations = populations;
    }

    /// <summary>
    /// How many individuals every record of the dataset was genotyped on: the samples of its VCFs when they all hold the
    /// same ones; null when they do not (or were ingested before the node recorded them, and cannot be told apart), so
    /// that a record's samples are not known.
    /// </summary>
    public int? Genotyped { get; }

    /// <summary>In the configured order.</summary>
    public IReadOnlyList<DatasetPopulation> Populations { get; }

    /// <summary>
    /// The populations of a dataset whose individuals (documents by sample index, null where an index is unused) and VCFs
    /// are given. Members are genotyped individuals; when who was genotyped is not known, every individual counts.
    /// </summary>
    public static DatasetPopulations Build(
        IReadOnlyList<PopulationDefinition> definitions, IReadOnlyList<Entry?> individuals, IReadOnlyList<VariantFileSamples> files)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(individuals);
        ArgumentNullException.ThrowIfNull(files);
        var genotyped = GenotypedSamples(individuals, files);
        var width = Math.Max(individuals.Count, genotyped is null || genotyped.Count == 0 ? 0 : genotyped.Max() + 1);
        var populations = definitions.Select(definition =>
        {
            var members = new bool[width];
            for (var i = 0; i < width; i++)
            {
                var individual = i < individuals.Count ? individuals[i] : null;
                var included = genotyped?.Contains(i) ?? individual is not null;
                // A genotyped sample without a document (or not yet in the entries read) belongs to no conditional population.
                members[i] = included && (definition.Condition.IsEveryone || (individual is not null && definition.Condition.Matches(individual.Facts)));
            }

            return new DatasetPopulation(definition.Id, definition.Condition.IsEveryone, members);
        }).ToList();
        return new DatasetPopulations(genotyped?.Count, populations);
    }

    /// <summary>
    /// The populations a caller may be given counts of, when groups of fewer than <paramref name="minimumMembers"/>
    /// individuals must not be revealed (0: all): a population with fewer members is left out, and so is one whose
    /// members, taken from a larger population left in, leave fewer than that (its counts subtracted from the larger
    /// one's would give the small group's). Everyone in the dataset is the dataset itself, which a record answer is
    /// allowed to describe, and is kept.
    /// </summary>
    public DatasetPopulations ShownTo(int minimumMembers)
    {
        if (minimumMembers <= 0)
        {
            return this;
        }

        var large = Populations.Where(p => p.IsEveryone || p.MemberCount >= minimumMembers).ToList();
        var shown = large.Where(small => small.IsEveryone || !large.Any(big =>
                big.MemberCount > small.MemberCount && big.MemberCount - small.MemberCount < minimumMembers && big.Covers(small)))
            .ToList();
        return new DatasetPopulations(Genotyped, shown);
    }

    /// <summary>
    /// The sample indexes every VCF of the dataset genotyped, when they all hold the same samples; null otherwise. A file
    /// ingested before its samples were recorded is taken to hold every individual when it has as many samples as the
    /// dataset has individuals (it cannot hold others), and makes the samples unknown otherwise.
    /// </summary>
    private static HashSet<int>? GenotypedSamples(IReadOnlyList<Entry?> individuals, IReadOnlyList<VariantFileSamples> files)
    {
        var everyone = Enumerable.Range(0, individuals.Count).Where(i => individuals[i] is not null).ToList();
        HashSet<int>? common = null;
        foreach (var file in files)
        {
            var samples = file.SampleIndexes ?? (file.Samples == everyone.Count ? everyone : null);
            if (samples is null)
            {
                return null;
            }

            var set = samples.ToHashSet();
            if (set.Count != file.Samples || (common is not null && !common.SetEquals(set)))
            {
                return null;
            }

            common ??= set;
        }

        return common ?? [];
    }
}

/// <summary>
/// A record's frequencies per population (docs/population-frequencies.md). Counts are given only where they are known
/// exactly from what the store keeps: the carriers (heterozygous, homozygous, hemizygous sample indexes) and the
/// record's allele count and number over all samples of its file (the store keeps no per-sample call, so a missing call
/// is known only through the allele number).
/// <list type="bullet">
/// <item>Everyone in the dataset, or a population holding every genotyped sample: the record's own counts.</item>
/// <item>Any other population, of a record on which every sample was called diploid (allele number twice the samples,
/// no hemizygous carrier): allele number twice its members, allele count its heterozygous members plus twice its
/// homozygous ones.</item>
/// <item>Otherwise (a missing or haploid call somewhere, a sites-only VCF, samples not known) the population's allele
/// number is not known and it is left out of the record, rather than estimated.</item>
/// </list>
/// A record without any called allele has no frequency at all.
/// </summary>
public static class PopulationFrequencies
{
    public static IReadOnlyList<PopulationFrequency> Of(StoredVariant variant, DatasetPopulations populations)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(populations);
        if (variant.AlleleNumber <= 0)
        {
            return [];
        }

        // A sites-only VCF's INFO counts have no carriers behind them.
        var fromGenotypes = variant.CarrierCount > 0 || variant.AlleleCount == 0;
        var genotyped = populations.Genotyped;
        var frequencies = new List<PopulationFrequency>(populations.Populations.Count);
        foreach (var population in populations.Populations)
        {
            if (population.IsEveryone || (fromGenotypes && population.MemberCount > 0 && population.MemberCount == genotyped))
            {
                frequencies.Add(Frequency(population.Id, variant.AlleleCount, variant.AlleleNumber,
                    fromGenotypes ? variant.Homozygous.Count : null, fromGenotypes ? variant.Heterozygous.Count : null,
                    fromGenotypes ? variant.Hemizygous.Count : null));
            }
            else if (fromGenotypes && population.MemberCount > 0 && genotyped is { } samples &&
                     variant.AlleleNumber == 2L * samples && variant.Hemizygous.Count == 0)
            {
                var heterozygous = population.CountOf(variant.Heterozygous);
                var homozygous = population.CountOf(variant.Homozygous);
                frequencies.Add(Frequency(population.Id, heterozygous + (2L * homozygous), 2L * population.MemberCount, homozygous, heterozygous, 0));
            }
        }

        return frequencies;
    }

    private static PopulationFrequency Frequency(string population, long alleleCount, long alleleNumber, long? homozygous, long? heterozygous, long? hemizygous) =>
        new(population, Math.Round((double)alleleCount / alleleNumber, 6), alleleCount, alleleNumber, homozygous, heterozygous, hemizygous);
}
