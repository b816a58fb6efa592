using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace GenomeNode.Committee.Tests;

/// <summary>
/// One test per REMS path the GDI access management service calls, with the request as it sends it
/// (GenomicDataInfrastructure/gdi-userportal-access-management-service: src/main/openapi/rems.yaml and the services in
/// src/main/java/io/github/genomicdatainfrastructure/daam/), and the fields of the answer it reads
/// (gateways/RemsApplicationMapper.java, gateways/RemsApiQueryGateway.java).
/// </summary>
public sealed class RemsContractTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private CommitteeNode Node => fixture.Node;

    [Fact]
    public async Task A_request_without_a_valid_key_or_user_is_401_as_REMS_answers_it()
    {
        var (status, body, response) = await Node.RemsAsync(HttpMethod.Get, "/rems/api/my-applications", "someone", key: "");
        response.Dispose();
        Assert.Equal(401, status);
        Assert.Equal("unauthorized", body);
        (status, _, response) = await Node.RemsAsync(HttpMethod.Get, "/rems/api/my-applications", "someone", key: "not-a-key");
        response.Dispose();
        Assert.Equal(401, status);
        (status, _, response) = await Node.RemsAsync(HttpMethod.Get, "/rems/api/my-applications", user: null);
        response.Dispose();
        Assert.Equal(401, status);
    }

    // services/CreateRemsUserService.java: CreateUserCommand {userid, name, email}, sent as the bot user.
    [Fact]
    public async Task Users_create_takes_the_CreateUserCommand()
    {
        var (status, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/users/create", "bot",
            new JsonObject { ["userid"] = "contract-user", ["name"] = "Ada Researcher", ["email"] = "ada@example.org" });
        Assert.Equal(200, status);
        Assert.True(json!["success"]!.GetValue<bool>());

        // A key without the user-owner role may not create users.
        (status, _) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/users/create", "bot",
            new JsonObject { ["userid"] = "x", ["name"] = "X", ["email"] = "x@example.org" }, key: Node.ReporterKey);
        Assert.Equal(403, status);
    }

    // gateways/RemsApiQueryGateway.java retrieveCatalogueItemByResourceId: GET /api/catalogue-items?resource={dataset id}, reads the first item's id.
    [Fact]
    public async Task Catalogue_items_by_resource_answer_the_dataset_item()
    {
        var (status, json) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/catalogue-items?resource={CommitteeNode.Brca}", "catalogue-user");
        Assert.Equal(200, status);
        var item = Assert.Single(json!.AsArray())!;
        Assert.Equal(CommitteeNode.Brca, item["resid"]!.GetValue<string>());
        Assert.True(item["id"]!.GetValue<long>() > 0);
        Assert.Equal(1, item["formid"]!.GetValue<long>());
        Assert.True(item["enabled"]!.GetValue<bool>());
        Assert.False(item["archived"]!.GetValue<bool>());

        (_, json) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/catalogue-items?resource=unknown", "catalogue-user");
        Assert.Empty(json!.AsArray());
    }

    // services/CreateApplicationService.java: CreateApplicationCommand {catalogue-item-ids: [...]}; answer {success, application-id}.
    [Fact]
    public async Task Applications_create_takes_catalogue_item_ids()
    {
        var item = await Node.CatalogueItemAsync(CommitteeNode.Brca);
        var (status, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/create", "create-user",
            new JsonObject { ["catalogue-item-ids"] = new JsonArray(item) });
        Assert.Equal(200, status);
        Assert.True(json!["success"]!.GetValue<bool>());
        Assert.True(json["application-id"]!.GetValue<long>() > 0);

        (status, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/create", "create-user",
            new JsonObject { ["catalogue-item-ids"] = new JsonArray(987654) });
        Assert.Equal(200, status);
        Assert.False(json!["success"]!.GetValue<bool>());
        Assert.Equal("invalid-catalogue-item", json["errors"]![0]!["type"]!.GetValue<string>());

        // Two committees never decide on one application.
        var other = await Node.CatalogueItemAsync(CommitteeNode.Other);
        (_, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/create", "create-user",
            new JsonObject { ["catalogue-item-ids"] = new JsonArray(item, other) });
        Assert.Equal("unbundlable-catalogue-items", json!["errors"]![0]!["type"]!.GetValue<string>());

        (status, _) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/create", "create-user", new JsonObject { ["catalogue-item-ids"] = "1" });
        Assert.Equal(400, status);
    }

    // gateways/SaveDraftCommandMapper.java: SaveDraftCommand {application-id, field-values: [{form, field, value}]}.
    [Fact]
    public async Task Save_draft_takes_field_values_and_the_application_shows_them_in_its_form()
    {
        var id = await Node.DraftAsync("draft-user");
        var (_, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/save-draft", "draft-user", new JsonObject
        {
            ["application-id"] = id,
            ["field-values"] = new JsonArray(new JsonObject { ["form"] = 1, ["field"] = "title", ["value"] = "A new title" }),
        });
        Assert.True(json!["success"]!.GetValue<bool>());

        var (_, application) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", "draft-user");
        var fields = application!["application/forms"]![0]!["form/fields"]!.AsArray();
        Assert.Equal("A new title", fields.Single(field => field!["field/id"]!.GetValue<string>() == "title")!["field/value"]!.GetValue<string>());
        Assert.Equal("Penetrance of BRCA1 variants", fields.Single(field => field!["field/id"]!.GetValue<string>() == "description")!["field/value"]!.GetValue<string>());

        (_, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/save-draft", "draft-user", new JsonObject
        {
            ["application-id"] = id,
            ["field-values"] = new JsonArray(new JsonObject { ["form"] = 1, ["field"] = "no-such-field", ["value"] = "x" }),
        });
        Assert.False(json!["success"]!.GetValue<bool>());

        // Another user may not change it (InviteMemberService maps "forbidden").
        (_, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/save-draft", "intruder", new JsonObject
        {
            ["application-id"] = id,
            ["field-values"] = new JsonArray(),
        });
        Assert.Equal("forbidden", json!["errors"]![0]!["type"]!.GetValue<string>());
    }

    // services/AcceptTermsService.java: AcceptLicensesCommand {application-id, accepted-licenses: [ids]}; submit needs them.
    [Fact]
    public async Task Accept_licenses_is_needed_before_submit()
    {
        var item = await Node.CatalogueItemAsync(CommitteeNode.Brca);
        var (_, created) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/create", "license-user",
            new JsonObject { ["catalogue-item-ids"] = new JsonArray(item) });
        var id = created!["application-id"]!.GetValue<long>();
        await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/save-draft", "license-user", new JsonObject
        {
            ["application-id"] = id,
            ["field-values"] = new JsonArray(
                new JsonObject { ["form"] = 1, ["field"] = "title", ["value"] = "t" },
                new JsonObject { ["form"] = 1, ["field"] = "description", ["value"] = "d" },
                new JsonObject { ["form"] = 1, ["field"] = "purpose", ["value"] = "DUO:0000042" }),
        });
        var (_, refused) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/submit", "license-user", new JsonObject { ["application-id"] = id });
        Assert.Equal("t.actions.errors/licenses-not-accepted", refused!["errors"]![0]!["type"]!.GetValue<string>());

        var (_, accepted) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/accept-licenses", "license-user",
            new JsonObject { ["application-id"] = id, ["accepted-licenses"] = new JsonArray(1) });
        Assert.True(accepted!["success"]!.GetValue<bool>());
        var (_, application) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", "license-user");
        Assert.Equal(1, application!["application/accepted-licenses"]!["license-user"]![0]!.GetValue<long>());
        Assert.Equal("text", application["application/licenses"]![0]!["license/type"]!.GetValue<string>());
    }

    // services/SubmitApplicationService.java: SubmitApplicationCommand {application-id}; then the state is application.state/submitted.
    [Fact]
    public async Task Submit_moves_the_draft_to_submitted()
    {
        var id = await Node.SubmittedAsync("submit-user");
        var (_, application) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", "submit-user");
        Assert.Equal("application.state/submitted", application!["application/state"]!.GetValue<string>());
        Assert.Equal("submit-user", application["application/applicant"]!["userid"]!.GetValue<string>());
        Assert.Equal(CommitteeNode.Brca, application["application/resources"]![0]!["resource/ext-id"]!.GetValue<string>());
        Assert.Contains(application["application/events"]!.AsArray(), e => e!["event/type"]!.GetValue<string>() == "application.event/submitted");

        var (_, again) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/submit", "submit-user", new JsonObject { ["application-id"] = id });
        Assert.False(again!["success"]!.GetValue<bool>());
    }

    // rems.yaml /api/applications/add-attachment: multipart "file", query application-id; 413 when too large; GET attachment/{id} gives it back.
    [Fact]
    public async Task Add_attachment_stores_the_file_and_refuses_a_too_large_one()
    {
        var id = await Node.DraftAsync("attach-user");
        using (var form = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent("%PDF-1.4 tiny"u8.ToArray());
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", "plan.pdf");
            var (status, body, response) = await Node.RemsAsync(HttpMethod.Post, $"/rems/api/applications/add-attachment?application-id={id}", "attach-user", content: form);
            response.Dispose();
            Assert.Equal(200, status);
            var attachmentId = JsonNode.Parse(body)!["id"]!.GetValue<long>();
            (status, body, response) = await Node.RemsAsync(HttpMethod.Get, $"/rems/api/applications/attachment/{attachmentId}", "attach-user");
            response.Dispose();
            Assert.Equal(200, status);
            Assert.Equal("%PDF-1.4 tiny", body);
            (status, _, response) = await Node.RemsAsync(HttpMethod.Get, $"/rems/api/applications/attachment/{attachmentId}", "someone-else");
            response.Dispose();
            Assert.Equal(404, status);
        }

        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(new byte[5000]), "file", "big.pdf");
            var (status, _, response) = await Node.RemsAsync(HttpMethod.Post, $"/rems/api/applications/add-attachment?application-id={id}", "attach-user", content: form);
            response.Dispose();
            Assert.Equal(413, status);
        }

        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent("x"u8.ToArray()), "file", "run.exe");
            var (status, _, response) = await Node.RemsAsync(HttpMethod.Post, $"/rems/api/applications/add-attachment?application-id={id}", "attach-user", content: form);
            response.Dispose();
            Assert.Equal(415, status);
        }
    }

    // services/InviteMemberService.java: InviteMemberCommand {application-id, member: {name, email}}; reads success and errors[0].type.
    [Fact]
    public async Task Invite_member_records_the_invitation()
    {
        var id = await Node.DraftAsync("invite-user");
        var (_, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/invite-member", "invite-user",
            new JsonObject { ["application-id"] = id, ["member"] = new JsonObject { ["name"] = "Bob", ["email"] = "bob@example.org" } });
        Assert.True(json!["success"]!.GetValue<bool>());
        var (_, application) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", "invite-user");
        Assert.Equal("bob@example.org", application!["application/invited-members"]![0]!["email"]!.GetValue<string>());

        (_, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/invite-member", "invite-user",
            new JsonObject { ["application-id"] = 999999, ["member"] = new JsonObject { ["name"] = "Bob", ["email"] = "bob@example.org" } });
        Assert.Equal("application-not-found", json!["errors"]![0]!["type"]!.GetValue<string>());
    }

    // services/DeleteApplicationService.java: DeleteApplicationCommand {application-id}; here the draft is kept, in state deleted, with its events.
    [Fact]
    public async Task Delete_hides_the_draft_from_REMS_but_keeps_it_and_its_events()
    {
        var id = await Node.DraftAsync("delete-user");
        var (_, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/delete", "delete-user", new JsonObject { ["application-id"] = id });
        Assert.True(json!["success"]!.GetValue<bool>());
        var (status, _) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", "delete-user");
        Assert.Equal(404, status);
        var (_, mine) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/my-applications", "delete-user");
        Assert.DoesNotContain(mine!.AsArray(), application => application!["application/id"]!.GetValue<long>() == id);

        Assert.Equal("deleted", Database.Scalar(Node, $"SELECT state FROM committee.applications WHERE id = {id}"));
        Assert.Equal("application.event/deleted", Database.Scalar(Node, $"SELECT type FROM committee.events WHERE application_id = {id} ORDER BY id DESC LIMIT 1"));
    }

    // gateways/RemsApiQueryGateway.java listApplications: GET /api/my-applications; RemsApplicationMapper reads id, external-id, description, state, last-activity, created, resources.
    [Fact]
    public async Task My_applications_lists_the_callers_applications_in_the_overview_shape()
    {
        var id = await Node.SubmittedAsync("list-user");
        var (status, json) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/my-applications", "list-user");
        Assert.Equal(200, status);
        var application = Assert.Single(json!.AsArray())!;
        Assert.Equal(id, application["application/id"]!.GetValue<long>());
        foreach (var key in new[] { "application/external-id", "application/description", "application/state", "application/last-activity",
                     "application/created", "application/resources", "application/applicant", "application/workflow", "application/permissions" })
        {
            Assert.NotNull(application[key]);
        }

        var (_, none) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/my-applications", "nobody-yet");
        Assert.Empty(none!.AsArray());
    }

    // gateways/RemsApiQueryGateway.java retrieveApplication: GET /api/applications/{id}; 404 when not the caller's.
    [Fact]
    public async Task One_application_is_the_callers_only()
    {
        var id = await Node.DraftAsync("own-user");
        var (status, json) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", "own-user");
        Assert.Equal(200, status);
        Assert.Equal("application.state/draft", json!["application/state"]!.GetValue<string>());
        Assert.Contains(json["application/permissions"]!.AsArray(), p => p!.GetValue<string>() == "application.command/submit");
        (status, json) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", "stranger");
        Assert.Equal(404, status);
        Assert.Equal("not found", json!["error"]!.GetValue<string>());
    }

    // services/EntitlementsService.java: GET /api/entitlements (user, resource null; expired false).
    [Fact]
    public async Task Entitlements_show_the_callers_grants_and_a_revocation_at_once()
    {
        var id = await Node.SubmittedAsync("entitled-user");
        var (status, _) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-1", new JsonObject { ["end"] = CommitteeNode.FutureEnd });
        Assert.Equal(200, status);
        var (_, json) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/entitlements", "entitled-user");
        var entitlement = Assert.Single(json!.AsArray())!;
        Assert.Equal(CommitteeNode.Brca, entitlement["resource"]!.GetValue<string>());
        Assert.Equal(id, entitlement["application-id"]!.GetValue<long>());
        Assert.Equal("entitled-user", entitlement["user"]!["userid"]!.GetValue<string>());
        Assert.NotNull(entitlement["start"]);

        (_, json) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/entitlements", "someone-else");
        Assert.Empty(json!.AsArray());

        (status, _) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/revoke", "member-2", new JsonObject { ["reason"] = "misuse" });
        Assert.Equal(200, status);
        (_, json) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/entitlements", "entitled-user");
        Assert.Empty(json!.AsArray());
        (_, json) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/entitlements?expired=true", "entitled-user");
        Assert.Single(json!.AsArray());
    }
}
