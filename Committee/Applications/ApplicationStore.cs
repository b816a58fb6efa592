using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using GenomeNode.Committee.Workflow;
using GenomeNode.Storage;

namespace GenomeNode.Committee.Applications;

/// <summary>
/// The committee's tables: users, catalogue items, applications with their events, attachments and grants. Every change
/// of an application is one transaction that claims its row at the version it read (<see cref="ChangeAsync"/>), so of
/// two concurrent changes exactly one is committed and the other reports <see cref="CommandStatus.Conflict"/>.
/// </summary>
public sealed class ApplicationStore(DuckDBConnection connection, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DateTimeOffset Now => TruncateToMicroseconds(time.GetUtcNow());

    // ---- users

    public void UpsertUser(string userId, string? name, string? email) =>
        connection.Execute(
            "INSERT INTO committee.users (user_id, name, email, updated_at) VALUES ($1, $2, $3, $4) " +
            "ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, email = excluded.email, updated_at = excluded.updated_at",
            userId, name, email, Now);

    public UserInfo User(string userId) =>
        connection.Read("SELECT name, email FROM committee.users WHERE user_id = $1", row => new UserInfo(userId, NullableString(row, 0), NullableString(row, 1)), userId)
            .FirstOrDefault() ?? new UserInfo(userId, null, null);

    // ---- catalogue items

    /// <summary>Makes sure each dataset has its catalogue item (ids from a sequence; a concurrent insert of the same dataset is ignored).</summary>
    public void EnsureCatalogueItems(IEnumerable<string> datasets)
    {
        foreach (var dataset in datasets)
        {
            try
            {
                connection.Execute(
                    "INSERT INTO committee.catalogue_items (id, dataset_id, created_at) " +
                    "SELECT nextval('committee.catalogue_item_ids'), $1, $2 WHERE NOT EXISTS (SELECT 1 FROM committee.catalogue_items WHERE dataset_id = $1) " +
                    "ON CONFLICT (dataset_id) DO NOTHING",
                    dataset, Now);
            }
            catch (DuckDBException ex) when (IsConflict(ex) || ex.Message.Contains("constraint", StringComparison.OrdinalIgnoreCase))
            {
                // A concurrent request made the item first: the unique dataset id kept it one.
            }
        }
    }

    /// <summary>When each catalogue item was made (its REMS <c>start</c>).</summary>
    public Dictionary<long, DateTimeOffset> CatalogueItemStarts() =>
        connection.Read("SELECT id, created_at FROM committee.catalogue_items", row => (row.GetInt64(0), Time(row, 1)))
            .ToDictionary(item => item.Item1, item => item.Item2);

    /// <summary>Every catalogue item: id → dataset id.</summary>
    public Dictionary<long, string> CatalogueItems() =>
        connection.Read("SELECT id, dataset_id FROM committee.catalogue_items ORDER BY id", row => (row.GetInt64(0), row.GetString(1)))
            .ToDictionary(item => item.Item1, item => item.Item2);

    // ---- applications

    /// <summary>Creates a draft for <paramref name="applicant"/> over the given catalogue items; returns its id.</summary>
    public long Create(string applicant, IReadOnlyList<ApplicationResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        using var transaction = connection.BeginTransaction();
        var now = Now;
        var id = Convert.ToInt64(connection.Scalar("SELECT nextval('committee.application_ids')"), CultureInfo.InvariantCulture);
        connection.Execute(
            "INSERT INTO committee.applications (id, applicant, state, created_at, modified_at, version, field_values, accepted_licenses) " +
            "VALUES ($1, $2, $3, $4, $4, 1, '[]', '{}')",
            id, applicant, ApplicationWorkflow.Name(ApplicationState.Draft), now);
        foreach (var resource in resources)
        {
            connection.Execute("INSERT INTO committee.application_resources (application_id, catalogue_item_id, dataset_id) VALUES ($1, $2, $3)",
                id, resource.CatalogueItemId, resource.DatasetId);
        }

        AppendEvent(id, applicant, now, "application.event/created",
            new JsonObject { ["catalogue-item-ids"] = new JsonArray([.. resources.Select(resource => (JsonNode)resource.CatalogueItemId)]) });
        transaction.Commit();
        return id;
    }

    public ApplicationRecord? Find(long id)
    {
        var row = connection.Read(
            "SELECT applicant, state, created_at, modified_at, first_submitted_at, version, field_values, accepted_licenses " +
            "FROM committee.applications WHERE id = $1",
            reader => (Applicant: reader.GetString(0), State: reader.GetString(1), Created: Time(reader, 2), Modified: Time(reader, 3),
                FirstSubmitted: reader.IsDBNull(4) ? (DateTimeOffset?)null : Time(reader, 4), Version: reader.GetInt64(5),
                Fields: reader.GetString(6), Licenses: reader.GetString(7)),
            id).FirstOrDefault();
        if (row.Applicant is null)
        {
            return null;
        }

        var resources = connection.Read(
            "SELECT catalogue_item_id, dataset_id FROM committee.application_resources WHERE application_id = $1 ORDER BY catalogue_item_id",
            reader => new ApplicationResource(reader.GetInt64(0), reader.GetString(1)), id);
        var members = connection.Read(
            "SELECT name, email, user_id FROM committee.application_members WHERE application_id = $1 ORDER BY position",
            reader => new InvitedMember(reader.GetString(0), reader.GetString(1), NullableString(reader, 2)), id);
        var attachments = connection.Read(
            "SELECT id, filename, content_type, uploaded_by, uploaded_at FROM committee.attachments WHERE application_id = $1 ORDER BY id",
            reader => new AttachmentInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Time(reader, 4)), id);
        return new ApplicationRecord(
            id, row.Applicant, ApplicationWorkflow.Parse(row.State) ?? throw new InvalidDataException($"application {id} has the unknown state '{row.State}'"),
            row.Created, row.Modified, row.FirstSubmitted, row.Version,
            JsonSerializer.Deserialize<List<FieldValue>>(row.Fields, Json) ?? [],
            JsonSerializer.Deserialize<Dictionary<string, List<long>>>(row.Licenses, Json)?
                .ToDictionary(pair => pair.Key, pair => (IReadOnlyList<long>)pair.Value, StringComparer.Ordinal)
                ?? new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal),
            resources, members, attachments);
    }

    /// <summary>Ids of the applications where <paramref name="user"/> is the applicant or a joined member, newest first.</summary>
    public List<long> IdsOf(string user) =>
        connection.Read(
            "SELECT id FROM committee.applications WHERE applicant = $1 " +
            "UNION SELECT application_id FROM committee.application_members WHERE user_id = $1 ORDER BY 1 DESC",
            reader => reader.GetInt64(0), user);

    /// <summary>Ids of the applications that ask for any of <paramref name="datasets"/>, newest first.</summary>
    public List<long> IdsFor(IReadOnlyCollection<string> datasets)
    {
        if (datasets.Count == 0)
        {
            return [];
        }

        // One positional parameter per dataset: the values never enter the SQL text.
        var placeholders = string.Join(", ", datasets.Select((_, i) => $"${i + 1}"));
        return connection.Read(
            $"SELECT DISTINCT application_id FROM committee.application_resources WHERE dataset_id IN ({placeholders}) ORDER BY 1 DESC",
            reader => reader.GetInt64(0), [.. datasets]);
    }

    public List<ApplicationEvent> Events(long applicationId) =>
        connection.Read(
            "SELECT id, application_id, actor, occurred_at, type, payload FROM committee.events WHERE application_id = $1 ORDER BY id",
            reader => new ApplicationEvent(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), Time(reader, 3), reader.GetString(4),
                JsonNode.Parse(reader.GetString(5))!.AsObject()),
            applicationId);

    /// <summary>
    /// Runs <paramref name="command"/> on the application in one transaction: the row is read, <paramref name="roleOf"/>
    /// says in which role <paramref name="actor"/> acts (null: none, forbidden), the workflow says whether the command is
    /// allowed in the state, <paramref name="check"/> may refuse it, <paramref name="effect"/> writes what it changes
    /// beside the state, the row is claimed at the version read, and the event is appended.
    /// </summary>
    public CommandOutcome Change(
        long id, string actor, ApplicationCommand command, Func<ApplicationRecord, ApplicationRole?> roleOf, JsonObject payload,
        Func<ApplicationRecord, CommandOutcome?>? check = null, Action<ApplicationRecord, ChangeContext>? effect = null)
    {
        ArgumentNullException.ThrowIfNull(roleOf);
        ArgumentNullException.ThrowIfNull(payload);
        try
        {
            using var transaction = connection.BeginTransaction();
            if (Find(id) is not { } application)
            {
                return new CommandOutcome(CommandStatus.NotFound, "application-not-found", $"application {id} does not exist");
            }

            if (roleOf(application) is not { } role)
            {
                return new CommandOutcome(CommandStatus.Forbidden, "forbidden", $"{actor} may not {ApplicationWorkflow.CommandName(command)} application {id}");
            }

            if (ApplicationWorkflow.Next(application.State, command, role) is not { } next)
            {
                return new CommandOutcome(CommandStatus.WrongState, "forbidden",
                    $"application {id} is {ApplicationWorkflow.Name(application.State)}: it cannot be {ApplicationWorkflow.CommandName(command)} now");
            }

            if (check?.Invoke(application) is { } refused)
            {
                return refused;
            }

            var now = Now;
            effect?.Invoke(application, new ChangeContext(connection, now, actor, payload));
            var claimed = connection.Execute(
                "UPDATE committee.applications SET state = $1, modified_at = $2, version = version + 1, " +
                "first_submitted_at = CASE WHEN $3 AND first_submitted_at IS NULL THEN $2 ELSE first_submitted_at END " +
                "WHERE id = $4 AND version = $5",
                ApplicationWorkflow.Name(next), now, command == ApplicationCommand.Submit, id, application.Version);
            if (claimed != 1)
            {
                return Conflict(id);
            }

            AppendEvent(id, actor, now, ApplicationWorkflow.EventType(command), payload);
            transaction.Commit();
            return CommandOutcome.Done;
        }
        catch (DuckDBException ex) when (IsConflict(ex))
        {
            return Conflict(id);
        }
    }

    private static CommandOutcome Conflict(long id) =>
        new(CommandStatus.Conflict, "conflict", $"application {id} was changed by another request at the same time; read it again");

    /// <summary>DuckDB's refusal of a write to a row another open transaction changed.</summary>
    private static bool IsConflict(DuckDBException exception) =>
        exception.Message.Contains("conflict", StringComparison.OrdinalIgnoreCase);

    private void AppendEvent(long applicationId, string actor, DateTimeOffset at, string type, JsonObject payload) =>
        connection.Execute(
            "INSERT INTO committee.events (id, application_id, actor, occurred_at, type, payload) VALUES (nextval('committee.event_ids'), $1, $2, $3, $4, $5)",
            applicationId, actor, at, type, payload.ToJsonString());

    // ---- attachments

    public (AttachmentInfo Info, long ApplicationId, byte[] Content)? Attachment(long id) =>
        connection.Read(
            "SELECT id, filename, content_type, uploaded_by, uploaded_at, application_id, content FROM committee.attachments WHERE id = $1",
            reader => ((AttachmentInfo Info, long ApplicationId, byte[] Content)?)(
                new AttachmentInfo(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Time(reader, 4)),
                reader.GetInt64(5), ReadBlob(reader, 6)),
            id).FirstOrDefault();

    private static byte[] ReadBlob(DbDataReader reader, int ordinal)
    {
        using var stream = reader.GetStream(ordinal);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    // ---- grants

    /// <summary>Grants of <paramref name="user"/> (all users when null); unless <paramref name="expired"/>, only those valid now.</summary>
    public List<GrantRecord> Grants(string? user, bool expired, string? dataset = null)
    {
        var now = Now;
        return connection.Read(
            "SELECT id, application_id, user_id, dataset_id, committee_id, start_at, end_at, approved_by, revoked_at, revoked_by, revoke_reason " +
            "FROM committee.grants WHERE ($1 IS NULL OR user_id = $1) AND ($2 IS NULL OR dataset_id = $2) " +
            "AND ($3 OR (revoked_at IS NULL AND end_at > $4 AND start_at <= $4)) ORDER BY id",
            ReadGrant, user, dataset, expired, now);
    }

    public List<GrantRecord> GrantsOf(long applicationId) =>
        connection.Read(
            "SELECT id, application_id, user_id, dataset_id, committee_id, start_at, end_at, approved_by, revoked_at, revoked_by, revoke_reason " +
            "FROM committee.grants WHERE application_id = $1 ORDER BY id",
            ReadGrant, applicationId);

    private static GrantRecord ReadGrant(DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), Time(reader, 5), Time(reader, 6),
        reader.GetString(7), reader.IsDBNull(8) ? null : Time(reader, 8), NullableString(reader, 9), NullableString(reader, 10));

    internal static DateTimeOffset Time(DbDataReader reader, int ordinal) => reader.GetValue(ordinal) switch
    {
        DateTimeOffset value => value.ToUniversalTime(),
        DateTime value => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
        var other => throw new InvalidDataException($"unexpected time value {other}"),
    };

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>DuckDB keeps microseconds: times are cut to them once, so what is answered equals what is stored.</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) => new(value.Ticks - (value.Ticks % 10), value.Offset);

    public static string Sha256Hex(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));
}

