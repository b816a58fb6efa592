using System.Globalization;
using System.Text.Json.Nodes;
using GenomeNode.Committee.Applications;
using GenomeNode.Committee.Rems;
using GenomeNode.Committee.Workflow;
using GenomeNode.Passport.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GenomeNode.Committee.Dac;

/// <summary>
/// The committee's own API (<c>/dac</c>, JSON): its applications with the DUO match, decisions (approve with an end
/// date, reject with a reason, revoke with a reason), grants and events. The caller is a REMS API key with
/// <c>x-rems-user-id</c>, or a passport (or this node's access token) whose <c>sub</c> is the member id.
/// </summary>
public static class DacEndpoints
{
    public const string Prefix = "/dac";

    public static IEndpointRouteBuilder MapDac(this IEndpointRouteBuilder endpoints)
    {
        var dac = endpoints.MapGroup(Prefix).WithTags("Data access committee");
        dac.MapGet("/applications", ListAsync);
        dac.MapGet("/applications/{id:long}", OneAsync);
        dac.MapGet("/applications/{id:long}/events", EventsAsync);
        dac.MapPost("/applications/{id:long}/approve", ApproveAsync);
        dac.MapPost("/applications/{id:long}/reject", RejectAsync);
        dac.MapPost("/applications/{id:long}/revoke", RevokeAsync);
        dac.MapGet("/grants", GrantsAsync);
        return endpoints;
    }

