using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Committee.Applications;
using GenomeNode.Committee.Workflow;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Issuing;
using GenomeNode.Passport.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenomeNode.Committee.Rems;

/// <summary>
/// The subset of REMS' API that the GDI User Portal's access management service calls, and REMS' GA4GH permissions
/// and JWK endpoints, under <c>Passport:RemsPath</c>. Commands answer as REMS does: 200 with <c>{"success": false,
/// "errors": [{"type": ...}]}</c> when refused, 200 <c>{"success": true}</c> when done.
/// </summary>
public static class RemsEndpoints
{
    private static readonly string[] AttachmentExtensions =
        [".pdf", ".txt", ".csv", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp", ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff"];

    public static IEndpointRouteBuilder MapRems(this IEndpointRouteBuilder endpoints, string remsPath)
    {
        var api = endpoints.MapGroup(remsPath + "/api").WithTags("REMS-compatible access requests");
        api.MapPost("/users/create", CreateUserAsync);
        api.MapGet("/catalogue-items", CatalogueItemsAsync);
        api.MapGet("/catalogue-items/{id:long}", CatalogueItemAsync);
        api.MapGet("/my-applications", MyApplicationsAsync);
        api.MapPost("/applications/create", CreateApplicationAsync);
        api.MapPost("/applications/save-draft", SaveDraftAsync);
        api.MapPost("/applications/accept-licenses", AcceptLicensesAsync);
        api.MapPost("/applications/submit", SubmitAsync);
        api.MapPost("/applications/invite-member", InviteMemberAsync);
        api.MapPost("/applications/delete", DeleteAsync);
        api.MapPost("/applications/add-attachment", AddAttachmentAsync).DisableAntiforgery();
        api.MapGet("/applications/attachment/{id:long}", AttachmentAsync);
        api.MapGet("/applications/{id:long}", ApplicationAsync);
        api.MapGet("/entitlements", EntitlementsAsync);
        api.MapGet("/permissions/{user}", PermissionsAsync);
        api.MapGet("/jwk", Jwk);
        return endpoints;
    }

    // ---- users and catalogue

