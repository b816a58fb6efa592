using System.Text.RegularExpressions;
using GenomeNode.Beacon.Store;
using GenomeNode.Beacon.Variants;

namespace GenomeNode.Beacon.Requests;

/// <summary>
/// Makes the query of a request's parameters: which kind they ask for (sequence, range, bracket, gene, HGVS, or a
/// variant id), and its fields in store terms. Every refusal names the parameter at fault.
/// </summary>
public static partial class VariantQueryParser
{
    [GeneratedRegex(@"^[ACGTUNRYSWKMBDHV]+\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BasesPattern();

    /// <summary>The query of <c>/g_variants</c>' parameters.</summary>
    /// <exception cref="BeaconRequestException">parameters that make no query, or a value out of range</exception>
    public static VariantQuery FromParameters(VariantParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.IsNamed("mateName"))
        {
            throw new BeaconRequestException("mateName", "mateName (fusion queries) is not supported by this beacon");
        }

        var assembly = Assembly(p);
        var variantTypes = Text(p.VariantType, "variantType") is { } type ? VariantTypes.Matching(type) : null;
        var minLength = Length(p.VariantMinLength, "variantMinLength", 0);
        var maxLength = Length(p.VariantMaxLength, "variantMaxLength", 1);
        if (minLength is { } lo && maxLength is { } hi && hi < lo)
        {
            throw new BeaconRequestException("variantMaxLength", $"variantMaxLength {hi} is below variantMinLength {lo}");
        }

        var geneId = Text(p.GeneId, "geneId");
        var aminoacid = Text(p.AminoacidChange, "aminoacidChange") is { } aa
            ? AminoAcids.ChangeFromHgvs(aa) ?? throw new BeaconRequestException("aminoacidChange", $"'{aa}' is not an amino-acid change such as V600E or p.Val600Glu")
            : null;
        var referenceBases = SequenceText(p.ReferenceBases, "referenceBases");
        var alternateBases = SequenceText(p.AlternateBases, "alternateBases");

        if (Text(p.GenomicAlleleShortForm, "genomicAlleleShortForm") is { } hgvs)
        {
            Only(p, "genomicAlleleShortForm", "assemblyId", "datasetIds");
            return HgvsShortForm.Parse(hgvs, assembly);
        }

        var starts = Coordinates(p.Start, "start", 0);
        var ends = Coordinates(p.End, "end", 1);
        // Range, bracket and gene queries take the same narrowing parameters.
        var narrowing = new VariantNarrowing(variantTypes, alternateBases, aminoacid, (int?)minLength, (int?)maxLength);
        if (starts is null)
        {
            if (ends is not null)
            {
                throw new BeaconRequestException("start", "end is given without start");
            }

            if (geneId is null)
            {
                if (aminoacid is not null)
                {
                    throw new BeaconRequestException("geneId", "an aminoacidChange query needs geneId");
                }

                throw new BeaconRequestException("referenceName",
                    "a g_variants query needs referenceName with start (sequence, range or bracket query), geneId, or genomicAlleleShortForm");
            }

            NotWith(p, "geneId", "referenceName", "referenceBases");
            return new GeneQuery(assembly, geneId, narrowing);
        }

        var (chromosome, impliedAssembly) = Reference(p);
        if (impliedAssembly is not null && assembly is not null && impliedAssembly != assembly)
        {
            throw new BeaconRequestException("referenceName", $"{Text(p.ReferenceName, "referenceName")} is a {impliedAssembly} sequence but assemblyId is {assembly}");
        }

        assembly ??= impliedAssembly;
        if (starts.Count == 2 || ends?.Count == 2)
        {
            if (starts.Count != 2 || ends is null || ends.Count != 2)
            {
                throw new BeaconRequestException(starts.Count == 2 ? "end" : "start", "a bracket query needs two start and two end values");
            }

            if (starts[1] < starts[0] || ends[1] < ends[0])
            {
                throw new BeaconRequestException(starts[1] < starts[0] ? "start" : "end", "bracket bounds must be given as [minimum, maximum]");
            }

            NotWith(p, "bracket queries", "referenceBases");
            return new BracketQuery(assembly, chromosome, starts[0], starts[1], ends[0], ends[1], geneId, narrowing);
        }

        var start = starts[0];
        if (ends is not null)
        {
            var end = ends[0];
            if (end <= start)
            {
                throw new BeaconRequestException("end", $"end {end} must be greater than start {start} (0-based, half-open)");
            }

            NotWith(p, "range queries", "referenceBases");
            return new RangeQuery(assembly, chromosome, start, end, geneId, narrowing);
        }

        if (alternateBases is null)
        {
            throw new BeaconRequestException("alternateBases", "a sequence query needs alternateBases (or give end for a range query)");
        }

        NotWith(p, "sequence queries", "geneId", "aminoacidChange", "variantMinLength", "variantMaxLength");
        return Sequence(assembly, chromosome, start, referenceBases, alternateBases, variantTypes);
    }

    /// <summary>The query of <c>/g_variants/{id}</c>: the variant of <paramref name="id"/>, which takes no other parameter than assemblyId and datasetIds.</summary>
    /// <exception cref="BeaconRequestException">an id that is not chromosome:start:ref:alt, or another parameter</exception>
    public static VariantIdQuery FromVariantId(string id, VariantParameters p)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(p);
        if (!VariantIds.TryParse(id, out var chromosome, out var start, out var reference, out var alternate))
        {
            throw new BeaconRequestException("id", $"'{id}' is not a variant id of this beacon (chromosome:start:ref:alt, 0-based start, '-' for an empty allele)");
        }

        var extra = p.Named.FirstOrDefault(key => key is not ("assemblyId" or "datasetIds"));
        if (extra is not null)
        {
            throw new BeaconRequestException(extra, $"'{extra}' cannot be combined with a variant id");
        }

        return new VariantIdQuery(Assembly(p), ReferenceNames.Canonical(chromosome), start, reference.ToUpperInvariant(), alternate.ToUpperInvariant());
    }

