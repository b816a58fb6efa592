using System.CommandLine;
using GenomeNode.Host.Admin;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node dataset add|list|remove</c>.</summary>
internal static class DatasetCommands
{
    public static Command Create(GlobalOptions globals) =>
        new("dataset", "Manage the node's datasets: what data it holds and at which access tier.")
        {
            CreateAdd(globals),
            CreateList(globals),
            CreateRemove(globals),
        };

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

        var command = new Command("add", "Add a dataset to the catalog.") { id, name, tier, description };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, DatasetOperations.Add,
            new DatasetAddArguments(
                parseResult.GetRequiredValue(id),
                parseResult.GetRequiredValue(name),
                parseResult.GetRequiredValue(tier),
                parseResult.GetValue(description)),
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

    private static Option<string> IdOption(string description) =>
        new("--id") { Description = description, Required = true, HelpName = "ID" };
}
