using System.CommandLine;
using GenomeNode.Host.Admin;
using GenomeNode.Htsget.Registration;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node register reads|variants</c>.</summary>
internal static class RegisterCommands
{
    public static Command Create(GlobalOptions globals) =>
        new("register", "Register indexed read or variant files of a dataset for streaming over htsget.")
        {
            CreateKind(globals, HtsgetKind.Reads, "reads", "Register a BAM (with BAI or CSI) or CRAM (with CRAI) file."),
            CreateKind(globals, HtsgetKind.Variants, "variants", "Register a bgzipped VCF (with TBI or CSI) or BCF (with CSI) file."),
        };

    private static Command CreateKind(GlobalOptions globals, HtsgetKind kind, string name, string description)
    {
        var dataset = new Option<string>("--dataset") { Description = "Dataset the object belongs to", Required = true, HelpName = "ID" };
        var id = new Option<string>("--id")
        {
            Description = "Object id used in htsget URLs: letters, digits, '.', '_' and '-'; registering an id again replaces it",
            Required = true,
            HelpName = "OBJECT_ID",
        };
        var file = new Argument<FileInfo>("FILE") { Description = "The data file" };
        file.AcceptExistingOnly();
        var index = new Option<FileInfo>("--index") { Description = "Its index (default: beside FILE, e.g. FILE.bai)", HelpName = "FILE" };
        index.AcceptExistingOnly();
        var command = new Command(name,
            $"{description} Its header, block list and index are read once into the database; a missing or mismatched index is refused.")
        {
            dataset, id, index, file,
        };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, RegisterOperations.Register,
            new RegisterArguments(kind, parseResult.GetRequiredValue(dataset), parseResult.GetRequiredValue(id),
                parseResult.GetRequiredValue(file).FullName, parseResult.GetValue(index)?.FullName),
            cancellationToken));
        return command;
    }
}
