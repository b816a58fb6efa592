namespace GenomeNode.Passport.Clearinghouse;

/// <summary>
/// Which (sub, iss) identities are the passport holder's: the passport's own, and whatever accepted LinkedIdentities
/// visas link to it, followed in chains. A LinkedIdentities visa states that its own identity and every identity it
/// lists are one person, so it links in both directions. The same <c>sub</c> at another issuer is another identity
/// (AAI identities are pairs), except at a visa issuer configured to use a broker's subject identifiers
/// (<see cref="TrustedVisaIssuerOptions.SubjectsOfBroker"/>), whose (sub, issuer) is (sub, that broker).
/// </summary>
public static class LinkedIdentities
{
    /// <param name="subjectSharingIssuers">visa issuers whose <c>sub</c> is a broker's subject, mapped to that broker</param>
    public static HashSet<(string Subject, string Issuer)> Closure(
        string subject, string issuer, IEnumerable<AcceptedVisa> visas, IReadOnlyDictionary<string, string> subjectSharingIssuers)
    {
        ArgumentNullException.ThrowIfNull(visas);
        ArgumentNullException.ThrowIfNull(subjectSharingIssuers);
        var holder = new HashSet<(string, string)> { Identity(subject, issuer, subjectSharingIssuers) };
        var groups = visas
            .Where(v => v.Visa.Type == Visas.VisaTypes.LinkedIdentities)
            .Select(v => TryParse(v.Visa.Value, out var listed)
                ? listed.Append((v.Subject, v.Issuer)).Select(i => Identity(i.Item1, i.Item2, subjectSharingIssuers)).ToList()
                : null)
            .OfType<List<(string, string)>>()
            .ToList();
        bool grew;
        do
        {
            grew = false;
            foreach (var group in groups)
            {
                if (group.Any(holder.Contains))
                {
                    foreach (var identity in group)
                    {
                        grew |= holder.Add(identity);
                    }
                }
            }
        }
        while (grew);
        return holder;
    }

    /// <summary>The identity (sub, iss) stands for: the broker's when the issuer uses that broker's subject identifiers.</summary>
    public static (string Subject, string Issuer) Identity(string subject, string issuer, IReadOnlyDictionary<string, string> subjectSharingIssuers)
    {
        ArgumentNullException.ThrowIfNull(subjectSharingIssuers);
        return (subject, subjectSharingIssuers.TryGetValue(issuer, out var broker) ? broker : issuer);
    }

    /// <summary>
    /// Parses a LinkedIdentities value: <c>uri-encoded-sub,uri-encoded-iss</c> entries separated by <c>;</c>.
    /// </summary>
    public static bool TryParse(string value, out List<(string Subject, string Issuer)> identities)
    {
        ArgumentNullException.ThrowIfNull(value);
        identities = [];
        foreach (var entry in value.Split(';'))
        {
            var parts = entry.Split(',');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                return false;
            }

            identities.Add((Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1])));
        }

        return identities.Count > 0;
    }
}
