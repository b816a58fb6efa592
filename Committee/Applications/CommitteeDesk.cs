using System.Text.Json.Nodes;
using GenomeNode.Committee.Workflow;
using GenomeNode.DataUseOntology.DataUse;
using GenomeNode.DataUseOntology.Matching;
using GenomeNode.DataUseOntology.Ontologies;
using GenomeNode.Passport.Datasets;
using Microsoft.Extensions.Options;

namespace GenomeNode.Committee.Applications;

/// <summary>The DUO match of an application's purpose against a dataset's conditions, as the committee sees it.</summary>
public sealed record DatasetMatch(string DatasetId, string Decision, IReadOnlyList<MatchReason> Reasons, string? Conditions);

/// <summary>
/// The committee's rules over the store: who may act on an application in which role, the commands of both sides
/// (the REMS API's and /dac's), and the DUO match. One per request (scoped).
/// </summary>
public sealed class CommitteeDesk(ApplicationStore store, IOptions<CommitteeOptions> options, Lazy<DatasetCatalog> catalog,
    Lazy<DatasetDataUse> dataUse, Lazy<OntologyStore> ontologies)
{
    public ApplicationStore Store => store;

    public CommitteeOptions Options => options.Value;

    /// <summary>The catalogue items of the configured datasets: id → dataset id (an item is made when a dataset is first configured).</summary>
    public Dictionary<long, string> CatalogueItems()
    {
        var handled = Options.HandledDatasets.ToHashSet(StringComparer.Ordinal);
        var items = store.CatalogueItems();
        if (!items.Values.ToHashSet(StringComparer.Ordinal).IsSupersetOf(handled))
        {
            store.EnsureCatalogueItems(handled.Except(items.Values, StringComparer.Ordinal));
            items = store.CatalogueItems();
        }

        return items.Where(item => handled.Contains(item.Value)).ToDictionary(item => item.Key, item => item.Value);
    }

    /// <summary>The committee deciding on an application: the one of its datasets (all of them share it; see Create).</summary>
    public CommitteeDefinition? CommitteeOf(ApplicationRecord application) =>
        application.Resources.Select(resource => Options.CommitteeFor(resource.DatasetId)).FirstOrDefault(committee => committee is not null);

    public static bool IsApplicantSide(ApplicationRecord application, string user) =>
        application.ApplicantSide.Contains(user, StringComparer.Ordinal);

    public bool IsCommitteeMember(ApplicationRecord application, string user) =>
        CommitteeOf(application)?.Members.Contains(user, StringComparer.Ordinal) == true;

    /// <summary>A committee sees an application once it was submitted: a draft is its applicant's own, as in REMS.</summary>
    public bool CommitteeMaySee(ApplicationRecord application, string user) =>
        application.FirstSubmittedAt is not null && IsCommitteeMember(application, user);

    /// <summary>Whether <paramref name="user"/> may see the application: its applicant side, or its committee once submitted.</summary>
    public bool MaySee(ApplicationRecord application, string user) => IsApplicantSide(application, user) || CommitteeMaySee(application, user);

    public static ApplicationRole? AsApplicant(ApplicationRecord application, string user) =>
        IsApplicantSide(application, user) ? ApplicationRole.Applicant : null;

    /// <summary>A committee member deciding: never on an application where they are the applicant or a member.</summary>
    public ApplicationRole? AsCommittee(ApplicationRecord application, string user) =>
        IsCommitteeMember(application, user) && !IsApplicantSide(application, user) ? ApplicationRole.Committee : null;

    /// <summary>Why <paramref name="user"/> may not decide on <paramref name="application"/>, for the 403 message.</summary>
    public string DecisionRefusal(ApplicationRecord application, string user) =>
        IsApplicantSide(application, user)
            ? $"{user} applied for application {application.Id} (as applicant or member) and may not decide on it"
            : $"{user} is not a member of the committee deciding on application {application.Id}"
              + (CommitteeOf(application) is { } committee ? $" ({committee.Id})" : "");

    // ---- committee commands

    public CommandOutcome Approve(long id, string actor, DateTimeOffset end, string? comment)
    {
        if (end <= store.Now)
        {
            return new CommandOutcome(CommandStatus.Invalid, "invalid-end", "the grant's end must be in the future");
        }

        var payload = new JsonObject { ["entitlement/end"] = end.UtcDateTime.ToString("O"), ["application/comment"] = comment ?? "" };
        return store.Change(id, actor, ApplicationCommand.Approve, application => AsCommittee(application, actor), payload,
            effect: (application, change) =>
            {
                var committee = CommitteeOf(application)!;
                payload["committee/id"] = committee.Id;
                foreach (var user in application.ApplicantSide)
                {
                    foreach (var resource in application.Resources)
                    {
                        change.AddGrant(application.Id, user, resource.DatasetId, committee.Id, end);
                    }
                }
            });
    }

    public CommandOutcome Reject(long id, string actor, string reason) =>
        store.Change(id, actor, ApplicationCommand.Reject, application => AsCommittee(application, actor),
            new JsonObject { ["application/comment"] = reason });

    public CommandOutcome Revoke(long id, string actor, string reason) =>
        store.Change(id, actor, ApplicationCommand.Revoke, application => AsCommittee(application, actor),
            new JsonObject { ["application/comment"] = reason },
            effect: (application, change) => change.RevokeGrants(application.Id, reason));

    // ---- DUO match

    /// <summary>Each dataset's conditions matched against the application's purpose (the data use module's rules).</summary>
    public IReadOnlyList<DatasetMatch> Match(ApplicationRecord application)
    {
        ArgumentNullException.ThrowIfNull(application);
        var (purpose, problem) = ResearchForm.ReadPurpose(application);
        var matches = new List<DatasetMatch>();
        foreach (var resource in application.Resources)
        {
            var conditions = dataUse.Value.Find(resource.DatasetId);
            if (conditions is null)
            {
                matches.Add(new DatasetMatch(resource.DatasetId, "ABSTAIN",
                    [new MatchReason("conditions", MatchDecision.Abstain, "no data-use conditions are recorded for this dataset: the committee decides alone")], null));
                continue;
            }

            if (purpose is null)
            {
                matches.Add(new DatasetMatch(resource.DatasetId, "ABSTAIN", [new MatchReason("purpose", MatchDecision.Abstain, problem!)],
                    DatasetDataUse.Describe(conditions)));
                continue;
            }

            try
            {
                var result = DataUseMatcher.Match(purpose, conditions, new StoredHierarchy(ontologies.Value));
                matches.Add(new DatasetMatch(resource.DatasetId, result.Decision.ToString().ToUpperInvariant(), result.Reasons, DatasetDataUse.Describe(conditions)));
            }
            catch (ArgumentException ex)
            {
                matches.Add(new DatasetMatch(resource.DatasetId, "ABSTAIN", [new MatchReason("purpose", MatchDecision.Abstain, ex.Message)],
                    DatasetDataUse.Describe(conditions)));
            }
        }

        return matches;
    }

    /// <summary>The dataset's name in the catalog (its id when the catalog does not hold it).</summary>
    public async Task<string> TitleAsync(string datasetId, CancellationToken cancellationToken) =>
        (await catalog.Value.FindAsync(datasetId, cancellationToken))?.Name ?? datasetId;

    /// <summary>The visa value that grants <paramref name="datasetId"/> here: the catalog's visa value, else the dataset id.</summary>
    public async Task<string> VisaValueAsync(string datasetId, CancellationToken cancellationToken) =>
        (await catalog.Value.FindAsync(datasetId, cancellationToken))?.VisaValue ?? datasetId;

    private sealed class StoredHierarchy(OntologyStore ontologies) : IDiseaseHierarchy
    {
        public bool IsSameOrDescendant(string term, string ancestor) => ontologies.IsSameOrDescendant(term, ancestor);
    }
}
