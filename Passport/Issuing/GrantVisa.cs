namespace GenomeNode.Passport.Issuing;

/// <summary>
/// A committee's grant as the <c>ControlledAccessGrants</c> visa this node signs for it (REMS' shape): <see cref="Value"/>
/// is the dataset id, <see cref="Source"/> the committee's id or URL, <see cref="Asserted"/> the grant's start and
/// <see cref="Expires"/> its end (the visa's <c>exp</c>).
/// </summary>
public sealed record GrantVisa(string Subject, string Value, string Source, DateTimeOffset Asserted, DateTimeOffset Expires);