    private static async Task<IResult> CreateUserAsync(HttpContext context, CommitteeDesk desk, CancellationToken cancellationToken)
    {
        if (RemsCaller.From(context) is not { } caller)
        {
            return RemsCaller.Unauthorized();
        }

        if (!caller.Has(ApiKeys.UserOwner))
        {
            return Forbidden();
        }

        var (body, refusal) = await RequestBodies.ReadObjectAsync(context.Request, RequestBodies.RemsBadRequest, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (RequestBodies.Text(body, "userid") is not { Length: > 0 and <= 255 } userId || userId.Any(char.IsControl))
        {
            return RequestBodies.RemsBadRequest("userid", "missing-required-key");
        }

        desk.Store.UpsertUser(userId.Trim(), RequestBodies.Text(body, "name"), RequestBodies.Text(body, "email"));
        return Success();
    }

    private static async Task<IResult> CatalogueItemsAsync(HttpContext context, CommitteeDesk desk, string? resource, CancellationToken cancellationToken)
    {
        if (RemsCaller.From(context) is null)
        {
            return RemsCaller.Unauthorized();
        }

        var items = new JsonArray();
        var catalogue = desk.CatalogueItems();
        var starts = desk.Store.CatalogueItemStarts();
        foreach (var (id, dataset) in catalogue.Where(item => resource is null || item.Value == resource))
        {
            items.Add(RemsViews.CatalogueItem(id, dataset, await desk.TitleAsync(dataset, cancellationToken), starts[id]));
        }

        return Results.Json(items);
    }

    private static async Task<IResult> CatalogueItemAsync(HttpContext context, CommitteeDesk desk, long id, CancellationToken cancellationToken)
    {
        if (RemsCaller.From(context) is null)
        {
            return RemsCaller.Unauthorized();
        }

        return desk.CatalogueItems().TryGetValue(id, out var dataset)
            ? Results.Json(RemsViews.CatalogueItem(id, dataset, await desk.TitleAsync(dataset, cancellationToken), desk.Store.CatalogueItemStarts()[id]))
            : NotFound();
    }

    // ---- applications: reading

    private static async Task<IResult> MyApplicationsAsync(HttpContext context, CommitteeDesk desk, CancellationToken cancellationToken)
    {
        if (RemsCaller.From(context) is not { } caller)
        {
            return RemsCaller.Unauthorized();
        }

        var list = new JsonArray();
        foreach (var id in desk.Store.IdsOf(caller.UserId))
        {
            if (desk.Store.Find(id) is { State: not ApplicationState.Deleted } application)
            {
                list.Add(await ViewAsync(application, caller.UserId, whole: false, desk, cancellationToken));
            }
        }

        return Results.Json(list);
    }

    private static async Task<IResult> ApplicationAsync(HttpContext context, CommitteeDesk desk, long id, CancellationToken cancellationToken)
    {
        if (RemsCaller.From(context) is not { } caller)
        {
            return RemsCaller.Unauthorized();
        }

        // REMS deletes a deleted draft: here it is kept, but answers as REMS would, as unknown.
        return desk.Store.Find(id) is { State: not ApplicationState.Deleted } application && desk.MaySee(application, caller.UserId)
            ? Results.Json(await ViewAsync(application, caller.UserId, whole: true, desk, cancellationToken))
            : NotFound();
    }

    internal static async Task<JsonObject> ViewAsync(ApplicationRecord application, string viewer, bool whole, CommitteeDesk desk, CancellationToken cancellationToken)
    {
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in application.Resources)
        {
            titles[resource.DatasetId] = await desk.TitleAsync(resource.DatasetId, cancellationToken);
        }

        var users = new Dictionary<string, UserInfo>(StringComparer.Ordinal);
        var events = desk.Store.Events(application.Id);
        var end = application.State == ApplicationState.Approved
            ? desk.Store.GrantsOf(application.Id).Select(grant => (DateTimeOffset?)grant.End).Max()
            : null;
        return RemsViews.Application(application, viewer, whole, desk, titles, desk.Store.CatalogueItemStarts(),
            user => users.TryGetValue(user, out var known) ? known : users[user] = desk.Store.User(user), events, end);
    }

    // ---- applications: commands

