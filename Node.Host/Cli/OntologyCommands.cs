using System.CommandLine;
using GenomeNode.Host.Admin;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node ontology load|list</c>.</summary>
internal static class OntologyCommands
{
    public static Command Create(GlobalOptions globals) =>
        new("ontology", "Load and list ontologies (OBO or OWL) used for data-use conditions and filter term expansion.")
        {
            CreateLoad(globals),
            CreateList(globals),
        };

    private static Command CreateLoad(GlobalOptions globals)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "An OBO (1.2/1.4) or OWL RDF/XML file" };
        file.AcceptExistingOnly();
        var prefix = new Option<string>("--prefix")
        {
            Description = "The ontology's own id prefix (e.g. HP); by default the prefix most of its terms use",
            HelpName = "PREFIX",
        };
        var command = new Command("load",
            "Load an ontology, replacing one loaded before under the same prefix; a malformed file changes nothing.")
        {
            file, prefix,
        };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, OntologyOperations.Load,
            new OntologyLoadArguments(parseResult.GetRequiredValue(file).FullName, parseResult.GetValue(prefix)),
            cancellationToken));
        return command;
    }

    private static Command CreateList(GlobalOptions globals)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table" };
        var command = new Command("list", "List the loaded ontologies with their term counts and versions.") { json };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, OntologyOperations.List, new OntologyListArguments(parseResult.GetValue(json)), cancellationToken));
        return command;
    }
}
