using System.Diagnostics.Metrics;

namespace GenomeNode.Beacon.Ingest;

/// <summary>
/// VCF ingests in meter <c>GenomeNode.Beacon</c>, as a serving node runs them: records read and variants stored (counters), and
/// each ingest's rate in records per second (a histogram: one value per ingest).
/// </summary>
public sealed class IngestMetrics
{
    /// <summary>Prometheus: <c>genome_node_ingest_records_total</c>.</summary>
    public const string RecordsName = "genome_node.ingest.records";

    /// <summary>Prometheus: <c>genome_node_ingest_variants_total</c>.</summary>
    public const string VariantsName = "genome_node.ingest.variants";

    /// <summary>Prometheus: <c>genome_node_ingest_rate_per_second</c> (a histogram).</summary>
    public const string RateName = "genome_node.ingest.rate";

    private readonly Counter<long> records;
    private readonly Counter<long> variants;
    private readonly Histogram<double> rate;

    public IngestMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Api.BeaconMetrics.MeterName);
        records = meter.CreateCounter<long>(RecordsName, "{record}", "VCF records read by ingests that committed");
        variants = meter.CreateCounter<long>(VariantsName, "{variant}", "Variants stored by ingests that committed");
        rate = meter.CreateHistogram<double>(RateName, "{record}/s", "Records per second of each committed ingest");
    }

    public void Committed(VcfIngestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var kind = new KeyValuePair<string, object?>("format", "vcf");
        records.Add(result.Records, kind);
        variants.Add(result.Variants, kind);
        if (result.Elapsed > TimeSpan.Zero)
        {
            rate.Record(result.Records / result.Elapsed.TotalSeconds, kind);
        }
    }
}
