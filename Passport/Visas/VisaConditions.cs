using System.Text.Json;

namespace GenomeNode.Passport.Visas;

/// <summary>
/// The <c>conditions</c> claim of a visa: alternatives (OR) of clause lists (AND); the visa holds only when
/// <see cref="IsMetBy"/> is true for the other visas of the passport.
/// </summary>
/// <remarks>
/// Strictness where the spec is silent: an empty outer list is refused by <see cref="TryParse"/> (an empty OR can
/// never be met), and so is an empty inner list (an empty AND would be met by any passport, which would turn a
/// conditional visa into an unconditional one). Either way the clearinghouse rejects the visa.
/// </remarks>
public sealed class VisaConditions
{
    private VisaConditions(IReadOnlyList<IReadOnlyList<ConditionClause>> alternatives) => Alternatives = alternatives;

    /// <summary>The OR list; each entry is an AND list of clauses. Never empty, nor is any entry.</summary>
    public IReadOnlyList<IReadOnlyList<ConditionClause>> Alternatives { get; }

    /// <summary>
    /// Reads the <c>conditions</c> JSON value. Refused (with a short <paramref name="error"/> naming the place, e.g.
    /// <c>conditions[0][1].by</c>): anything but a non-empty array of non-empty arrays of objects, a clause claim
    /// whose value is not a string, and a claim named twice in one clause. A clause that is well-formed JSON but
    /// incorrect per the spec (no <c>type</c>, nothing besides <c>type</c>, a claim a clause may not name) is kept,
    /// marked by <see cref="ConditionClause.Problem"/>, and never matches.
    /// </summary>
    public static bool TryParse(JsonElement conditions, out VisaConditions? parsed, out string? error)
    {
        parsed = null;
        error = Refusal(conditions, out var alternatives);
        if (error is not null)
        {
            return false;
        }

        parsed = new VisaConditions(alternatives);
        return true;
    }

    /// <summary>
    /// True when every clause of at least one alternative is matched, each by one visa of <paramref name="visas"/>
    /// (different clauses may use the same or different visas). Visas that carry conditions themselves are never
    /// candidates, so conditions cannot chain or loop.
    /// </summary>
    public bool IsMetBy(IReadOnlyList<VisaObject> visas)
    {
        ArgumentNullException.ThrowIfNull(visas);
        return Alternatives.Any(clauses => clauses.All(clause => visas.Any(clause.IsMatchedBy)));
    }

    /// <summary>A short human-readable form for error messages, e.g. <c>[A{value=const:x} AND B{by=const:so}] OR [...]</c>.</summary>
    public string Describe() =>
        string.Join(" OR ", Alternatives.Select(clauses => "[" + string.Join(" AND ", clauses.Select(c => c.Describe())) + "]"));

    public override string ToString() => Describe();

    private static string? Refusal(JsonElement conditions, out List<IReadOnlyList<ConditionClause>> alternatives)
    {
        alternatives = [];
        if (conditions.ValueKind != JsonValueKind.Array)
        {
            return $"conditions must be an array of alternatives, not {Kind(conditions)}";
        }

        if (conditions.GetArrayLength() == 0)
        {
            return "conditions is an empty list, which can never be met";
        }

        var a = 0;
        foreach (var alternative in conditions.EnumerateArray())
        {
            var where = $"conditions[{a}]";
            if (alternative.ValueKind != JsonValueKind.Array)
            {
                return $"{where} must be an array of clauses, not {Kind(alternative)}";
            }

            if (alternative.GetArrayLength() == 0)
            {
                return $"{where} is an empty list of clauses, which would be met by anything";
            }

            var clauses = new List<ConditionClause>();
            var c = 0;
            foreach (var clause in alternative.EnumerateArray())
            {
                var error = ConditionClause.Refusal(clause, $"{where}[{c}]", out var parsed);
                if (error is not null)
                {
                    return error;
                }

                clauses.Add(parsed!);
                c++;
            }

            alternatives.Add(clauses.AsReadOnly());
            a++;
        }

        return null;
    }

    internal static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Undefined => "absent",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

/// <summary>
/// One condition clause: the visa <see cref="Type"/> it asks for (compared exactly, never prefixed) and the other
/// claims that one visa of that type must match. <see cref="Problem"/> says why an incorrect clause never matches.
/// </summary>
public sealed class ConditionClause
{
    /// <summary>The visa object claims a clause may name besides <c>type</c>: its string claims.</summary>
    public static IReadOnlySet<string> ClaimNames { get; } = new HashSet<string>(StringComparer.Ordinal) { "value", "source", "by" };

