using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace GenomeNode.Committee.Tests;

/// <summary>
/// The node's real REMS answers, validated against the response schemas of the access management service's own
/// rems.yaml (specs/rems, from which its REMS client is generated), path by path.
/// </summary>
public sealed class RemsOpenApiContractTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private CommitteeNode Node => fixture.Node;

    [Fact]
    public async Task Users_create_answers_a_SuccessResponse()
    {
        var (status, json) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/users/create", "bot",
            new JsonObject { ["userid"] = "schema-user", ["name"] = "Ada Researcher", ["email"] = "ada@example.org" });
        Assert.Equal(200, status);
        RemsOpenApiSchemas.AssertValid(json, "SuccessResponse");
    }

    [Fact]
    public async Task Catalogue_items_answer_CatalogueItems()
    {
        var (status, json) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/catalogue-items?resource={CommitteeNode.Brca}", "schema-user");
        Assert.Equal(200, status);
        Assert.NotEmpty(json!.AsArray());
        RemsOpenApiSchemas.AssertValid(json, "CatalogueItem", array: true);

        (_, json) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/catalogue-items", "schema-user");
        RemsOpenApiSchemas.AssertValid(json, "CatalogueItem", array: true);

        var id = await Node.CatalogueItemAsync(CommitteeNode.Brca);
        (status, json) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/catalogue-items/{id}", "schema-user");
        Assert.Equal(200, status);
        RemsOpenApiSchemas.AssertValid(json, "CatalogueItem");
    }

    [Fact]
    public async Task Application_commands_answer_their_response_schemas_done_or_refused()
    {
        const string user = "schema-applicant";
        var item = await Node.CatalogueItemAsync(CommitteeNode.Brca);
        var (_, created) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/create", user,
            new JsonObject { ["catalogue-item-ids"] = new JsonArray(item) });
        Assert.True(created!["success"]!.GetValue<bool>());
        RemsOpenApiSchemas.AssertValid(created, "CreateApplicationResponse");
        var id = created["application-id"]!.GetValue<long>();

        var (_, refused) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/create", user,
            new JsonObject { ["catalogue-item-ids"] = new JsonArray(987654) });
        Assert.False(refused!["success"]!.GetValue<bool>());
        RemsOpenApiSchemas.AssertValid(refused, "CreateApplicationResponse");

        // Submitting an empty draft: a form field's error, with its form-id and field-id.
        var (_, submitted) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/submit", user, new JsonObject { ["application-id"] = id });
        Assert.False(submitted!["success"]!.GetValue<bool>());
        RemsOpenApiSchemas.AssertValid(submitted, "SubmitApplicationResponse");
        Assert.NotNull(submitted["errors"]![0]!["field-id"]);
        Assert.NotNull(submitted["errors"]![0]!["form-id"]);

        var (_, saved) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/save-draft", user, new JsonObject
        {
            ["application-id"] = id,
            ["field-values"] = new JsonArray(
                new JsonObject { ["form"] = 1, ["field"] = "title", ["value"] = "BRCA1 variants" },
                new JsonObject { ["form"] = 1, ["field"] = "description", ["value"] = "Penetrance of BRCA1 variants" },
                new JsonObject { ["form"] = 1, ["field"] = "purpose", ["value"] = "DUO:0000007 MONDO:0007254" }),
        });
        Assert.True(saved!["success"]!.GetValue<bool>());
        RemsOpenApiSchemas.AssertValid(saved, "SuccessResponse");

        (_, saved) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/save-draft", user, new JsonObject
        {
            ["application-id"] = id,
            ["field-values"] = new JsonArray(new JsonObject { ["form"] = 1, ["field"] = "no-such-field", ["value"] = "x" }),
        });
        Assert.False(saved!["success"]!.GetValue<bool>());
        RemsOpenApiSchemas.AssertValid(saved, "SuccessResponse");

        // The licences not accepted: REMS' error carries only its type.
        (_, submitted) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/submit", user, new JsonObject { ["application-id"] = id });
        Assert.False(submitted!["success"]!.GetValue<bool>());
        RemsOpenApiSchemas.AssertValid(submitted, "SubmitApplicationResponse");

        var (_, accepted) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/accept-licenses", user,
            new JsonObject { ["application-id"] = id, ["accepted-licenses"] = new JsonArray(1) });
        Assert.True(accepted!["success"]!.GetValue<bool>());
        RemsOpenApiSchemas.AssertValid(accepted, "SuccessResponse");

        var (_, invited) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/invite-member", user,
            new JsonObject { ["application-id"] = id, ["member"] = new JsonObject { ["name"] = "Bob", ["email"] = "bob@example.org" } });
        Assert.True(invited!["success"]!.GetValue<bool>());
        RemsOpenApiSchemas.AssertValid(invited, "SuccessResponse");

        using (var form = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent("%PDF-1.4 tiny"u8.ToArray());
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", "plan.pdf");
            var (status, body, response) = await Node.RemsAsync(HttpMethod.Post, $"/rems/api/applications/add-attachment?application-id={id}", user, content: form);
            response.Dispose();
            Assert.Equal(200, status);
            RemsOpenApiSchemas.AssertValid(JsonNode.Parse(body), "AttachFileResponse");
        }

        // The draft, whole and in the overview, with a member invited and a file attached.
        var (_, application) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", user);
        RemsOpenApiSchemas.AssertValid(application, "Application");
        Assert.Single(application!["application/attachments"]!.AsArray());
        Assert.Single(application["application/invited-members"]!.AsArray());
        var (_, mine) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/my-applications", user);
        RemsOpenApiSchemas.AssertValid(mine, "ApplicationOverview", array: true);

        (_, submitted) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/submit", user, new JsonObject { ["application-id"] = id });
        Assert.True(submitted!["success"]!.GetValue<bool>(), submitted.ToJsonString());
        RemsOpenApiSchemas.AssertValid(submitted, "SubmitApplicationResponse");

        (_, application) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", user);
        RemsOpenApiSchemas.AssertValid(application, "Application");
        Assert.Equal("application.state/submitted", application!["application/state"]!.GetValue<string>());

        // A draft deleted: the command's answer, and the application gone as REMS has it (404 ErrorResponse).
        var other = await Node.DraftAsync(user);
        var (_, deleted) = await Node.JsonAsync(HttpMethod.Post, "/rems/api/applications/delete", user, new JsonObject { ["application-id"] = other });
        Assert.True(deleted!["success"]!.GetValue<bool>());
        RemsOpenApiSchemas.AssertValid(deleted, "SuccessResponse");
        var (missing, error) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{other}", user);
        Assert.Equal(404, missing);
        RemsOpenApiSchemas.AssertValid(error, "ErrorResponse");
    }

    [Fact]
    public async Task An_approved_application_and_its_entitlements_answer_their_schemas()
    {
        const string user = "schema-entitled";
        await Node.JsonAsync(HttpMethod.Post, "/rems/api/users/create", "bot",
            new JsonObject { ["userid"] = user, ["name"] = "Eve Entitled", ["email"] = "eve@example.org" });
        var id = await Node.SubmittedAsync(user);
        var (status, _) = await Node.DacAsync(HttpMethod.Post, $"/dac/applications/{id}/approve", "member-1", new JsonObject { ["end"] = CommitteeNode.FutureEnd });
        Assert.Equal(200, status);

        var (_, application) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", user);
        RemsOpenApiSchemas.AssertValid(application, "Application");
        Assert.Equal("application.state/approved", application!["application/state"]!.GetValue<string>());
        Assert.NotNull(application["entitlement/end"]);
        var (_, mine) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/my-applications", user);
        RemsOpenApiSchemas.AssertValid(mine, "ApplicationOverview", array: true);

        var (_, entitlements) = await Node.JsonAsync(HttpMethod.Get, "/rems/api/entitlements", user);
        var entitlement = Assert.Single(entitlements!.AsArray())!;
        RemsOpenApiSchemas.AssertValid(entitlements, "Entitlement", array: true);
        Assert.Equal(user, entitlement["user"]!["userid"]!.GetValue<string>());
    }

    /// <summary>The schemas have teeth: a real answer with one member renamed, retyped or misspelled fails.</summary>
    [Fact]
    public async Task A_wrong_member_name_type_or_value_fails_the_schemas()
    {
        var id = await Node.DraftAsync("schema-mutant");
        var (_, answer) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/applications/{id}", "schema-mutant");
        RemsOpenApiSchemas.AssertValid(answer, "Application");

        Assert.NotEmpty(RemsOpenApiSchemas.Errors(Mutated(answer!, application => Rename(application, "application/state", "application/status")), "Application"));
        Assert.NotEmpty(RemsOpenApiSchemas.Errors(Mutated(answer!, application => application["application/id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture)), "Application"));
        Assert.NotEmpty(RemsOpenApiSchemas.Errors(Mutated(answer!, application => application["application/state"] = "application.state/deleted"), "Application"));
        Assert.NotEmpty(RemsOpenApiSchemas.Errors(Mutated(answer!, application => application["application/permissions"]!.AsArray().Add("application.command/add-attachment")), "Application"));
        Assert.NotEmpty(RemsOpenApiSchemas.Errors(Mutated(answer!, application => application["application/created"] = "yesterday"), "Application"));
        Assert.NotEmpty(RemsOpenApiSchemas.Errors(Mutated(answer!, application => application["application/first-submited"] = "2026-01-01T00:00:00.000Z"), "Application"));
        Assert.NotEmpty(RemsOpenApiSchemas.Errors(Mutated(answer!, application =>
            Rename(application["application/resources"]![0]!.AsObject(), "catalogue-item/id", "catalogue-item-id")), "Application"));
        Assert.NotEmpty(RemsOpenApiSchemas.Errors(Mutated(answer!, application => application["application/licenses"]![0]!["license/type"] = "license/text"), "Application"));

        var (_, items) = await Node.JsonAsync(HttpMethod.Get, $"/rems/api/catalogue-items?resource={CommitteeNode.Brca}", "schema-mutant");
        RemsOpenApiSchemas.AssertValid(items, "CatalogueItem", array: true);
        Assert.NotEmpty(RemsOpenApiSchemas.Errors(Mutated(items!, list => Rename(list[0]!.AsObject(), "id", "catalogue-item/id")), "CatalogueItem", array: true));
        Assert.NotEmpty(RemsOpenApiSchemas.Errors(Mutated(items!, list => list[0]!["formid"] = "1"), "CatalogueItem", array: true));
    }

    private static JsonNode Mutated(JsonNode answer, Action<JsonNode> change)
    {
        var copy = answer.DeepClone();
        change(copy);
        return copy;
    }

    private static void Rename(JsonNode node, string from, string to)
    {
        var target = node.AsObject();
        var value = target[from]!.DeepClone();
        target.Remove(from);
        target[to] = value;
    }
}
