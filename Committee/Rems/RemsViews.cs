using System.Text.Json.Nodes;
using GenomeNode.Committee.Applications;
using GenomeNode.Committee.Workflow;

namespace GenomeNode.Committee.Rems;

/// <summary>Answers in REMS' JSON shape (namespaced keys such as <c>application/id</c>), as its API and rems.yaml give them.</summary>
internal static class RemsViews
{
    public const long WorkflowId = 1;

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Localized(string text) => new() { ["en"] = text };

    public static JsonObject User(UserInfo user) => new() { ["userid"] = user.UserId, ["name"] = user.Name, ["email"] = user.Email };

    /// <summary>REMS' one organisation of a node that has no organisations: <c>default</c>, as REMS seeds it.</summary>
    public static JsonObject Organization() => new()
    {
        ["organization/id"] = "default",
        ["organization/short-name"] = Localized("default"),
        ["organization/name"] = Localized("default"),
    };

    /// <summary>REMS' <c>CatalogueItem</c>: the title only in <c>localizations</c>, per language.</summary>
    public static JsonObject CatalogueItem(long id, string datasetId, string title, DateTimeOffset start) => new()
    {
        ["id"] = id,
        ["resid"] = datasetId,
        ["resource-id"] = id,
        ["formid"] = ResearchForm.Id,
        ["wfid"] = WorkflowId,
        ["organization"] = Organization(),
        ["localizations"] = new JsonObject
        {
            ["en"] = new JsonObject { ["id"] = id, ["langcode"] = "en", ["title"] = title, ["infourl"] = null },
        },
        ["start"] = Time(start),
        ["end"] = null,
        ["enabled"] = true,
        ["archived"] = false,
        ["expired"] = false,
    };

    public static JsonObject Resource(ApplicationResource resource, string title, DateTimeOffset start) => new()
    {
        ["catalogue-item/id"] = resource.CatalogueItemId,
        ["resource/id"] = resource.CatalogueItemId,
        ["resource/ext-id"] = resource.DatasetId,
        ["catalogue-item/title"] = Localized(title),
        ["catalogue-item/infourl"] = new JsonObject(),
        ["catalogue-item/start"] = Time(start),
        ["catalogue-item/end"] = null,
        ["catalogue-item/expired"] = false,
        ["catalogue-item/enabled"] = true,
        ["catalogue-item/archived"] = false,
    };

    public static JsonObject License(CommitteeOptions options) => new()
    {
        ["license/id"] = ResearchForm.LicenseId,
        ["license/type"] = "text",
        ["license/title"] = Localized(options.LicenseTitle),
        ["license/text"] = Localized(options.LicenseText),
        ["license/enabled"] = true,
        ["license/archived"] = false,
    };

    public static JsonObject Form(ApplicationRecord? application)
    {
        var fields = new JsonArray();
        foreach (var field in ResearchForm.Fields)
        {
            var view = new JsonObject
            {
                ["field/id"] = field.Id,
                ["field/type"] = field.Type,
                ["field/title"] = Localized(field.Title),
                ["field/optional"] = field.Optional,
                ["field/visible"] = true,
                ["field/private"] = false,
                ["field/value"] = application?.Value(field.Id) ?? "",
            };
            if (field.Options is { } options)
            {
                view["field/options"] = new JsonArray([.. options.Select(option => (JsonNode)new JsonObject { ["key"] = option, ["label"] = Localized(option) })]);
            }

            fields.Add(view);
        }

        return new JsonObject
        {
            ["form/id"] = ResearchForm.Id,
            ["form/internal-name"] = ResearchForm.InternalName,
            ["form/external-title"] = Localized("Research purpose"),
            ["form/title"] = "Research purpose",
            ["form/fields"] = fields,
        };
    }

    public static JsonObject Event(ApplicationEvent entry, UserInfo actor)
    {
        var view = new JsonObject
        {
            ["event/id"] = entry.Id,
            ["event/type"] = entry.Type,
            ["event/time"] = Time(entry.At),
            ["event/actor"] = entry.Actor,
            ["event/actor-attributes"] = User(actor),
            ["application/id"] = entry.ApplicationId,
        };
        foreach (var (key, value) in entry.Payload)
        {
            view[key] = value?.DeepClone();
        }

        return view;
    }