    private ConditionClause(string? type, IReadOnlyList<ConditionClaim> claims)
    {
        Type = type;
        Claims = claims;
        Problem = Check(type, claims);
    }

    /// <summary>The <c>type</c> claim, or null when the clause has none.</summary>
    public string? Type { get; }

    /// <summary>The claims besides <c>type</c>, in the order the clause gave them.</summary>
    public IReadOnlyList<ConditionClaim> Claims { get; }

    /// <summary>Why the clause is incorrect per the spec, or null when it is correct.</summary>
    public string? Problem { get; }

    public bool IsCorrect => Problem is null;

    /// <summary>
    /// True when the clause is correct, <paramref name="visa"/> carries no conditions of its own, has the clause's
    /// type, and matches every claim of the clause.
    /// </summary>
    public bool IsMatchedBy(VisaObject visa)
    {
        ArgumentNullException.ThrowIfNull(visa);
        return IsCorrect
            && visa.Conditions is null
            && string.Equals(visa.Type, Type, StringComparison.Ordinal)
            && Claims.All(claim => claim.Matches(visa.StringClaim(claim.Name)));
    }

    /// <summary>E.g. <c>AffiliationAndRole{value=const:faculty@x, by=const:so}</c>, with the problem if incorrect.</summary>
    public string Describe()
    {
        var text = $"{Type ?? "(no type)"}{{{string.Join(", ", Claims.Select(c => $"{c.Name}={c.Value}"))}}}";
        return Problem is null ? text : $"{text} (incorrect: {Problem})";
    }

    public override string ToString() => Describe();

    internal static string? Refusal(JsonElement clause, string where, out ConditionClause? parsed)
    {
        parsed = null;
        if (clause.ValueKind != JsonValueKind.Object)
        {
            return $"{where} must be a clause object, not {VisaConditions.Kind(clause)}";
        }

        string? type = null;
        var claims = new List<ConditionClaim>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in clause.EnumerateObject())
        {
            // A repeated name would let two readers of the same token see different clauses.
            if (!seen.Add(property.Name))
            {
                return $"{where} names the claim '{property.Name}' twice";
            }

            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return $"{where}.{property.Name} must be a string, not {VisaConditions.Kind(property.Value)}";
            }

            var value = property.Value.GetString()!;
            if (string.Equals(property.Name, "type", StringComparison.Ordinal))
            {
                type = value;
            }
            else
            {
                claims.Add(new ConditionClaim(property.Name, value));
            }
        }

        parsed = new ConditionClause(type, claims.AsReadOnly());
        return null;
    }

    private static string? Check(string? type, IReadOnlyList<ConditionClaim> claims)
    {
        if (string.IsNullOrEmpty(type))
        {
            return type is null ? "no type claim" : "empty type claim";
        }

        if (claims.Count == 0)
        {
            return "no claim besides type";
        }

        foreach (var claim in claims)
        {
            if (!ClaimNames.Contains(claim.Name))
            {
                return claim.Name switch
                {
                    "conditions" => "a condition cannot be placed on conditions",
                    "asserted" => "a timestamp claim such as asserted cannot be matched",
                    _ => $"'{claim.Name}' is not a visa object string claim",
                };
            }
        }

        return null;
    }
}

/// <summary>
/// One <c>name: "prefix:suffix"</c> claim of a clause. <c>const</c> compares the whole value exactly;
/// <c>pattern</c> matches the whole value with <see cref="VisaPattern"/>; <c>split_pattern</c> matches when any
/// <c>;</c>-separated piece of the value matches. An unknown prefix (prefixes are case-sensitive too) or a value
/// without a colon never matches.
/// </summary>
public sealed record ConditionClaim(string Name, string Value)
{
    /// <summary>The text before the first colon, or null when there is no colon.</summary>
    public string? Prefix => Value.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? Value[..colon] : null;

    /// <summary>The text after the first colon (a suffix may itself contain colons, as URLs do).</summary>
    public string? Suffix => Value.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? Value[(colon + 1)..] : null;

    /// <summary>Whether the visa's claim value (null when the visa lacks the claim) satisfies this claim.</summary>
    public bool Matches(string? visaClaim)
    {
        if (visaClaim is null || Suffix is not { } suffix)
        {
            return false;
        }

        return Prefix switch
        {
            "const" => string.Equals(visaClaim, suffix, StringComparison.Ordinal),
            "pattern" => VisaPattern.Matches(suffix, visaClaim),
            "split_pattern" => visaClaim.Split(';').Any(piece => VisaPattern.Matches(suffix, piece)),
            _ => false,
        };
    }
}
