namespace GenomeNode.Passport.Issuing;

/// <summary>
/// The visas this node issues to a subject now (its committee's unexpired, unrevoked grants, signed), for the broker to
/// put into passports. The committee module implements it; the broker reads it, so neither references the other.
/// </summary>
public interface IIssuedVisas
{
    /// <param name="subject">the researcher's user id (the <c>sub</c> of the broker and the REMS user id)</param>
    /// <param name="issuer">the node's public URL (the visas' <c>iss</c>)</param>
    Task<IReadOnlyList<string>> ForSubjectAsync(string subject, string issuer, CancellationToken cancellationToken);
}
