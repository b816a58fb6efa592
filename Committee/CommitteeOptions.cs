using Microsoft.Extensions.Options;

namespace GenomeNode.Committee;

/// <summary>A data access committee: who decides, for which datasets (configured, <c>Committee:Committees:N:*</c>).</summary>
public sealed class CommitteeDefinition
{
    /// <summary>The committee's id (or URL): the <c>source</c> of the visas its grants become.</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>User ids (REMS user ids, passport <c>sub</c>s) of the members who approve, reject and revoke.</summary>
    public List<string> Members { get; set; } = [];

    /// <summary>Ids of the catalog's datasets this committee decides on (each dataset has at most one committee).</summary>
    public List<string> Datasets { get; set; } = [];

    /// <summary>
    /// This committee as configuration keys at position <paramref name="index"/> (<c>Committee:Committees:{index}:*</c>),
    /// to seed a node's settings (a demo, a test) the way an operator configures one.
    /// </summary>
    public Dictionary<string, string?> ToSettings(int index)
    {
        var prefix = $"{CommitteeOptions.Section}:Committees:{index}";
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal) { [$"{prefix}:Id"] = Id, [$"{prefix}:Name"] = Name };
        for (var i = 0; i < Members.Count; i++)
        {
            settings[$"{prefix}:Members:{i}"] = Members[i];
        }

        for (var i = 0; i < Datasets.Count; i++)
        {
            settings[$"{prefix}:Datasets:{i}"] = Datasets[i];
        }

        return settings;
    }
}

/// <summary>The committee module's settings (section <c>Committee</c>).</summary>
public sealed class CommitteeOptions
{
    public const string Section = "Committee";

    public List<CommitteeDefinition> Committees { get; set; } = [];

    /// <summary>The terms of use every applicant accepts before submitting (REMS license 1, type text).</summary>
    public string LicenseTitle { get; set; } = "Terms of use";

    public string LicenseText { get; set; } =
        "I will use the data only for the research purpose stated in this application, keep it secure, not try to identify " +
        "individuals, and delete it when access ends.";

    /// <summary>The largest attachment accepted (bytes); larger uploads are refused with 413 as REMS does.</summary>
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The committee deciding on <paramref name="datasetId"/>, or null.</summary>
    public CommitteeDefinition? CommitteeFor(string datasetId) =>
        Committees.FirstOrDefault(committee => committee.Datasets.Contains(datasetId, StringComparer.Ordinal));

    /// <summary>Every dataset some committee decides on.</summary>
    public IEnumerable<string> HandledDatasets => Committees.SelectMany(committee => committee.Datasets).Distinct(StringComparer.Ordinal);
}

internal sealed class CommitteeOptionsValidator : IValidateOptions<CommitteeOptions>
{
    public ValidateOptionsResult Validate(string? name, CommitteeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxAttachmentBytes < 1)
        {
            failures.Add("Committee:MaxAttachmentBytes must be positive");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Committees.Count; i++)
        {
            var committee = options.Committees[i];
            if (string.IsNullOrWhiteSpace(committee.Id))
            {
                failures.Add($"Committee:Committees:{i}:Id is required");
                continue;
            }

            if (!ids.Add(committee.Id))
            {
                failures.Add($"Committee:Committees:{i}:Id '{committee.Id}' is given twice");
            }

            if (committee.Members.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"Committee:Committees:{i}:Members holds an empty user id");
            }

            foreach (var dataset in committee.Datasets)
            {
                if (string.IsNullOrWhiteSpace(dataset))
                {
                    failures.Add($"Committee:Committees:{i}:Datasets holds an empty dataset id");
                }
                else if (owners.TryGetValue(dataset, out var owner) && owner != committee.Id)
                {
                    failures.Add($"dataset '{dataset}' has two committees ({owner} and {committee.Id}); give each dataset one");
                }
                else
                {
                    owners[dataset] = committee.Id;
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
