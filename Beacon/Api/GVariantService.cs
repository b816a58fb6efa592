using GenomeNode.Beacon.Requests;
using GenomeNode.Beacon.Store;
using GenomeNode.Beacon.Variants;
using GenomeNode.Passport.Access;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Api;

/// <summary>
/// Answers g_variants requests: which datasets are queried, what each may reveal to this caller (the granted ceiling
/// of its tier when the caller's passport grants it, else its anonymous ceiling), and the response at the granularity
/// actually returned. Every dataset's decision goes to the audit table.
/// </summary>
/// <param name="store">opened only when DuckDB answers: the in-memory index answers the hottest queries without a connection</param>
/// <param name="catalog">read only when the catalog held in memory (<paramref name="datasets"/>) was dropped by a change</param>
public sealed class GVariantService(
    VariantIndex index, VariantRecords records, Lazy<VariantStore> store, CatalogSnapshot datasets, Lazy<DatasetCatalog> catalog, DatasetVisibility visibility,
    IOptions<BeaconOptions> options)
{
    public const string EntityType = "genomicVariant";
    public const string DefaultSchemaId = "ga4gh-beacon-variant-v2.1.0";

    /// <summary>How g_variants decisions are named in the audit table.</summary>
    public const string Resource = "beacon:g_variants";

    public static IReadOnlyList<SchemaReference> ReturnedSchemas { get; } = [new(EntityType, DefaultSchemaId)];

    private static readonly OntologyTerm Heterozygous = new("GENO:0000135", "heterozygous");
    private static readonly OntologyTerm Homozygous = new("GENO:0000136", "homozygous");
    private static readonly OntologyTerm Hemizygous = new("GENO:0000134", "hemizygous");

    /// <summary>
    /// The answer to <paramref name="request"/> from <paramref name="caller"/>: the summary, and at record granularity the
    /// result sets.
    /// </summary>
    /// <exception cref="BeaconRequestException">the request names a dataset the caller may not query</exception>
    /// <exception cref="AuditUnavailableException">the decisions could not be recorded</exception>
    public async Task<GVariantAnswer> AnswerAsync(GVariantRequest request, RequestAccess access, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var beacon = options.Value;
        var datasets = await QueriedDatasetsAsync(request, access, caller, cancellationToken);
        var counts = index.TryCount(request.Query, datasets.Keys) ?? store.Value.Count(request.Query, datasets.Keys);
        var hits = counts.Where(pair => pair.Value > 0).Select(pair => pair.Key).ToList();

        // The returned granularity is the requested one, lowered to what every dataset with a hit allows (or, with
        // no hit, to the most any queried dataset allows): never more than a dataset's ceiling, always what is sent.
        var ceiling = hits.Count > 0
            ? hits.Min(id => datasets[id])
            : datasets.Count > 0 ? datasets.Values.Max() : Granularity.Boolean;
        var returned = (Granularity)Math.Min((int)request.RequestedGranularity, (int)ceiling);
        var total = hits.Sum(id => counts[id]);
        var meta = Meta(beacon, request, returned);
        if (returned == Granularity.Boolean)
        {
            return new GVariantAnswer(meta, new ResponseSummary(hits.Count > 0), null);
        }

        if (returned == Granularity.Count)
        {
            return new GVariantAnswer(meta, new ResponseSummary(hits.Count > 0, total), null);
        }

        var sets = new List<ResultSet>();
        foreach (var (id, _) in datasets.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var hit = counts.TryGetValue(id, out var count) && count > 0;
            var include = request.IncludeResultsetResponses switch
            {
                ResultSetResponses.All => true,
                ResultSetResponses.Hit => hit,
                ResultSetResponses.Miss => !hit,
                _ => false,
            };
            if (!include)
            {
                continue;
            }

            var results = hit ? Documents(id, Page(request, id)) : [];
            sets.Add(new ResultSet(id, "dataset", hit, hit ? count : 0, results));
        }

        return new GVariantAnswer(meta, new ResponseSummary(hits.Count > 0, total), new ResultSetsBody(sets));
    }

    /// <summary>An errorResponse for a refused request, echoing what was understood of it.</summary>
    public static ErrorResponse Error(BeaconOptions beacon, ReceivedRequest received, int status, string message)
    {
        ArgumentNullException.ThrowIfNull(beacon);
        ArgumentNullException.ThrowIfNull(received);
        var summary = Summary(received, received.RequestedGranularity ?? beacon.RequestSettings.DefaultGranularity);
        return new ErrorResponse(
            new ResponseMeta(beacon.Id, BeaconOptions.ApiVersion, ReturnedSchemas, summary.RequestedGranularity, summary, received.TestMode),
            new BeaconError(status, message));
    }

    private async Task<Dictionary<string, Granularity>> QueriedDatasetsAsync(
        GVariantRequest request, RequestAccess access, Caller caller, CancellationToken cancellationToken)
    {
        var beacon = options.Value;
        var considered = new List<(Dataset Dataset, AccessDecision Decision, Granularity? Ceiling)>();
        foreach (var dataset in await datasets.ListAsync(() => catalog.Value, cancellationToken))
        {
            if (request.InTestMode && !dataset.IsDemo)
            {
                continue; // testMode answers from synthetic (demo) datasets only
            }

            var decision = access.Decide(caller, dataset);
            considered.Add((dataset, decision, visibility.IsVisible(dataset, decision) ? beacon.Ceiling(dataset.Id, dataset.Tier, decision.Granted) : null));
        }

        var visible = considered.Where(c => c.Ceiling is not null).ToDictionary(c => c.Dataset.Id, c => c.Ceiling!.Value, StringComparer.Ordinal);
        var requested = request.DatasetIds?.Distinct(StringComparer.Ordinal).ToList();
        var unknown = requested?.FirstOrDefault(id => !visible.ContainsKey(id));
        var recorded = new List<Task>(considered.Count);
        foreach (var (dataset, decision, ceiling) in considered)
        {
            var queried = ceiling is not null && unknown is null && (requested is null || requested.Contains(dataset.Id, StringComparer.Ordinal));
            recorded.Add(access.AuditAsync(caller, Resource, decision, queried, queried ? ceiling!.Value.ToName() : "none"));
        }

        // One wait for every dataset's row: they go into the same audit batch.
        await Task.WhenAll(recorded);

        if (requested is null)
        {
            return visible;
        }

        if (unknown is not null)
        {
            // The same answer whether the dataset does not exist or is hidden from this caller.
            throw new BeaconRequestException("datasetIds", $"no dataset '{unknown}' can be queried here");
        }

        return requested.ToDictionary(id => id, id => visible[id], StringComparer.Ordinal);
    }

    private static ResponseMeta Meta(BeaconOptions beacon, GVariantRequest request, Granularity returned) =>
        new(beacon.Id, BeaconOptions.ApiVersion, ReturnedSchemas, returned.ToName(), Summary(request.Received, request.RequestedGranularity),
            request.InTestMode);

    private static ReceivedRequestSummary Summary(ReceivedRequest received, Granularity granularity)
    {
        var parameters = received.Parameters;
        var variant = parameters.HasVariantParameters ? parameters : null;
        var datasets = parameters.DatasetIds is { } ids ? new EchoedDatasets(ids) : null;
        return new ReceivedRequestSummary(
            received.Meta.ApiVersion ?? BeaconOptions.ApiVersion,
            received.Meta.RequestedSchemas.Count > 0 ? received.Meta.RequestedSchemas : ReturnedSchemas,
            new PaginationEcho(received.Skip, received.Limit),
            granularity.ToName(),
            received.IncludeResultsetResponses switch
            {
                ResultSetResponses.Hit => "HIT",
                ResultSetResponses.Miss => "MISS",
                ResultSetResponses.All => "ALL",
                ResultSetResponses.None => "NONE",
                _ => null,
            },
            variant is null && datasets is null ? null : new EchoedParameters(variant, datasets),
            null,
            received.TestMode);
    }

    // From the index and the records read before when the index answers the query; from DuckDB otherwise.
    private IReadOnlyList<StoredVariant> Page(GVariantRequest request, string datasetId) =>
        index.TryPage(request.Query, datasetId, request.Skip, request.Limit) is { } alleles
            ? records.Page(datasetId, alleles, (dataset, assembly, chromosome, first, last) => store.Value.Rows(
                dataset, assembly, index.FileIds(dataset, id => store.Value.FileIds(id)).GetValueOrDefault(assembly) ?? [], chromosome, first, last))
            : store.Value.Page(request.Query, datasetId, request.Skip, request.Limit);

    private List<GenomicVariation> Documents(string datasetId, IReadOnlyList<StoredVariant> variants)
    {
        var individuals = index.IndividualIds(datasetId, id => store.Value.IndividualIds(id));
        return variants.Select(variant => Document(datasetId, variant, individuals)).ToList();
    }

    /// <summary>A genomicVariations document for a stored variant of a dataset whose records the caller may see.</summary>
    public static GenomicVariation Document(string datasetId, StoredVariant variant, IReadOnlyDictionary<int, string> individuals)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(individuals);
        var symbolic = variant.Alt.Length > 0 && Alleles.IsSymbolic(variant.Alt);
        var sequenceId = ReferenceNames.TryAccession(variant.Assembly, variant.Chromosome, out var accession)
            ? $"refseq:{accession}"
            : $"{variant.Assembly}:{variant.Chromosome}";
        var location = new VrsLocation("SequenceLocation", sequenceId,
            new VrsInterval("SequenceInterval", new VrsNumber("Number", variant.Start), new VrsNumber("Number", variant.End)));
        var variation = symbolic
            ? new Variation(null, location, null, variant.VariantType, "", "")
            : new Variation("Allele", location, new VrsState("LiteralSequenceExpression", variant.Alt));

        var hgvs = symbolic ? null : GenomicHgvs(accession ?? $"{variant.Chromosome}", variant);
        var identifiers = hgvs is null && variant.TranscriptHgvs.Count == 0 && variant.ProteinHgvs.Count == 0
            ? null
            : new Identifiers(hgvs, NullIfEmpty(variant.TranscriptHgvs), NullIfEmpty(variant.ProteinHgvs));
        var molecular = variant.Genes.Count == 0 && variant.Effects.Count == 0 && variant.AminoacidChanges.Count == 0
            ? null
            : new MolecularAttributes(
                NullIfEmpty(variant.Genes),
                variant.Effects.Count == 0 ? null : variant.Effects.Select(e => new OntologyTerm(SequenceOntology.IdOf(e), e)).ToList(),
                NullIfEmpty(variant.AminoacidChanges));
        // Counts from genotypes name their carriers; a sites-only VCF's INFO AC/AN have none to name. With no called
        // allele at all there is no frequency to give (not a frequency of 0).
        var fromGenotypes = variant.CarrierCount > 0 || variant.AlleleCount == 0;
        FrequencyInPopulations[]? frequencies = variant.AlleleNumber == 0 ? null :
        [
            new FrequencyInPopulations(
                $"Genome Node dataset {datasetId}",
                fromGenotypes ? $"genotypes of dataset {datasetId}" : $"INFO AC/AN of dataset {datasetId}'s sites-only VCF",
                [
                    new PopulationFrequency(
                        datasetId,
                        Math.Round((double)variant.AlleleCount / variant.AlleleNumber, 6),
                        variant.AlleleCount, variant.AlleleNumber,
                        fromGenotypes ? variant.Homozygous.Count : null,
                        fromGenotypes ? variant.Heterozygous.Count : null,
                        fromGenotypes ? variant.Hemizygous.Count : null),
                ]),
        ];
        var cases = new List<CaseLevelVariant>(variant.CarrierCount);
        void AddCases(IReadOnlyList<int> samples, OntologyTerm zygosity)
        {
            foreach (var sample in samples)
            {
                var id = individuals.TryGetValue(sample, out var name) ? name : $"sample-{sample}";
                cases.Add(new CaseLevelVariant(id, id, zygosity));
            }
        }

        AddCases(variant.Heterozygous, Heterozygous);
        AddCases(variant.Homozygous, Homozygous);
        AddCases(variant.Hemizygous, Hemizygous);
        cases.Sort((a, b) => string.CompareOrdinal(a.IndividualId, b.IndividualId));
        return new GenomicVariation(variant.VariantInternalId, variation, identifiers, molecular, frequencies, cases.Count == 0 ? null : cases);
    }

    /// <summary>The genomic HGVS of a stored (left-trimmed, not 3'-shifted) allele.</summary>
    public static string GenomicHgvs(string sequence, StoredVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var first = variant.Start + 1;
        var change = variant.VariantType switch
        {
            "SNP" => $"{first}{variant.Ref}>{variant.Alt}",
            "DEL" => variant.End - variant.Start == 1 ? $"{first}del" : $"{first}_{variant.End}del",
            "INS" => $"{variant.Start}_{variant.Start + 1}ins{variant.Alt}",
            _ => variant.End - variant.Start == 1 ? $"{first}delins{variant.Alt}" : $"{first}_{variant.End}delins{variant.Alt}",
        };
        return FormattableString.Invariant($"{sequence}:g.{change}");
    }

    private static List<string>? NullIfEmpty(IReadOnlyList<string> values) => values.Count == 0 ? null : [.. values];
}

/// <summary>The answer to a g_variants request: the summary, with the result sets at record granularity.</summary>
public sealed record GVariantAnswer(ResponseMeta Meta, ResponseSummary Summary, ResultSetsBody? ResultSets);
