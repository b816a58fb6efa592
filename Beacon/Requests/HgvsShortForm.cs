using System.Globalization;
using System.Text.RegularExpressions;
using GenomeNode.Beacon.Variants;

namespace GenomeNode.Beacon.Requests;

/// <summary>
/// <c>genomicAlleleShortForm</c>: the genomic HGVS forms this beacon reads, <c>ACCESSION:g.POSREF&gt;ALT</c>,
/// <c>g.S_Edel</c>, <c>g.S_EdelinsSEQ</c>, <c>g.S_S+1insSEQ</c> and <c>g.S_Edup</c> (a single position for S_S). A
/// substitution is a sequence query; the others are matched at the stored, left-trimmed position (not 3'-shifted).
/// </summary>
public static partial class HgvsShortForm
{
    private const string Parameter = "genomicAlleleShortForm";

    [GeneratedRegex(@"^(?<seq>[^:\s]+):g\.(?<start>[0-9]+)(_(?<end>[0-9]+))?(?<change>([ACGTN]+>[ACGTN]+)|del|delins[ACGTN]+|ins[ACGTN]+|dup|=)\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Hgvs();

    /// <summary>The query <paramref name="hgvs"/> describes; <paramref name="assembly"/> is the request's assemblyId, if any.</summary>
    /// <exception cref="BeaconRequestException">a form this beacon does not read, or one that disagrees with the assembly</exception>
    public static VariantQuery Parse(string hgvs, string? assembly)
    {
        ArgumentNullException.ThrowIfNull(hgvs);
        var match = Hgvs().Match(hgvs.Trim());
        if (!match.Success)
        {
            throw new BeaconRequestException(Parameter,
                $"'{hgvs}' is not a genomic HGVS form this beacon reads (e.g. NC_000017.11:g.43045712G>A, g.100_102del, g.100_101insAT, g.100delinsAT)");
        }

        var sequence = match.Groups["seq"].Value;
        var (chromosome, implied) = ReferenceNames.Resolve(sequence);
        if (ReferenceNames.LooksLikeAccession(sequence) && implied is null && chromosome != "MT")
        {
            throw new BeaconRequestException(Parameter, $"unknown RefSeq accession '{sequence}'");
        }

        if (implied is not null && assembly is not null && implied != assembly)
        {
            throw new BeaconRequestException(Parameter, $"{sequence} is a {implied} sequence but assemblyId is {assembly}");
        }

        assembly ??= implied;
        // Positions are digit runs of any length: one beyond a long is out of range like one beyond a chromosome.
        var last = 0L;
        if (!long.TryParse(match.Groups["start"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || (match.Groups["end"].Success && !long.TryParse(match.Groups["end"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out last)))
        {
            throw new BeaconRequestException(Parameter, $"'{hgvs}' has a position beyond any chromosome (at most {int.MaxValue})");
        }

        last = match.Groups["end"].Success ? last : first;
        if (first < 1 || last < first || last > int.MaxValue)
        {
            throw new BeaconRequestException(Parameter, $"'{hgvs}' has positions out of order or out of range");
        }

        var change = match.Groups["change"].Value.ToUpperInvariant();
        if (change.Contains('>', StringComparison.Ordinal))
        {
            var parts = change.Split('>');
            if (match.Groups["end"].Success || parts[0].Length != 1 || parts[1].Length != 1)
            {
                throw new BeaconRequestException(Parameter, "a substitution is written POSREF>ALT with single bases");
            }

            return VariantQueryParser.Sequence(assembly, chromosome, first - 1, parts[0], parts[1], null);
        }

        if (change == "DEL")
        {
            return new GenomicAlleleQuery(assembly, chromosome, first - 1, last, "", "DEL", null);
        }

        if (change.StartsWith("DELINS", StringComparison.Ordinal))
        {
            var inserted = change[6..];
            var type = first == last && inserted.Length == 1 ? "SNP" : inserted.Length == last - first + 1 ? "MNP" : "INDEL";
            return new GenomicAlleleQuery(assembly, chromosome, first - 1, last, inserted, type, null);
        }

        if (change.StartsWith("INS", StringComparison.Ordinal))
        {
            if (last != first + 1)
            {
                throw new BeaconRequestException(Parameter, "an insertion is written between two adjacent positions, POS_POS+1insSEQ");
            }

            return new GenomicAlleleQuery(assembly, chromosome, first, first, change[3..], "INS", null);
        }

        if (change == "DUP")
        {
            // The duplicated bases are inserted after the last one; which bases they are needs the reference, so any insertion of that length matches.
            return new GenomicAlleleQuery(assembly, chromosome, last, last, null, "INS", (int)(last - first + 1));
        }

        throw new BeaconRequestException(Parameter, $"'{hgvs}' describes no change");
    }
}
