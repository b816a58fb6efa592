using System.Text.Json.Nodes;
using GenomeNode.Committee.Workflow;

namespace GenomeNode.Committee.Applications;

/// <summary>A field value of the research-purpose form, as REMS' save-draft sends it.</summary>
public sealed record FieldValue(long Form, string Field, string Value);

public sealed record ApplicationResource(long CatalogueItemId, string DatasetId);

public sealed record InvitedMember(string Name, string Email, string? UserId);

public sealed record AttachmentInfo(long Id, string Filename, string ContentType, string UploadedBy, DateTimeOffset UploadedAt);

public sealed record ApplicationEvent(long Id, long ApplicationId, string Actor, DateTimeOffset At, string Type, JsonObject Payload);

public sealed record UserInfo(string UserId, string? Name, string? Email);

/// <summary>An application as stored, with everything REMS and the committee show of it.</summary>
public sealed record ApplicationRecord(
    long Id,
    string Applicant,
    ApplicationState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset ModifiedAt,
    DateTimeOffset? FirstSubmittedAt,
    long Version,
    IReadOnlyList<FieldValue> FieldValues,
    IReadOnlyDictionary<string, IReadOnlyList<long>> AcceptedLicenses,
    IReadOnlyList<ApplicationResource> Resources,
    IReadOnlyList<InvitedMember> Members,
    IReadOnlyList<AttachmentInfo> Attachments)
{
    /// <summary>The applicant and the members who joined: who acts as applicant, and who an approval grants.</summary>
    public IEnumerable<string> ApplicantSide => Members.Where(member => member.UserId is not null).Select(member => member.UserId!).Prepend(Applicant).Distinct(StringComparer.Ordinal);

    public string? Value(string field) => FieldValues.FirstOrDefault(value => value.Form == ResearchForm.Id && value.Field == field)?.Value;
}

/// <summary>A grant as stored: one user's access to one dataset from an approval, until its end or its revocation.</summary>
public sealed record GrantRecord(
    long Id,
    long ApplicationId,
    string UserId,
    string DatasetId,
    string CommitteeId,
    DateTimeOffset Start,
    DateTimeOffset End,
    string ApprovedBy,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    string? RevokeReason);

/// <summary>How a command ended: done, or why not (mapped to REMS' error types and to /dac's statuses).</summary>
public enum CommandStatus
{
    Done,
    NotFound,
    Forbidden,
    WrongState,
    Invalid,
    Conflict,
}

public sealed record CommandOutcome(CommandStatus Status, string? Error = null, string? Message = null, string? FieldId = null)
{
    public static CommandOutcome Done { get; } = new(CommandStatus.Done);

    public bool Succeeded => Status == CommandStatus.Done;
}
