using Microsoft.Extensions.Logging;

namespace GenomeNode.Host.Hosting;

/// <summary>The host's log lines, generated at compile time so they cost nothing when filtered out.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Opened {DatabasePath}; applied {Count} migrations ({Migrations})")]
    public static partial void MigrationsApplied(ILogger logger, string databasePath, int count, string migrations);

    [LoggerMessage(2, LogLevel.Information, "Opened {DatabasePath}; schema is up to date")]
    public static partial void SchemaUpToDate(ILogger logger, string databasePath);

    [LoggerMessage(3, LogLevel.Information,
        "No datasets configured: serving the built-in SYNTHETIC demo dataset '{DatasetId}' (no real person's data); " +
        "remove it with: genome-node dataset remove --id {DatasetId}")]
    public static partial void DemoSeeded(ILogger logger, string datasetId);

    [LoggerMessage(4, LogLevel.Warning,
        "Node:Organization is not configured; service-info names a placeholder organisation")]
    public static partial void OrganizationNotConfigured(ILogger logger);

    [LoggerMessage(5, LogLevel.Information, "Admin channel for local CLI commands listening on {AdminUrl}")]
    public static partial void AdminListening(ILogger logger, string adminUrl);

    [LoggerMessage(6, LogLevel.Information, "Admin operation {Operation} finished with exit code {ExitCode}")]
    public static partial void AdminOperationFinished(ILogger logger, string operation, int exitCode);

    [LoggerMessage(7, LogLevel.Warning, "Refused an admin request from {RemoteAddress}: {Reason}")]
    public static partial void AdminRequestRefused(ILogger logger, string? remoteAddress, string reason);

    [LoggerMessage(9, LogLevel.Information, "Loaded the Data Use Ontology from the shipped {Resource}")]
    public static partial void DuoLoaded(ILogger logger, string resource);

    [LoggerMessage(10, LogLevel.Warning,
        "Data {Kind} {Path} is open to other users of this host (mode {Mode}); the node keeps its data owner-only: run chmod go-rwx '{ChmodPath}'")]
    public static partial void DataExposed(ILogger logger, string kind, string path, string mode, string chmodPath);

    [LoggerMessage(11, LogLevel.Warning,
        "Requests are accepted with any Host header (AllowedHosts: '{AllowedHosts}', listening on {Urls}), and absolute URLs " +
        "in answers (htsget tickets, the Beacon map, service-info) are built from it: set Node:PublicUrl to the node's public URL, " +
        "or AllowedHosts to the host names clients use")]
    public static partial void HostHeaderTrusted(ILogger logger, string allowedHosts, string urls);

    [LoggerMessage(12, LogLevel.Information,
        "Answering requests for Host {AllowedHosts} (the listening addresses); other Host headers get 400. Behind a reverse " +
        "proxy set Node:PublicUrl, or AllowedHosts to the names it forwards")]
    public static partial void HostsAllowedByDefault(ILogger logger, string allowedHosts);

    [LoggerMessage(13, LogLevel.Information, "Loaded the NCIt subset for sex from the shipped {Resource}")]
    public static partial void SexOntologyLoaded(ILogger logger, string resource);

    [LoggerMessage(8, LogLevel.Error, "Admin operation {Operation} failed unexpectedly")]
    public static partial void AdminOperationCrashed(ILogger logger, string operation, Exception exception);
}
