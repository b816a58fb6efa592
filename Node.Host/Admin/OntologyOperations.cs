using System.Globalization;
using System.Text;
using System.Text.Json;
using GenomeNode.DataUseOntology.Ontologies;

namespace GenomeNode.Host.Admin;

public sealed record OntologyLoadArguments(string Path, string? Prefix);

public sealed record OntologyListArguments(bool Json);

/// <summary>The <c>ontology load|list</c> operations over the DataUseOntology module's store.</summary>
internal static class OntologyOperations
{
    public const string Load = "ontology.load";
    public const string List = "ontology.list";

    public static Task<OperationResult> LoadAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<OntologyLoadArguments>(arguments);
        var store = services.GetRequiredService<OntologyStore>();
        try
        {
            var known = store.List().Select(ontology => ontology.Prefix).ToHashSet(StringComparer.Ordinal);
            var graph = OntologyFiles.Parse(request.Path, request.Prefix, known);
            var loaded = store.Replace(graph, Path.GetFileName(request.Path));
            var edges = graph.Edges.Count(edge => edge.Relation == OntologyEdge.IsA);
            return Task.FromResult(OperationResult.Ok(
                $"loaded {loaded.Prefix} from {loaded.Source}: {loaded.TermCount} terms, {edges} is_a edges" +
                (loaded.Version is null ? "" : $", version {loaded.Version}")));
        }
        catch (OntologyFormatException ex)
        {
            return Task.FromResult(OperationResult.Fail($"{ex.Message}; nothing was changed"));
        }
    }

    public static Task<OperationResult> ListAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<OntologyListArguments>(arguments);
        var ontologies = services.GetRequiredService<OntologyStore>().List();
        if (request.Json)
        {
            return Task.FromResult(OperationResult.Ok(JsonSerializer.Serialize(ontologies, NodeOperations.Json)));
        }

        var table = new StringBuilder("PREFIX".PadRight(12) + "TERMS".PadLeft(8) + "  FORMAT  SOURCE");
        foreach (var ontology in ontologies)
        {
            table.Append(CultureInfo.InvariantCulture,
                $"\n{ontology.Prefix,-12}{ontology.TermCount,8}  {ontology.Format,-6}  {ontology.Source}{(ontology.Version is null ? "" : $" ({ontology.Version})")}");
        }

        return Task.FromResult(OperationResult.Ok(table.ToString()));
    }
}
