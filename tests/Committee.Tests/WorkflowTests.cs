using GenomeNode.Committee.Workflow;

namespace GenomeNode.Committee.Tests;

public sealed class WorkflowTests
{
    [Theory]
    [InlineData(ApplicationState.Draft, ApplicationCommand.SaveDraft, ApplicationRole.Applicant, ApplicationState.Draft)]
    [InlineData(ApplicationState.Draft, ApplicationCommand.AcceptLicenses, ApplicationRole.Applicant, ApplicationState.Draft)]
    [InlineData(ApplicationState.Draft, ApplicationCommand.InviteMember, ApplicationRole.Applicant, ApplicationState.Draft)]
    [InlineData(ApplicationState.Draft, ApplicationCommand.AddAttachment, ApplicationRole.Applicant, ApplicationState.Draft)]
    [InlineData(ApplicationState.Draft, ApplicationCommand.Submit, ApplicationRole.Applicant, ApplicationState.Submitted)]
    [InlineData(ApplicationState.Draft, ApplicationCommand.Delete, ApplicationRole.Applicant, ApplicationState.Deleted)]
    [InlineData(ApplicationState.Submitted, ApplicationCommand.Approve, ApplicationRole.Committee, ApplicationState.Approved)]
    [InlineData(ApplicationState.Submitted, ApplicationCommand.Reject, ApplicationRole.Committee, ApplicationState.Rejected)]
    [InlineData(ApplicationState.Approved, ApplicationCommand.Revoke, ApplicationRole.Committee, ApplicationState.Revoked)]
    public void The_allowed_transitions_lead_where_the_workflow_says(ApplicationState from, ApplicationCommand command, ApplicationRole role, ApplicationState to) =>
        Assert.Equal(to, ApplicationWorkflow.Next(from, command, role));

    [Fact]
    public void Every_other_transition_is_refused()
    {
        var allowed = new HashSet<(ApplicationState, ApplicationCommand, ApplicationRole)>
        {
            (ApplicationState.Draft, ApplicationCommand.SaveDraft, ApplicationRole.Applicant),
            (ApplicationState.Draft, ApplicationCommand.AcceptLicenses, ApplicationRole.Applicant),
            (ApplicationState.Draft, ApplicationCommand.InviteMember, ApplicationRole.Applicant),
            (ApplicationState.Draft, ApplicationCommand.AddAttachment, ApplicationRole.Applicant),
            (ApplicationState.Draft, ApplicationCommand.Submit, ApplicationRole.Applicant),
            (ApplicationState.Draft, ApplicationCommand.Delete, ApplicationRole.Applicant),
            (ApplicationState.Submitted, ApplicationCommand.Approve, ApplicationRole.Committee),
            (ApplicationState.Submitted, ApplicationCommand.Reject, ApplicationRole.Committee),
            (ApplicationState.Approved, ApplicationCommand.Revoke, ApplicationRole.Committee),
        };
        foreach (var state in Enum.GetValues<ApplicationState>())
        {
            foreach (var command in Enum.GetValues<ApplicationCommand>())
            {
                foreach (var role in Enum.GetValues<ApplicationRole>())
                {
                    Assert.Equal(allowed.Contains((state, command, role)), ApplicationWorkflow.Next(state, command, role) is not null);
                }
            }
        }
    }

    [Theory]
    [InlineData(ApplicationState.Rejected)]
    [InlineData(ApplicationState.Revoked)]
    [InlineData(ApplicationState.Deleted)]
    public void Nothing_leaves_a_final_state(ApplicationState state)
    {
        Assert.Empty(ApplicationWorkflow.Allowed(state, ApplicationRole.Applicant));
        Assert.Empty(ApplicationWorkflow.Allowed(state, ApplicationRole.Committee));
    }

    [Fact]
    public void Names_are_REMS_names()
    {
        Assert.Equal("application.state/submitted", ApplicationWorkflow.RemsName(ApplicationState.Submitted));
        Assert.Equal("application.command/accept-licenses", ApplicationWorkflow.RemsName(ApplicationCommand.AcceptLicenses));
        Assert.Equal("application.event/approved", ApplicationWorkflow.EventType(ApplicationCommand.Approve));
        Assert.Equal(ApplicationState.Approved, ApplicationWorkflow.Parse("approved"));
        Assert.Null(ApplicationWorkflow.Parse("1"));
        Assert.Null(ApplicationWorkflow.Parse("closed"));
    }
}
