using GenomeNode.Storage;

namespace GenomeNode.DataUseOntology.DataUse;

/// <summary>
/// Datasets' data-use views as <c>/dataUse/datasets/{id}</c> answers them, held until a dataset's conditions or an
/// ontology change (both commit through <see cref="DataUseDatasetData"/> or <see cref="Ontologies.OntologyStore"/>,
/// which drop them): the view costs two database reads and changes only with <c>dataset use</c> or <c>ontology load</c>.
/// </summary>
public sealed class DataUseViews
{
    private readonly HeldUntilChange<string, DatasetDataUseView?> views = new(StringComparer.Ordinal);

    /// <summary>The dataset's view (null: no conditions), built by <paramref name="build"/> when not held.</summary>
    public DatasetDataUseView? Get(string datasetId, Func<DatasetDataUseView?> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return views.Get(datasetId, _ => build());
    }

    /// <summary>Drops every view; called after a change commits.</summary>
    public void Invalidate() => views.Invalidate();
}