    private static async Task<IResult> CreateApplicationAsync(HttpContext context, CommitteeDesk desk, CancellationToken cancellationToken)
    {
        if (RemsCaller.From(context) is not { } caller)
        {
            return RemsCaller.Unauthorized();
        }

        var (body, refusal) = await RequestBodies.ReadObjectAsync(context.Request, RequestBodies.RemsBadRequest, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (RequestBodies.Longs(body, "catalogue-item-ids") is not { } ids)
        {
            return RequestBodies.RemsBadRequest("catalogue-item-ids", "missing-required-key");
        }

        var items = desk.CatalogueItems();
        if (ids.Count == 0)
        {
            return Failure(new JsonObject { ["type"] = "must-not-be-empty", ["key"] = "catalogue-item-ids" });
        }

        if (ids.FirstOrDefault(id => !items.ContainsKey(id), -1) is var unknown and >= 0)
        {
            return Failure(new JsonObject { ["type"] = "invalid-catalogue-item", ["catalogue-item-id"] = unknown });
        }

        var resources = ids.Distinct().Select(id => new ApplicationResource(id, items[id])).ToList();
        // One committee decides on an application, as REMS bundles only catalogue items of one workflow.
        if (resources.Select(resource => desk.Options.CommitteeFor(resource.DatasetId)?.Id).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            return Failure(new JsonObject
            {
                ["type"] = "unbundlable-catalogue-items",
                ["catalogue-item-ids"] = new JsonArray([.. ids.Select(id => (JsonNode)id)]),
            });
        }

        var applicationId = desk.Store.Create(caller.UserId, resources);
        return Results.Json(new JsonObject { ["success"] = true, ["application-id"] = applicationId });
    }

    private static async Task<IResult> SaveDraftAsync(HttpContext context, CommitteeDesk desk, CancellationToken cancellationToken) =>
        await CommandAsync(context, desk, ApplicationCommand.SaveDraft, (body, caller, id) =>
        {
            if (!body.TryGetProperty("field-values", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return (null, RequestBodies.RemsBadRequest("field-values", "missing-required-key"));
            }

            var values = new List<FieldValue>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || RequestBodies.Long(item, "form") is not { } form
                    || RequestBodies.Text(item, "field") is not { } field || !item.TryGetProperty("value", out var value))
                {
                    return (null, RequestBodies.RemsBadRequest("field-values", "each field value needs form, field and value"));
                }

                if (value.ValueKind != JsonValueKind.String)
                {
                    return (null, RequestBodies.RemsBadRequest("field-values", $"the value of field '{field}' must be text"));
                }

                values.Add(new FieldValue(form, field, value.GetString()!));
            }

            var payload = new JsonObject { ["application/field-values"] = JsonSerializer.SerializeToNode(values, JsonOptions) };
            return (new PendingCommand(payload, application =>
                values.FirstOrDefault(value => !ResearchForm.Knows(value.Form, value.Field)) is { } unknown
                    ? new CommandOutcome(CommandStatus.Invalid, "t.form.validation/invalid-value",
                        $"form {unknown.Form} has no field '{unknown.Field}'")
                    : null,
                (application, change) =>
                {
                    // A save replaces the fields it names and keeps the others, as REMS' draft does.
                    var merged = application.FieldValues.Where(old => !values.Any(value => value.Form == old.Form && value.Field == old.Field))
                        .Concat(values.GroupBy(value => (value.Form, value.Field)).Select(group => group.Last())).ToList();
                    change.SetFieldValues(application.Id, merged);
                }), null);
        }, cancellationToken);

    private static async Task<IResult> AcceptLicensesAsync(HttpContext context, CommitteeDesk desk, CancellationToken cancellationToken) =>
        await CommandAsync(context, desk, ApplicationCommand.AcceptLicenses, (body, caller, id) =>
        {
            if (RequestBodies.Longs(body, "accepted-licenses") is not { } licenses)
            {
                return (null, RequestBodies.RemsBadRequest("accepted-licenses", "missing-required-key"));
            }

            var payload = new JsonObject { ["application/accepted-licenses"] = new JsonArray([.. licenses.Select(license => (JsonNode)license)]) };
            return (new PendingCommand(payload,
                application => licenses.FirstOrDefault(license => license != ResearchForm.LicenseId, -1) is var unknown and >= 0
                    ? new CommandOutcome(CommandStatus.Invalid, "invalid-licenses", $"there is no license {unknown}")
                    : null,
                (application, change) =>
                {
                    var accepted = application.AcceptedLicenses.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
                    accepted[caller.UserId] = [.. licenses.Distinct().Order()];
                    change.SetAcceptedLicenses(application.Id, accepted);
                }), null);
        }, cancellationToken);

    private static async Task<IResult> SubmitAsync(HttpContext context, CommitteeDesk desk, CancellationToken cancellationToken) =>
        await CommandAsync(context, desk, ApplicationCommand.Submit, (body, caller, id) =>
            (new PendingCommand(new JsonObject(), application =>
            {
                if (ResearchForm.Fields.FirstOrDefault(field => !field.Optional && string.IsNullOrWhiteSpace(application.Value(field.Id))) is { } missing)
                {
                    return new CommandOutcome(CommandStatus.Invalid, "t.form.validation/required", $"field '{missing.Id}' is required",
                        FieldId: missing.Id);
                }

                if (!application.AcceptedLicenses.TryGetValue(application.Applicant, out var accepted) || !accepted.Contains(ResearchForm.LicenseId))
                {
                    return new CommandOutcome(CommandStatus.Invalid, "t.actions.errors/licenses-not-accepted", "the applicant has not accepted the terms of use");
                }

                return ResearchForm.ReadPurpose(application) is (null, { } problem)
                    ? new CommandOutcome(CommandStatus.Invalid, "t.form.validation/invalid-value", problem, FieldId: ResearchForm.Purpose)
                    : null;
            }, null), null), cancellationToken);

