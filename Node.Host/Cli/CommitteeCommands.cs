using System.CommandLine;
using GenomeNode.Committee.Rems;
using GenomeNode.Host.Admin;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node committee api-key add|list|revoke</c>.</summary>
internal static class CommitteeCommands
{
    public static Command Create(GlobalOptions globals) =>
        new("committee", "The data access committee's REMS-compatible API.")
        {
            new Command("api-key", "API keys for the REMS-compatible API (x-rems-api-key).")
            {
                CreateAdd(globals),
                CreateList(globals),
                CreateRevoke(globals),
            },
        };

    private static Command CreateAdd(GlobalOptions globals)
    {
        var comment = new Option<string>("--comment") { Description = "Who uses the key (e.g. 'GDI access management service')", Required = true };
        var roles = new Option<string[]>("--role")
        {
            Description = $"A role of the key: {ApiKeys.UserOwner} (may create users), {ApiKeys.Reporter} (reads anyone's entitlements and permissions), {ApiKeys.Dac} (acts on /dac for a committee member)",
            AllowMultipleArgumentsPerToken = false,
        };
        roles.AcceptOnlyFromAmong([.. ApiKeys.KnownRoles]);
        var command = new Command("add", "Make an API key and print it once (only its SHA-256 is stored).") { comment, roles };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, CommitteeOperations.AddKey,
            new ApiKeyAddArguments(parseResult.GetRequiredValue(comment), parseResult.GetValue(roles) ?? []), cancellationToken));
        return command;
    }

    private static Command CreateList(GlobalOptions globals)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table" };
        var command = new Command("list", "List the API keys (never the keys themselves).") { json };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, CommitteeOperations.ListKeys, new ApiKeyListArguments(parseResult.GetValue(json)), cancellationToken));
        return command;
    }

    private static Command CreateRevoke(GlobalOptions globals)
    {
        var id = new Argument<long>("ID") { Description = "The key's id, as listed" };
        var command = new Command("revoke", "Revoke an API key: requests with it are refused from now on.") { id };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, CommitteeOperations.RevokeKey, new ApiKeyRevokeArguments(parseResult.GetRequiredValue(id)), cancellationToken));
        return command;
    }
}
