namespace GenomeNode.DataUseOntology.Ontologies;

/// <summary>
/// Told after an ontology load commits (<see cref="OntologyStore.Replace"/>), in the process that loaded it: what other
/// modules hold of the ontologies (term labels, descendants) is to be dropped then. Registered as singletons.
/// </summary>
public interface IOntologyChangeListener
{
    void OntologyLoaded(string prefix);
}