    private static async Task<IResult> InviteMemberAsync(HttpContext context, CommitteeDesk desk, CancellationToken cancellationToken) =>
        await CommandAsync(context, desk, ApplicationCommand.InviteMember, (body, caller, id) =>
        {
            if (!body.TryGetProperty("member", out var member) || member.ValueKind != JsonValueKind.Object
                || RequestBodies.Text(member, "name") is not { Length: > 0 and <= 255 } name
                || RequestBodies.Text(member, "email") is not { Length: > 0 and <= 255 } email || !email.Contains('@', StringComparison.Ordinal))
            {
                return (null, RequestBodies.RemsBadRequest("member", "a member needs a name and an email address"));
            }

            var payload = new JsonObject { ["application/member"] = new JsonObject { ["name"] = name, ["email"] = email } };
            return (new PendingCommand(payload, application =>
                application.Members.Any(known => string.Equals(known.Email, email, StringComparison.OrdinalIgnoreCase))
                    ? new CommandOutcome(CommandStatus.Invalid, "t.actions.errors/already-member", $"{email} is already invited")
                    : null,
                (application, change) => change.AddMember(application.Id, application.Members.Count, name, email)), null);
        }, cancellationToken);

    private static async Task<IResult> DeleteAsync(HttpContext context, CommitteeDesk desk, CancellationToken cancellationToken) =>
        await CommandAsync(context, desk, ApplicationCommand.Delete, (body, caller, id) => (new PendingCommand(new JsonObject(), null, null), null), cancellationToken);

    private sealed record PendingCommand(JsonObject Payload, Func<ApplicationRecord, CommandOutcome?>? Check, Action<ApplicationRecord, ChangeContext>? Effect);