    /// <summary>The member calling, or the 401 that refuses the request.</summary>
    private static async Task<(string? Member, IResult? Refusal)> MemberAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.Headers.ContainsKey(RemsCaller.ApiKeyHeader))
        {
            if (RemsCaller.From(context) is not { } caller)
            {
                return (null, Error(StatusCodes.Status401Unauthorized, "unauthorized", "the API key is unknown or revoked, or x-rems-user-id is missing"));
            }

            // A key acts as any user it names: only keys made for committee tools may name committee members.
            return caller.Has(ApiKeys.Dac)
                ? (caller.UserId, null)
                : (null, Error(StatusCodes.Status403Forbidden, "forbidden", $"this API key may not act on {Prefix} (it lacks the role {ApiKeys.Dac})"));
        }

        var bearer = await RequestAccess.For(context).CallerAsync(cancellationToken);
        if (bearer.Passport is { } passport)
        {
            return (passport.Subject, null);
        }

        context.Response.Headers.WWWAuthenticate = RequestAccess.Challenge(bearer.Rejection);
        return (null, Error(StatusCodes.Status401Unauthorized, "unauthorized",
            bearer.Rejection is { } rejection ? $"the token was refused: {rejection}" : "send a passport (Authorization: Bearer) or x-rems-api-key with x-rems-user-id"));
    }

    private static async Task<IResult> ListAsync(HttpContext context, CommitteeDesk desk, string? state, CancellationToken cancellationToken)
    {
        var (member, refusal) = await MemberAsync(context, cancellationToken);
        if (member is null)
        {
            return refusal!;
        }

        ApplicationState? wanted = null;
        if (!string.IsNullOrEmpty(state))
        {
            wanted = ApplicationWorkflow.Parse(state);
            if (wanted is null)
            {
                return Error(StatusCodes.Status400BadRequest, "invalid-state",
                    $"unknown state '{Shared.UnicodeText.Printable(state)}' (one of {string.Join(", ", Enum.GetValues<ApplicationState>().Select(ApplicationWorkflow.Name))})");
            }
        }

        var committees = desk.Options.Committees.Where(committee => committee.Members.Contains(member, StringComparer.Ordinal)).ToList();
        var list = new JsonArray();
        foreach (var id in desk.Store.IdsFor([.. committees.SelectMany(committee => committee.Datasets)]))
        {
            if (desk.Store.Find(id) is { } application && (wanted is null || application.State == wanted) && desk.CommitteeMaySee(application, member))
            {
                list.Add(Summary(application, desk));
            }
        }

        return Results.Json(list);
    }

    private static JsonObject Summary(ApplicationRecord application, CommitteeDesk desk) => new()
    {
        ["id"] = application.Id,
        ["state"] = ApplicationWorkflow.Name(application.State),
        ["applicant"] = RemsViews.User(desk.Store.User(application.Applicant)),
        ["title"] = application.Value(ResearchForm.Title),
        ["datasets"] = new JsonArray([.. application.Resources.Select(resource => (JsonNode)resource.DatasetId)]),
        ["committee"] = desk.CommitteeOf(application)?.Id,
        ["created"] = RemsViews.Time(application.CreatedAt),
        ["modified"] = RemsViews.Time(application.ModifiedAt),
        ["submitted"] = application.FirstSubmittedAt is { } submitted ? RemsViews.Time(submitted) : null,
    };

    /// <summary>The application, visible to the members of its committee once submitted (any other caller learns nothing: 404).</summary>
    private static async Task<(ApplicationRecord? Application, string? Member, IResult? Refusal)> VisibleAsync(
        HttpContext context, CommitteeDesk desk, long id, CancellationToken cancellationToken)
    {
        var (member, refusal) = await MemberAsync(context, cancellationToken);
        if (member is null)
        {
            return (null, null, refusal);
        }

        return desk.Store.Find(id) is { } application && desk.CommitteeMaySee(application, member)
            ? (application, member, null)
            : (null, member, Error(StatusCodes.Status404NotFound, "not-found", $"no application {id} for a committee of {member}"));
    }

    private static async Task<IResult> OneAsync(HttpContext context, CommitteeDesk desk, long id, CancellationToken cancellationToken)
    {
        var (application, _, refusal) = await VisibleAsync(context, desk, id, cancellationToken);
        if (application is null)
        {
            return refusal!;
        }

        var view = Summary(application, desk);
        view["fields"] = new JsonObject(ResearchForm.Fields.Select(field => KeyValuePair.Create(field.Id, (JsonNode?)application.Value(field.Id))));
        view["members"] = new JsonArray([.. application.Members.Select(member => (JsonNode)new JsonObject
        {
            ["name"] = member.Name, ["email"] = member.Email, ["userid"] = member.UserId,
        })]);
        view["attachments"] = new JsonArray([.. application.Attachments.Select(attachment => (JsonNode)new JsonObject
        {
            ["id"] = attachment.Id, ["filename"] = attachment.Filename, ["type"] = attachment.ContentType,
        })]);
        view["acceptedLicenses"] = application.AcceptedLicenses.ContainsKey(application.Applicant);
        view["match"] = new JsonArray([.. desk.Match(application).Select(match => (JsonNode)new JsonObject
        {
            ["datasetId"] = match.DatasetId,
            ["conditions"] = match.Conditions,
            ["decision"] = match.Decision,
            ["reasons"] = new JsonArray([.. match.Reasons.Select(reason => (JsonNode)new JsonObject
            {
                ["rule"] = reason.Rule, ["decision"] = reason.Decision.ToString().ToUpperInvariant(), ["explanation"] = reason.Explanation,
            })]),
        })]);
        view["grants"] = new JsonArray([.. desk.Store.GrantsOf(application.Id).Select(grant => (JsonNode)Grant(grant))]);
        return Results.Json(view);
    }

    private static async Task<IResult> EventsAsync(HttpContext context, CommitteeDesk desk, long id, CancellationToken cancellationToken)
    {
        var (application, _, refusal) = await VisibleAsync(context, desk, id, cancellationToken);
        if (application is null)
        {
            return refusal!;
        }

        return Results.Json(new JsonArray([.. desk.Store.Events(id).Select(entry => (JsonNode)new JsonObject
        {
            ["id"] = entry.Id,
            ["type"] = entry.Type,
            ["actor"] = entry.Actor,
            ["time"] = RemsViews.Time(entry.At),
            ["payload"] = entry.Payload.DeepClone(),
        })]));
    }

    private static Task<IResult> ApproveAsync(HttpContext context, CommitteeDesk desk, long id, CancellationToken cancellationToken) =>
        DecideAsync(context, desk, id, (body, member) =>
        {
            if (RequestBodies.Text(body, "end") is not { } endText
                || !DateTimeOffset.TryParse(endText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var end))
            {
                return (null, Error(StatusCodes.Status400BadRequest, "invalid-end", "give the grant's end as an ISO 8601 date or time in \"end\""));
            }

            var comment = RequestBodies.Text(body, "comment");
            return (() => desk.Approve(id, member, ApplicationStore.TruncateToMicroseconds(end), comment), null);
        }, cancellationToken);

    private static Task<IResult> RejectAsync(HttpContext context, CommitteeDesk desk, long id, CancellationToken cancellationToken) =>
        DecideAsync(context, desk, id, (body, member) => RequestBodies.Text(body, "reason") is { Length: > 0 } reason
            ? (() => desk.Reject(id, member, reason), null)
            : (null, Error(StatusCodes.Status400BadRequest, "invalid-reason", "give the reason for the rejection in \"reason\"")), cancellationToken);

    private static Task<IResult> RevokeAsync(HttpContext context, CommitteeDesk desk, long id, CancellationToken cancellationToken) =>
        DecideAsync(context, desk, id, (body, member) => RequestBodies.Text(body, "reason") is { Length: > 0 } reason
            ? (() => desk.Revoke(id, member, reason), null)
            : (null, Error(StatusCodes.Status400BadRequest, "invalid-reason", "give the reason for the revocation in \"reason\"")), cancellationToken);

    private static async Task<IResult> DecideAsync(
        HttpContext context, CommitteeDesk desk, long id, Func<System.Text.Json.JsonElement, string, (Func<CommandOutcome>? Run, IResult? Refusal)> read,
        CancellationToken cancellationToken)
    {
        var (member, refusal) = await MemberAsync(context, cancellationToken);
        if (member is null)
        {
            return refusal!;
        }

        var (body, invalid) = await RequestBodies.ReadObjectAsync(context.Request,
            (field, problem) => Error(StatusCodes.Status400BadRequest, "invalid-body", $"{field}: {problem}"), cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        var (run, bad) = read(body, member);
        if (run is null)
        {
            return bad!;
        }

        var outcome = run();
        if (outcome.Succeeded)
        {
            return desk.Store.Find(id) is { } changed ? Results.Json(Summary(changed, desk)) : Error(StatusCodes.Status404NotFound, "not-found", "");
        }

        return outcome.Status switch
        {
            CommandStatus.NotFound => Error(StatusCodes.Status404NotFound, "not-found", outcome.Message!),
            // Why a caller may not decide: not the committee's member, or the applicant side.
            CommandStatus.Forbidden => Error(StatusCodes.Status403Forbidden, "forbidden",
                desk.Store.Find(id) is { } application ? desk.DecisionRefusal(application, member) : outcome.Message!),
            CommandStatus.WrongState or CommandStatus.Conflict => Error(StatusCodes.Status409Conflict, outcome.Status == CommandStatus.Conflict ? "conflict" : "wrong-state", outcome.Message!),
            _ => Error(StatusCodes.Status400BadRequest, outcome.Error ?? "invalid", outcome.Message!),
        };
    }

    private static async Task<IResult> GrantsAsync(HttpContext context, CommitteeDesk desk, string? all, CancellationToken cancellationToken)
    {
        var (member, refusal) = await MemberAsync(context, cancellationToken);
        if (member is null)
        {
            return refusal!;
        }

        var committees = desk.Options.Committees.Where(committee => committee.Members.Contains(member, StringComparer.Ordinal))
            .Select(committee => committee.Id).ToHashSet(StringComparer.Ordinal);
        return Results.Json(new JsonArray([.. desk.Store.Grants(null, expired: all == "true")
            .Where(grant => committees.Contains(grant.CommitteeId)).Select(grant => (JsonNode)Grant(grant))]));
    }

    private static JsonObject Grant(GrantRecord grant) => new()
    {
        ["id"] = grant.Id,
        ["applicationId"] = grant.ApplicationId,
        ["user"] = grant.UserId,
        ["datasetId"] = grant.DatasetId,
        ["committee"] = grant.CommitteeId,
        ["start"] = RemsViews.Time(grant.Start),
        ["end"] = RemsViews.Time(grant.End),
        ["approvedBy"] = grant.ApprovedBy,
        ["revoked"] = grant.RevokedAt is { } revoked ? RemsViews.Time(revoked) : null,
        ["revokedBy"] = grant.RevokedBy,
        ["revokeReason"] = grant.RevokeReason,
    };

    private static IResult Error(int status, string error, string message) =>
        Results.Json(new JsonObject { ["error"] = error, ["message"] = message }, statusCode: status);
}
