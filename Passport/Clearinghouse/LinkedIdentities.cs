namespace GenomeNode.Passport.Clearinghouse;

/// <summary>
/// Which (sub, iss) identities are the passport holder's: the passport's own, every identity with the passport's
/// <c>sub</c>, and whatever accepted LinkedIdentities visas link to those, followed in chains. A LinkedIdentities visa
/// states that its own identity and every identity it lists are one person, so it links in both directions.
/// </summary>
public static class LinkedIdentities
{
    public static HashSet<(string Subject, string Issuer)> Closure(string subject, string issuer, IEnumerable<AcceptedVisa> visas)
    {
        ArgumentNullException.ThrowIfNull(visas);
        var all = visas.ToList();
        var holder = new HashSet<(string, string)> { (subject, issuer) };
        foreach (var visa in all.Where(v => string.Equals(v.Subject, subject, StringComparison.Ordinal)))
        {
            holder.Add((visa.Subject, visa.Issuer));
        }

        var groups = all
            .Where(v => v.Visa.Type == Visas.VisaTypes.LinkedIdentities)
            .Select(v => TryParse(v.Visa.Value, out var listed) ? listed.Append((v.Subject, v.Issuer)).ToList() : null)
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
