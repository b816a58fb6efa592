namespace GenomeNode.Passport.Rdf;

/// <summary>A graph in the order its statements were added (which the writers keep), without duplicates.</summary>
public sealed class RdfGraph
{
    private readonly List<RdfTriple> triples = [];
    private readonly HashSet<RdfTriple> seen = [];
    private int blankNodes;

    public IReadOnlyList<RdfTriple> Triples => triples;

    public RdfGraph Add(RdfTerm subject, RdfIri predicate, RdfTerm value)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(value);
        if (subject is RdfLiteral)
        {
            throw new ArgumentException("a literal cannot be a subject", nameof(subject));
        }

        var triple = new RdfTriple(subject, predicate, value);
        if (seen.Add(triple))
        {
            triples.Add(triple);
        }

        return this;
    }

    /// <summary>A blank node not yet used in this graph.</summary>
    public RdfBlank NewBlank() => new($"b{++blankNodes}");
}
