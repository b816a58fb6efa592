namespace GenomeNode.Committee.Workflow;

/// <summary>Where an application stands (REMS' <c>application.state/*</c> values, plus <c>deleted</c> for a withdrawn draft).</summary>
public enum ApplicationState
{
    Draft,
    Submitted,
    Approved,
    Rejected,
    Revoked,
    Deleted,
}

/// <summary>What can be done to an application.</summary>
public enum ApplicationCommand
{
    SaveDraft,
    AcceptLicenses,
    InviteMember,
    AddAttachment,
    Submit,
    Delete,
    Approve,
    Reject,
    Revoke,
}

/// <summary>Who asks for a command: the applicant (or a member of the application), or a member of the deciding committee.</summary>
public enum ApplicationRole
{
    Applicant,
    Committee,
}

/// <summary>
/// The application's states and transitions, explicit and pure: draft → submitted → approved | rejected;
/// approved → revoked; draft → deleted. Editing commands keep a draft a draft. Nothing leaves rejected, revoked or deleted.
/// </summary>
public static class ApplicationWorkflow
{
    /// <summary>The state after <paramref name="command"/> by <paramref name="role"/> in <paramref name="state"/>, or null when not allowed.</summary>
    public static ApplicationState? Next(ApplicationState state, ApplicationCommand command, ApplicationRole role) => (state, command, role) switch
    {
        (ApplicationState.Draft, ApplicationCommand.SaveDraft or ApplicationCommand.AcceptLicenses or ApplicationCommand.InviteMember
            or ApplicationCommand.AddAttachment, ApplicationRole.Applicant) => ApplicationState.Draft,
        (ApplicationState.Draft, ApplicationCommand.Submit, ApplicationRole.Applicant) => ApplicationState.Submitted,
        (ApplicationState.Draft, ApplicationCommand.Delete, ApplicationRole.Applicant) => ApplicationState.Deleted,
        (ApplicationState.Submitted, ApplicationCommand.Approve, ApplicationRole.Committee) => ApplicationState.Approved,
        (ApplicationState.Submitted, ApplicationCommand.Reject, ApplicationRole.Committee) => ApplicationState.Rejected,
        (ApplicationState.Approved, ApplicationCommand.Revoke, ApplicationRole.Committee) => ApplicationState.Revoked,
        _ => null,
    };

    /// <summary>The commands <paramref name="role"/> may give in <paramref name="state"/> (REMS' <c>application/permissions</c>).</summary>
    public static IEnumerable<ApplicationCommand> Allowed(ApplicationState state, ApplicationRole role) =>
        Enum.GetValues<ApplicationCommand>().Where(command => Next(state, command, role) is not null);

    /// <summary>REMS' name of the state: <c>application.state/submitted</c>.</summary>
    public static string RemsName(ApplicationState state) => $"application.state/{Name(state)}";

    /// <summary>The state's name in the database and on <c>/dac</c>: <c>submitted</c>.</summary>
    public static string Name(ApplicationState state) => state.ToString().ToLowerInvariant();

    public static ApplicationState? Parse(string name) =>
        Enum.TryParse<ApplicationState>(name, ignoreCase: true, out var state) && Enum.IsDefined(state) && !int.TryParse(name, out _) ? state : null;

    /// <summary>REMS' command name: <c>application.command/save-draft</c>.</summary>
    public static string RemsName(ApplicationCommand command) => $"application.command/{CommandName(command)}";

    public static string CommandName(ApplicationCommand command) => command switch
    {
        ApplicationCommand.SaveDraft => "save-draft",
        ApplicationCommand.AcceptLicenses => "accept-licenses",
        ApplicationCommand.InviteMember => "invite-member",
        ApplicationCommand.AddAttachment => "add-attachment",
        _ => command.ToString().ToLowerInvariant(),
    };

    /// <summary>REMS' event type for the command: <c>application.event/submitted</c>.</summary>
    public static string EventType(ApplicationCommand command) => "application.event/" + command switch
    {
        ApplicationCommand.SaveDraft => "draft-saved",
        ApplicationCommand.AcceptLicenses => "licenses-accepted",
        ApplicationCommand.InviteMember => "member-invited",
        ApplicationCommand.AddAttachment => "attachment-added",
        ApplicationCommand.Submit => "submitted",
        ApplicationCommand.Delete => "deleted",
        ApplicationCommand.Approve => "approved",
        ApplicationCommand.Reject => "rejected",
        ApplicationCommand.Revoke => "revoked",
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };
}