/// <summary>What a command's effect may write with, inside the command's transaction.</summary>
public sealed record ChangeContext(DuckDBConnection Connection, DateTimeOffset Now, string Actor, JsonObject Payload)
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    public void SetFieldValues(long applicationId, IReadOnlyList<FieldValue> values) =>
        Connection.Execute("UPDATE committee.applications SET field_values = $1 WHERE id = $2",
            JsonSerializer.Serialize(values, WebJson), applicationId);

    public void SetAcceptedLicenses(long applicationId, IReadOnlyDictionary<string, IReadOnlyList<long>> accepted) =>
        Connection.Execute("UPDATE committee.applications SET accepted_licenses = $1 WHERE id = $2",
            JsonSerializer.Serialize(accepted), applicationId);

    public void AddMember(long applicationId, int position, string name, string email) =>
        Connection.Execute(
            "INSERT INTO committee.application_members (application_id, position, name, email, invited_by, invited_at) VALUES ($1, $2, $3, $4, $5, $6)",
            applicationId, position, name, email, Actor, Now);

    public long AddAttachment(long applicationId, string filename, string contentType, byte[] content)
    {
        var id = Convert.ToInt64(Connection.Scalar("SELECT nextval('committee.attachment_ids')"), CultureInfo.InvariantCulture);
        Connection.Execute(
            "INSERT INTO committee.attachments (id, application_id, filename, content_type, content, sha256, uploaded_by, uploaded_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            id, applicationId, filename, contentType, content, ApplicationStore.Sha256Hex(content), Actor, Now);
        return id;
    }

    public void AddGrant(long applicationId, string user, string dataset, string committee, DateTimeOffset end) =>
        Connection.Execute(
            "INSERT INTO committee.grants (id, application_id, user_id, dataset_id, committee_id, start_at, end_at, approved_by) " +
            "VALUES (nextval('committee.grant_ids'), $1, $2, $3, $4, $5, $6, $7)",
            applicationId, user, dataset, committee, Now, end, Actor);

    public void RevokeGrants(long applicationId, string reason) =>
        Connection.Execute(
            "UPDATE committee.grants SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 WHERE application_id = $4 AND revoked_at IS NULL",
            Now, Actor, reason, applicationId);
}
