using System.Diagnostics.Metrics;

namespace GenomeNode.Passport.Access;

/// <summary>
/// The audit's backlog in meter <c>GenomeNode.Passport</c>: rows queued but not yet durable. It stays near zero on a
/// healthy node; a backlog that grows means answers are waiting on the audit (docs/passport.md, "Audit").
/// </summary>
public sealed class AuditMetrics
{
    /// <summary>Prometheus: <c>genome_node_audit_backlog</c>.</summary>
    public const string BacklogName = "genome_node.audit.backlog";

    public AuditMetrics(AccessAudit audit, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(meters);
        meters.Create(Clearinghouse.PassportMetrics.MeterName)
            .CreateObservableGauge(BacklogName, () => audit.Backlog, "{row}", "Audit rows queued and not yet durable");
    }
}
