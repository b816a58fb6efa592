namespace GenomeNode.DataUseOntology.DataUse;

/// <summary>
/// Datasets' data-use views as <c>/dataUse/datasets/{id}</c> answers them, held until a dataset's conditions or an
/// ontology change (both commit through <see cref="DataUseDatasetData"/> or <see cref="Ontologies.OntologyStore"/>,
/// which drop them): the view costs two database reads and changes only with <c>dataset use</c> or <c>ontology load</c>.
/// </summary>
public sealed class DataUseViews
{
    private readonly Lock gate = new();
    private Dictionary<string, DatasetDataUseView?> views = new(StringComparer.Ordinal);
    private long generation;

    /// <summary>The dataset's view (null: no conditions), built by <paramref name="build"/> when not held.</summary>
    public DatasetDataUseView? Get(string datasetId, Func<DatasetDataUseView?> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        long seen;
        lock (gate)
        {
            if (views.TryGetValue(datasetId, out var held))
            {
                return held;
            }

            seen = generation;
        }

        var view = build();
        lock (gate)
        {
            // Kept only if nothing changed while it was built.
            if (seen == generation)
            {
                views[datasetId] = view;
            }
        }

        return view;
    }

    /// <summary>Drops every view; called after a change commits.</summary>
    public void Invalidate()
    {
        lock (gate)
        {
            generation++;
            views = new(StringComparer.Ordinal);
        }
    }
}