    /// <summary>
    /// A sequence query for an allele in VCF notation (0-based start, REF and ALT with any padding base), normalised as
    /// stored alleles are. Without a (concrete) REF only a single-base change can be placed: the ALT base at start, of
    /// <paramref name="variantTypes"/> or else SNP.
    /// </summary>
    internal static SequenceQuery Sequence(string? assembly, string chromosome, long start, string? reference, string alternate, IReadOnlyList<string>? variantTypes)
    {
        if (start > int.MaxValue)
        {
            throw new BeaconRequestException("start", $"start {start} is beyond any chromosome");
        }

        if (reference is null || reference == "N")
        {
            if (alternate.Length != 1)
            {
                throw new BeaconRequestException("referenceBases", "referenceBases is needed for a multi-base alternateBases");
            }

            return new SequenceQuery(assembly, chromosome, start, start + 1, null, alternate == "N" ? null : alternate, variantTypes ?? ["SNP"]);
        }

        var allele = Alleles.Normalise((int)start, reference, alternate)
            ?? throw new BeaconRequestException("alternateBases", "alternateBases equals referenceBases: that is no variant");
        return new SequenceQuery(assembly, chromosome, allele.Start, allele.End, allele.Ref, allele.Alt, variantTypes);
    }

    private static (string Chromosome, string? Assembly) Reference(VariantParameters p)
    {
        var name = Text(p.ReferenceName, "referenceName") ?? throw new BeaconRequestException("referenceName", "referenceName is required with start");
        if (name.Length > 64)
        {
            throw new BeaconRequestException("referenceName", "referenceName must be a chromosome name such as 17, chr17 or NC_000017.11");
        }

        var resolved = ReferenceNames.Resolve(name);
        if (ReferenceNames.LooksLikeAccession(name) && resolved.Assembly is null && resolved.Chromosome != "MT")
        {
            throw new BeaconRequestException("referenceName", $"unknown RefSeq accession '{name}': this beacon knows the GRCh38 and GRCh37 chromosomes");
        }

        return resolved;
    }

    private static string? Assembly(VariantParameters p)
    {
        if (Text(p.AssemblyId, "assemblyId") is not { } text)
        {
            return null;
        }

        return ReferenceNames.CanonicalAssembly(text)
            ?? throw new BeaconRequestException("assemblyId", $"unknown assemblyId '{text}': use one of {string.Join(", ", ReferenceNames.Assemblies)}");
    }

    /// <summary>A text parameter trimmed, null when not given; given but blank, it is refused.</summary>
    private static string? Text(string? given, string name)
    {
        if (given is null)
        {
            return null;
        }

        var text = given.Trim();
        return text.Length > 0 ? text : throw new BeaconRequestException(name, $"{name} must not be empty");
    }

    private static string? SequenceText(string? given, string name)
    {
        var text = Text(given, name);
        if (text is null)
        {
            return null;
        }

        return BasesPattern().IsMatch(text)
            ? text.ToUpperInvariant()
            : throw new BeaconRequestException(name, $"{name} '{text}' is not a sequence of bases (A, C, G, T, N and IUPAC codes)");
    }

    private static long? Length(long? given, string name, long minimum) =>
        given is { } number && (number < minimum || number > int.MaxValue)
            ? throw new BeaconRequestException(name, $"{name} must be between {minimum} and {int.MaxValue}")
            : given;

    private static IReadOnlyList<long>? Coordinates(IReadOnlyList<long>? given, string name, long minimum)
    {
        if (given is null)
        {
            return null;
        }

        if (given.Count is < 1 or > 2)
        {
            throw new BeaconRequestException(name, $"{name} must hold one or two integers");
        }

        foreach (var value in given)
        {
            if (value < minimum || value > int.MaxValue)
            {
                throw new BeaconRequestException(name, value < minimum
                    ? $"{name} {value} is out of range: coordinates are 0-based and at least {minimum}"
                    : $"{name} {value} is out of range: coordinates are at most {int.MaxValue}");
            }
        }

        return given;
    }

    /// <summary>Refuses any parameter named beside <paramref name="what"/> but the <paramref name="allowed"/> ones.</summary>
    private static void Only(VariantParameters p, string what, params string[] allowed)
    {
        foreach (var key in p.Named)
        {
            if (key != what && !allowed.Contains(key))
            {
                throw new BeaconRequestException(key, $"'{key}' cannot be combined with {what}");
            }
        }
    }

    /// <summary>Refuses the <paramref name="refused"/> parameters, which <paramref name="what"/> does not use, when named.</summary>
    private static void NotWith(VariantParameters p, string what, params string[] refused)
    {
        foreach (var key in refused)
        {
            if (p.IsNamed(key))
            {
                throw new BeaconRequestException(key, $"'{key}' is not used by {what}");
            }
        }
    }
}
