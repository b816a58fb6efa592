using System.CommandLine;
using GenomeNode.Host.Admin;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node keys list|rotate|c4gh</c>: the node's own signing keys (its visas, its broker's tokens) and its Crypt4GH key.</summary>
internal static class KeyCommands
{
    public static Command Create(GlobalOptions globals) =>
        new("keys", "Manage the node's own keys: the signing keys (RS256) of its visas and its broker's tokens, and its Crypt4GH key for files at rest.")
        {
            CreateList(globals),
            CreateRotate(globals),
            CreateCrypt4gh(globals),
        };

    private static Command CreateCrypt4gh(GlobalOptions globals)
    {
        var init = new Command("init",
            "Create the node's Crypt4GH key pair (X25519), which files stored encrypted are encrypted to; refused when it has one.");
        init.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, KeyOperations.Crypt4ghInit, new KeysCrypt4ghArguments(), cancellationToken));
        var show = new Command("show", "Print the node's Crypt4GH public key (encrypt files to it with crypt4gh encrypt --recipient_pk).");
        show.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, KeyOperations.Crypt4ghShow, new KeysCrypt4ghArguments(), cancellationToken));
        return new Command("c4gh", "The node's Crypt4GH key pair for files at rest (also served at /.well-known/c4gh-recipient).") { init, show };
    }

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