    /// <summary>
    /// An application for <paramref name="viewer"/>: the overview (my-applications) or the whole (with forms, licenses
    /// and events). Permissions are the commands the workflow lets the viewer give now.
    /// </summary>
    public static JsonObject Application(
        ApplicationRecord application, string viewer, bool whole, CommitteeDesk desk, IReadOnlyDictionary<string, string> titles,
        IReadOnlyDictionary<long, DateTimeOffset> itemStarts, Func<string, UserInfo> users, IReadOnlyList<ApplicationEvent>? events, DateTimeOffset? entitlementEnd)
    {
        var roles = new JsonArray();
        var permissions = new JsonArray();
        if (application.Applicant == viewer)
        {
            roles.Add("applicant");
        }
        else if (CommitteeDesk.IsApplicantSide(application, viewer))
        {
            roles.Add("member");
        }

        if (desk.IsCommitteeMember(application, viewer))
        {
            roles.Add("handler");
        }

        var role = CommitteeDesk.IsApplicantSide(application, viewer) ? ApplicationRole.Applicant
            : desk.AsCommittee(application, viewer) is { } committee ? committee : (ApplicationRole?)null;
        if (role is { } acting)
        {
            // REMS has no add-attachment command (an upload needs save-draft), and the service's generated client
            // rejects a permission outside REMS' enum.
            foreach (var command in ApplicationWorkflow.Allowed(application.State, acting).Where(command => command != ApplicationCommand.AddAttachment))
            {
                permissions.Add(ApplicationWorkflow.RemsName(command));
            }
        }

        var title = application.Value(ResearchForm.Title) ?? "";
        var lastActivity = events is { Count: > 0 } ? events[^1].At : application.ModifiedAt;
        var view = new JsonObject
        {
            ["application/id"] = application.Id,
            ["application/external-id"] = application.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["application/generated-external-id"] = application.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["application/state"] = application.State == ApplicationState.Deleted ? "application.state/deleted" : ApplicationWorkflow.RemsName(application.State),
            ["application/applicant"] = User(users(application.Applicant)),
            ["application/members"] = new JsonArray([.. application.Members.Where(member => member.UserId is not null)
                .Select(member => (JsonNode)User(users(member.UserId!)))]),
            ["application/invited-members"] = new JsonArray([.. application.Members.Where(member => member.UserId is null)
                .Select(member => (JsonNode)new JsonObject { ["name"] = member.Name, ["email"] = member.Email })]),
            ["application/resources"] = new JsonArray([.. application.Resources.Select(resource =>
                (JsonNode)Resource(resource, titles.GetValueOrDefault(resource.DatasetId, resource.DatasetId),
                itemStarts.GetValueOrDefault(resource.CatalogueItemId, application.CreatedAt)))]),
            ["application/accepted-licenses"] = new JsonObject(application.AcceptedLicenses.Select(pair =>
                KeyValuePair.Create(pair.Key, (JsonNode?)new JsonArray([.. pair.Value.Select(id => (JsonNode)id)])))),
            ["application/attachments"] = new JsonArray([.. application.Attachments.Select(attachment => (JsonNode)new JsonObject
            {
                ["attachment/id"] = attachment.Id,
                ["attachment/filename"] = attachment.Filename,
                ["attachment/type"] = attachment.ContentType,
                ["attachment/user"] = User(users(attachment.UploadedBy)),
            })]),
            ["application/description"] = title,
            ["application/created"] = Time(application.CreatedAt),
            ["application/modified"] = Time(application.ModifiedAt),
            ["application/last-activity"] = Time(lastActivity),
            ["application/first-submitted"] = application.FirstSubmittedAt is { } submitted ? Time(submitted) : null,
            ["application/roles"] = roles,
            ["application/permissions"] = permissions,
            ["application/todo"] = application.State == ApplicationState.Submitted && roles.Any(r => r?.GetValue<string>() == "handler") ? "new-application" : null,
            ["application/workflow"] = new JsonObject { ["workflow/id"] = WorkflowId, ["workflow/type"] = "workflow/default" },
            ["entitlement/end"] = entitlementEnd is { } end ? Time(end) : null,
        };
        if (application.FirstSubmittedAt is null)
        {
            view.Remove("application/first-submitted");
        }

        if (whole)
        {
            view["application/forms"] = new JsonArray(Form(application));
            view["application/licenses"] = new JsonArray(License(desk.Options));
            view["application/events"] = new JsonArray([.. (events ?? []).Select(entry => (JsonNode)Event(entry, users(entry.Actor)))]);
        }

        return view;
    }
}
