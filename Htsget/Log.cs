using Microsoft.Extensions.Logging;

namespace GenomeNode.Htsget;

/// <summary>The module's log lines, generated at compile time. Tokens and data URLs are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "The htsget signing key {Path} is readable by other users than the node's; restrict it to the owner (chmod 600)")]
    public static partial void SigningKeyExposed(ILogger logger, string path);

    [LoggerMessage(2, LogLevel.Debug, "Issued an htsget ticket for {ObjectId}: {Urls} URLs, {Bytes} bytes of the file")]
    public static partial void TicketIssued(ILogger logger, string objectId, int urls, long bytes);

    [LoggerMessage(3, LogLevel.Information, "Refused htsget access to {ObjectId} of dataset {DatasetId}: {Decision}")]
    public static partial void AccessRefused(ILogger logger, string objectId, string datasetId, string decision);

    [LoggerMessage(4, LogLevel.Error, "The data file of htsget object {ObjectId} cannot be read")]
    public static partial void DataFileUnreadable(ILogger logger, string objectId, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Refused an htsget data URL: {Reason}")]
    public static partial void DataUrlRefused(ILogger logger, string reason);

    [LoggerMessage(6, LogLevel.Error, "The data file {Path} of htsget object {ObjectId} changed since it was registered; it is not served until registered again")]
    public static partial void DataFileChanged(ILogger logger, string objectId, string path);

    [LoggerMessage(7, LogLevel.Information, "Read the ticket snapshot of htsget object {ObjectId} ({Megabytes:0.0} MB) in {Milliseconds:0} ms")]
    public static partial void SnapshotLoaded(ILogger logger, string objectId, double megabytes, double milliseconds);

    [LoggerMessage(8, LogLevel.Warning, "The ticket snapshot of htsget object {ObjectId} takes {Megabytes:0.0} MB, more than Htsget:IndexCacheMegabytes ({Budget} MB): it is read again for every ticket; raise the setting")]
    public static partial void SnapshotTooLarge(ILogger logger, string objectId, double megabytes, long budget);

    [LoggerMessage(9, LogLevel.Error, "The node's Crypt4GH key cannot be read")]
    public static partial void Crypt4ghKeyUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Error, "A Crypt4GH answer of object {ObjectId} broke off: the file could not be read or a segment failed authentication")]
    public static partial void Crypt4ghAnswerBrokeOff(ILogger logger, string objectId, Exception exception);
}
