using System.Text.RegularExpressions;
using GenomeNode.Beacon.Entries;
using Microsoft.Extensions.Options;

namespace GenomeNode.Beacon.Variants;

/// <summary>
/// The populations <c>g_variants</c> records give frequencies for (keys <c>Beacon:Country</c> and
/// <c>Beacon:Populations</c>; docs/population-frequencies.md). Without <see cref="Populations"/>, the node's country:
/// everyone (<c>FI</c>), its males (<c>FI_M</c>) and its females (<c>FI_F</c>), as the GDI portal names populations.
/// </summary>
public sealed class PopulationOptions
{
    public const string Section = "Beacon";
    public const string DefaultCountry = "FI";

    /// <summary>NCIT's male and female, the terms Beacon v2 individuals carry as <c>sex</c>.</summary>
    public const string Male = "NCIT:C20197";
    public const string Female = "NCIT:C16576";

    /// <summary>ISO 3166-1 alpha-2 code of the node's country, naming the default populations.</summary>
    public string Country { get; set; } = DefaultCountry;

    /// <summary>The populations, in the order records list them; empty for the defaults.</summary>
    public List<PopulationSetting> Populations { get; set; } = [];

    /// <summary>The populations in effect (the options are validated at start).</summary>
    public IReadOnlyList<PopulationDefinition> Definitions() => Populations.Count == 0
        ?
        [
            new(Country, PopulationCondition.Everyone),
            new($"{Country}_M", PopulationCondition.Parse($"sex.id={Male}")),
            new($"{Country}_F", PopulationCondition.Parse($"sex.id={Female}")),
        ]
        : [.. Populations.Select(p => new PopulationDefinition(p.Id!.Trim(), PopulationCondition.Parse(p.Filter)))];
}

/// <summary>One configured population: its label in records and which individuals belong to it.</summary>
public sealed class PopulationSetting
{
    /// <summary>The label records give it (<c>population</c>), e.g. <c>FI_F</c>.</summary>
    public string? Id { get; set; }

    /// <summary>Its members (<see cref="PopulationCondition"/>); none for everyone.</summary>
    public string? Filter { get; set; }
}

/// <summary>A population as records label it, and who belongs to it.</summary>
public sealed record PopulationDefinition(string Id, PopulationCondition Condition);

/// <summary>
/// Which individuals belong to a population, read from their Beacon documents (<see cref="EntryFacts"/>): clauses joined
/// by <c>&amp;</c>, all of which must hold. A clause is an ontology term the individual carries anywhere in its document
/// (<c>NCIT:C16576</c>), or a field path and the value it must have (<c>sex.id=NCIT:C16576</c>,
/// <c>geographicOrigin.id=GAZ:00002937</c>; one value of an array field is enough). No clause: everyone.
/// </summary>
public sealed partial class PopulationCondition
{
    private readonly IReadOnlyList<(string? Term, string? Path, string? Value)> clauses;

    private PopulationCondition(string text, IReadOnlyList<(string?, string?, string?)> clauses)
    {
        Text = text;
        this.clauses = clauses;
    }

    public static PopulationCondition Everyone { get; } = new("", []);

    /// <summary>The condition as configured.</summary>
    public string Text { get; }

    /// <summary>Whether every individual belongs (no clause).</summary>
    public bool IsEveryone => clauses.Count == 0;

    public bool Matches(EntryFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        foreach (var (term, path, value) in clauses)
        {
            var holds = term is not null
                ? facts.Terms.Contains(term, StringComparer.Ordinal)
                : facts.ValuesAt(path!).Contains(value!, StringComparer.Ordinal);
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A condition from its text (null or blank: everyone); false with the reason when it is malformed.</summary>
    public static bool TryParse(string? text, out PopulationCondition condition, out string? error)
    {
        condition = Everyone;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var clauses = new List<(string?, string?, string?)>();
        foreach (var part in text.Split('&'))
        {
            var clause = part.Trim();
            var equals = clause.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                var path = clause[..equals].Trim();
                var value = clause[(equals + 1)..].Trim();
                if (!FieldPath().IsMatch(path) || value.Length == 0)
                {
                    error = $"'{clause}' is not field=value: the field is a dotted path of names (such as sex.id) and the value is not empty";
                    return false;
                }

                clauses.Add((null, path, value));
            }
            else if (EntryFacts.IsCurie(clause))
            {
                clauses.Add((clause, null, null));
            }
            else
            {
                error = clause.Length == 0
                    ? "has an empty clause (clauses are joined by a single '&')"
                    : $"'{clause}' is neither an ontology term (a CURIE such as {PopulationOptions.Female}) nor field=value (such as sex.id={PopulationOptions.Female})";
                return false;
            }
        }

        condition = new PopulationCondition(text.Trim(), clauses);
        return true;
    }

    /// <summary>A condition from validated text.</summary>
    public static PopulationCondition Parse(string? text) =>
        TryParse(text, out var condition, out var error) ? condition : throw new FormatException($"population filter '{text}' {error}");

    public override string ToString() => IsEveryone ? "everyone" : Text;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex FieldPath();
}

internal sealed partial class PopulationOptionsValidator : IValidateOptions<PopulationOptions>
{
    private const int MaxIdLength = 64;

    public ValidateOptionsResult Validate(string? name, PopulationOptions options)
    {
        var failures = new List<string>();
        if (options.Country is null || !Country().IsMatch(options.Country))
        {
            failures.Add($"Beacon:Country must be an ISO 3166-1 alpha-2 code in capitals, such as {PopulationOptions.DefaultCountry} (got '{options.Country}')");
        }

        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Populations.Count; i++)
        {
            var population = options.Populations[i];
            var key = $"Beacon:Populations:{i}";
            var id = population.Id?.Trim();
            if (string.IsNullOrEmpty(id))
            {
                failures.Add($"{key}:Id must not be empty: it is the population's label in records (such as {PopulationOptions.DefaultCountry}_F)");
            }
            else if (id.Length > MaxIdLength || !PopulationId().IsMatch(id))
            {
                failures.Add($"{key}:Id '{id}' may hold only letters, digits, '_', '-' and '.' (at most {MaxIdLength})");
            }
            else if (seen.TryGetValue(id, out var first))
            {
                failures.Add($"{key}:Id '{id}' repeats Beacon:Populations:{first}:Id (labels compare ignoring letter case)");
            }
            else
            {
                seen[id] = i;
            }

            if (!PopulationCondition.TryParse(population.Filter, out _, out var error))
            {
                failures.Add($"{key}:Filter {error}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex Country();

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex PopulationId();
}
