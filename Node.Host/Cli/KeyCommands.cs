using System.CommandLine;
using GenomeNode.Host.Admin;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node keys list|rotate</c>: the node's own signing keys (its visas, its broker's tokens).</summary>
internal static class KeyCommands
{
    public static Command Create(GlobalOptions globals) =>
        new("keys", "Manage the node's own signing keys (RS256), which sign its visas and its broker's tokens.")
        {
            CreateList(globals),
            CreateRotate(globals),
        };

    private static Command CreateList(GlobalOptions globals)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table" };
        var command = new Command("list", "List the signing keys, current first: kid, created, retired, and until when each is published.") { json };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, KeyOperations.List, new KeysListArguments(parseResult.GetValue(json)), cancellationToken));
        return command;
    }

    private static Command CreateRotate(GlobalOptions globals)
    {
        var command = new Command("rotate",
            "Add a new signing key and retire the current one; a serving node signs with the new key at once. The retired key stays published until everything it signed has expired.");
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, KeyOperations.Rotate, new KeysRotateArguments(), cancellationToken));
        return command;
    }
}