    /// <summary>An applicant's command: the caller, the body with its <c>application-id</c>, then the store's transaction.</summary>
    private static async Task<IResult> CommandAsync(
        HttpContext context, CommitteeDesk desk, ApplicationCommand command,
        Func<JsonElement, RemsCaller, long, (PendingCommand? Command, IResult? Refusal)> read, CancellationToken cancellationToken)
    {
        if (RemsCaller.From(context) is not { } caller)
        {
            return RemsCaller.Unauthorized();
        }

        var (body, refusal) = await RequestBodies.ReadObjectAsync(context.Request, RequestBodies.RemsBadRequest, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (RequestBodies.Long(body, "application-id") is not { } id)
        {
            return RequestBodies.RemsBadRequest("application-id", "missing-required-key");
        }

        var (pending, invalid) = read(body, caller, id);
        if (invalid is not null)
        {
            return invalid;
        }

        var outcome = desk.Store.Change(id, caller.UserId, command, application => CommitteeDesk.AsApplicant(application, caller.UserId),
            pending!.Payload, pending.Check, pending.Effect);
        return Answer(outcome);
    }

    private static IResult Answer(CommandOutcome outcome)
    {
        if (outcome.Succeeded)
        {
            return Success();
        }

        var error = new JsonObject { ["type"] = outcome.Error ?? "forbidden" };
        if (outcome.FieldId is { } field)
        {
            error["form-id"] = ResearchForm.Id;
            error["field-id"] = field;
        }

        return Failure(error);
    }

    // ---- attachments

    private static async Task<IResult> AddAttachmentAsync(
        HttpContext context, CommitteeDesk desk, IOptions<CommitteeOptions> options, CancellationToken cancellationToken)
    {
        if (RemsCaller.From(context) is not { } caller)
        {
            return RemsCaller.Unauthorized();
        }

        if (!long.TryParse(context.Request.Query["application-id"], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return RequestBodies.RemsBadRequest("application-id", "missing-required-key");
        }

        var limit = options.Value.MaxAttachmentBytes;
        if (context.Request.ContentLength > limit + (64 * 1024))
        {
            return TooLarge(limit);
        }

        if (!context.Request.HasFormContentType)
        {
            return RequestBodies.RemsBadRequest("file", "send the file as multipart/form-data");
        }

        IFormFile? file;
        try
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit + (64 * 1024);
            }

            var form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit, ValueCountLimit = 16 }, cancellationToken);
            file = form.Files.GetFile("file");
        }
        catch (InvalidDataException)
        {
            return TooLarge(limit);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }

        if (file is null)
        {
            return RequestBodies.RemsBadRequest("file", "missing-required-key");
        }

        if (file.Length > limit)
        {
            return TooLarge(limit);
        }

        var filename = Path.GetFileName(file.FileName.Replace('\\', '/'));
        if (filename.Length is 0 or > 255 || filename.Any(char.IsControl)
            || !AttachmentExtensions.Contains(Path.GetExtension(filename).ToLowerInvariant(), StringComparer.Ordinal))
        {
            return Results.Text($"Unsupported extension: {Shared.UnicodeText.Printable(filename)} (accepted: {string.Join(" ", AttachmentExtensions)})",
                "text/plain", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        byte[] content;
        using (var copy = new MemoryStream())
        {
            await file.CopyToAsync(copy, cancellationToken);
            content = copy.ToArray();
        }

        long attachmentId = 0;
        var contentType = string.IsNullOrWhiteSpace(file.ContentType) || file.ContentType.Length > 100 ? "application/octet-stream" : file.ContentType;
        var outcome = desk.Store.Change(id, caller.UserId, ApplicationCommand.AddAttachment,
            application => CommitteeDesk.AsApplicant(application, caller.UserId),
            new JsonObject { ["attachment/filename"] = filename, ["attachment/size"] = content.Length },
            effect: (application, change) =>
            {
                attachmentId = change.AddAttachment(application.Id, filename, contentType, content);
                change.Payload["attachment/id"] = attachmentId;
            });
        return outcome.Status switch
        {
            CommandStatus.Done => Results.Json(new JsonObject { ["success"] = true, ["id"] = attachmentId }),
            CommandStatus.NotFound => NotFound(),
            CommandStatus.Conflict => Answer(outcome),
            _ => Forbidden(),
        };
    }

    private static IResult AttachmentAsync(HttpContext context, CommitteeDesk desk, long id)
    {
        if (RemsCaller.From(context) is not { } caller)
        {
            return RemsCaller.Unauthorized();
        }

        if (desk.Store.Attachment(id) is not { } attachment
            || desk.Store.Find(attachment.ApplicationId) is not { State: not ApplicationState.Deleted } application || !desk.MaySee(application, caller.UserId))
        {
            return NotFound();
        }

        // Never rendered by the browser: always a download.
        return Results.File(attachment.Content, "application/octet-stream", attachment.Info.Filename);
    }

    // ---- entitlements, permissions and keys

    /// <summary>
    /// REMS' entitlements: the caller's own; a <c>reporter</c> key may ask for any <c>user</c> (or all). Revoked and
    /// ended grants only with <c>expired=true</c>.
    /// </summary>
    private static IResult EntitlementsAsync(HttpContext context, CommitteeDesk desk, string? user, string? resource, string? expired)
    {
        if (RemsCaller.From(context) is not { } caller)
        {
            return RemsCaller.Unauthorized();
        }

        if (ReadBool(expired) is not { } includeExpired)
        {
            return RequestBodies.RemsBadRequest("expired", "must be true or false");
        }

        var whose = caller.Has(ApiKeys.Reporter) ? (string.IsNullOrEmpty(user) ? null : user) : caller.UserId;
        var list = new JsonArray();
        foreach (var grant in desk.Store.Grants(whose, includeExpired, string.IsNullOrEmpty(resource) ? null : resource))
        {
            var holder = desk.Store.User(grant.UserId);
            list.Add(new JsonObject
            {
                ["resource"] = grant.DatasetId,
                ["application-id"] = grant.ApplicationId,
                ["user"] = RemsViews.User(holder),
                ["start"] = RemsViews.Time(grant.Start),
                ["end"] = RemsViews.Time(EndOf(grant)),
                ["mail"] = holder.Email,
            });
        }

        return Results.Json(list);
    }

    /// <summary>A grant ends at its end date or, revoked, when it was revoked (REMS ends the entitlement then).</summary>
    internal static DateTimeOffset EndOf(GrantRecord grant) => grant.RevokedAt is { } revoked && revoked < grant.End ? revoked : grant.End;

    /// <summary>
    /// REMS' GA4GH permissions: <c>{"ga4gh_passport_v1": [visa JWTs]}</c>, one visa per grant. A caller reads their own;
    /// a <c>reporter</c> key (REMS' owner and reporter roles, e.g. the broker's) reads anyone's.
    /// </summary>
    private static async Task<IResult> PermissionsAsync(
        HttpContext context, CommitteeDesk desk, PublicBaseUrl baseUrl, IOptions<PassportOptions> passport, string user, string? expired,
        CancellationToken cancellationToken)
    {
        if (RemsCaller.From(context) is not { } caller)
        {
            return RemsCaller.Unauthorized();
        }

        if (ReadBool(expired) is not { } includeExpired)
        {
            return RequestBodies.RemsBadRequest("expired", "must be true or false");
        }

        if (user != caller.UserId && !caller.Has(ApiKeys.Reporter))
        {
            return Forbidden();
        }

        if (context.RequestServices.GetService<IVisaIssuer>() is not { } issuer)
        {
            return Results.Text("permissions api not implemented", "text/plain", statusCode: StatusCodes.Status501NotImplemented);
        }

        var node = new NodeIssuer(baseUrl.For(context.Request).TrimEnd('/'), passport.Value.RemsPath);
        var visas = new JsonArray();
        // A grant revoked the instant it began granted nothing: no visa can say so.
        foreach (var grant in desk.Store.Grants(user, includeExpired).Where(grant => EndOf(grant) > grant.Start))
        {
            var value = await desk.VisaValueAsync(grant.DatasetId, cancellationToken);
            visas.Add(issuer.Sign(new GrantVisa(grant.UserId, value, grant.CommitteeId, grant.Start, EndOf(grant)), node.Issuer, node.VisaJwksUrl));
        }

        return Results.Json(new JsonObject { ["ga4gh_passport_v1"] = visas });
    }

    private static IResult Jwk(HttpContext context) =>
        context.RequestServices.GetService<IVisaIssuer>() is { } issuer
            ? Results.Json(issuer.PublishedKeys())
            : Results.Text("permissions api not implemented", "text/plain", statusCode: StatusCodes.Status501NotImplemented);

    private static bool? ReadBool(string? text) => text switch
    {
        null or "" or "false" => false,
        "true" => true,
        _ => null,
    };

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static IResult Success() => Results.Json(new JsonObject { ["success"] = true });

    private static IResult Failure(JsonObject error) => Results.Json(new JsonObject { ["success"] = false, ["errors"] = new JsonArray(error) });

    private static IResult NotFound() => Results.Json(new JsonObject { ["error"] = "not found" }, statusCode: StatusCodes.Status404NotFound);

    private static IResult Forbidden() => Results.Text("forbidden", "text/plain", statusCode: StatusCodes.Status403Forbidden);

    private static IResult TooLarge(long limit) =>
        Results.Text($"Request entity too large: attachments are limited to {limit} bytes", "text/plain", statusCode: StatusCodes.Status413PayloadTooLarge);
}
