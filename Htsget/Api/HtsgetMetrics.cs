using System.Diagnostics.Metrics;
using GenomeNode.Htsget.Registration;
using GenomeNode.Htsget.Tickets;

namespace GenomeNode.Htsget.Api;

/// <summary>
/// htsget in meter <c>GenomeNode.Htsget</c>: tickets asked by kind and outcome, data URL fetches by outcome, and the
/// bytes of files streamed through data URLs.
/// </summary>
public sealed class HtsgetMetrics
{
    public const string MeterName = "GenomeNode.Htsget";

    /// <summary>Prometheus: <c>genome_node_htsget_tickets_total</c>.</summary>
    public const string TicketsName = "genome_node.htsget.tickets";

    /// <summary>Prometheus: <c>genome_node_htsget_data_fetches_total</c>.</summary>
    public const string FetchesName = "genome_node.htsget.data_fetches";

    /// <summary>Prometheus: <c>genome_node_htsget_streamed_bytes_total</c>.</summary>
    public const string StreamedName = "genome_node.htsget.streamed";

    private readonly Counter<long> tickets;
    private readonly Counter<long> fetches;
    private readonly Counter<long> streamed;

    public HtsgetMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        tickets = meter.CreateCounter<long>(TicketsName, "{ticket}", "htsget ticket requests, by kind (reads, variants) and outcome (issued or the htsget error)");
        fetches = meter.CreateCounter<long>(FetchesName, "{fetch}", "Data URL requests, by outcome (admitted or the htsget error)");
        streamed = meter.CreateCounter<long>(StreamedName, "By", "Bytes of registered files read out through data URLs");
    }

    /// <param name="error">null for a ticket issued</param>
    public void Ticket(HtsgetKind kind, HtsgetErrorType? error) =>
        tickets.Add(1,
            new KeyValuePair<string, object?>("kind", HtsgetEndpoints.KindName(kind)),
            new KeyValuePair<string, object?>("outcome", error is { } type ? type.ToString() : "issued"));

    /// <param name="error">null for a fetch admitted</param>
    public void Fetch(HtsgetErrorType? error) =>
        fetches.Add(1, new KeyValuePair<string, object?>("outcome", error is { } type ? type.ToString() : "admitted"));

    public void Streamed(long bytes)
    {
        if (bytes > 0)
        {
            streamed.Add(bytes);
        }
    }
}
