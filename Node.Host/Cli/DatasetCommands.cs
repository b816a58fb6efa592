using System.CommandLine;
using GenomeNode.Host.Admin;
using GenomeNode.Htsget.Access;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node dataset add|list|remove|use|update</c>.</summary>
internal static class DatasetCommands
{
    public static Command Create(GlobalOptions globals) =>
        new("dataset", "Manage the node's datasets: what data it holds and at which access tier.")
        {
            CreateAdd(globals),
            CreateList(globals),
            CreateRemove(globals),
            CreateUse(globals),
            CreateUpdate(globals),
        };

    private static Option<string> StreamingOption(string description)
    {
        var streaming = new Option<string>("--streaming") { Description = description, HelpName = "POLICY" };
        streaming.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, [.. StreamingPolicies.Names]);
        return streaming;
    }

    private const string StreamingDescription =
        "What the dataset's files may be downloaded as: any (plaintext or Crypt4GH), c4gh-only (Crypt4GH to the requester's key only) or none";

    private static Command CreateUpdate(GlobalOptions globals)
    {
        var id = IdOption("Id of the dataset");
        var streaming = StreamingOption(StreamingDescription);
        var command = new Command("update", "Change a dataset's settings.") { id, streaming };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, DatasetOperations.Update,
            new DatasetUpdateArguments(parseResult.GetRequiredValue(id), parseResult.GetValue(streaming)), cancellationToken));
        return command;
    }

    private static Command CreateAdd(GlobalOptions globals)
    {
        var id = IdOption("Dataset id: letters, digits, '.', '_' and '-'");
        var name = new Option<string>("--name") { Description = "Human-readable dataset name", Required = true, HelpName = "NAME" };
        var tier = new Option<string>("--tier")
        {
            Description = "Access tier: public (anyone), registered (Registered Access visas) or controlled (a grant per dataset)",
            Required = true,
            HelpName = "TIER",
        };
        tier.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, [.. AccessTiers.Names]);
        var description = new Option<string>("--description") { Description = "What the dataset holds", HelpName = "TEXT" };
        var visaValue = new Option<string>("--visa-value")
        {
            Description = "Controlled datasets: the value of the ControlledAccessGrants visa that grants access (a URL or URN of the DAC)",
            HelpName = "URN",
        };

        var streaming = StreamingOption(StreamingDescription + " (default: c4gh-only for controlled datasets, any for others)");
        var command = new Command("add", "Add a dataset to the catalog.") { id, name, tier, description, visaValue, streaming };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, DatasetOperations.Add,
            new DatasetAddArguments(
                parseResult.GetRequiredValue(id),
                parseResult.GetRequiredValue(name),
                parseResult.GetRequiredValue(tier),
                parseResult.GetValue(description),
                parseResult.GetValue(visaValue),
                parseResult.GetValue(streaming)),
            cancellationToken));
        return command;
    }

    private static Command CreateList(GlobalOptions globals)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table" };
        var command = new Command("list", "List the datasets with their access tiers.") { json };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, DatasetOperations.List, new DatasetListArguments(parseResult.GetValue(json)), cancellationToken));
        return command;
    }

    private static Command CreateRemove(GlobalOptions globals)
    {
        var id = IdOption("Id of the dataset to remove");
        var command = new Command("remove", "Remove a dataset from the catalog.") { id };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, DatasetOperations.Remove, new DatasetRemoveArguments(parseResult.GetRequiredValue(id)), cancellationToken));
        return command;
    }

    private static Command CreateUse(GlobalOptions globals)
    {
        var id = IdOption("Id of the dataset");
        var duo = new Option<string[]>("--duo")
        {
            Description = "DUO terms: exactly one data use permission (e.g. DUO:0000007 for DS) and any modifiers (e.g. DUO:0000045 NPU)",
            Required = true,
            HelpName = "TERM",
            AllowMultipleArgumentsPerToken = true,
        };
        var disease = new Option<string[]>("--disease")
        {
            Description = "Disease terms (e.g. MONDO:0007254) that disease specific research (DS) is restricted to",
            HelpName = "TERM",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("use",
            "Set a dataset's data-use conditions as DUO terms, replacing what it had; unknown, obsolete or wrong-kind terms are refused.")
        {
            id, duo, disease,
        };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, DatasetOperations.Use,
            new DatasetUseArguments(parseResult.GetRequiredValue(id), parseResult.GetRequiredValue(duo), parseResult.GetValue(disease) ?? []),
            cancellationToken));
        return command;
    }

    private static Option<string> IdOption(string description) =>
        new("--id") { Description = description, Required = true, HelpName = "ID" };
}
