using System.Globalization;
using Hl7.Fhir.Model;

namespace GenomeNode.Beacon.Import.Fhir;

/// <summary>Ages as Beacon writes them (ISO 8601 durations: P45Y, P45Y3M, P20D) from FHIR Age quantities and dates.</summary>
internal static class FhirAges
{
    private const string Ucum = "http://unitsofmeasure.org";

    /// <summary>A FHIR date or dateTime (2015, 2015-06, 2015-06-01, 2015-06-01T10:00:00+02:00) as its calendar parts.</summary>
    public readonly record struct PartialDate(int Year, int? Month, int? Day)
    {
        /// <summary>The full date (yyyy-MM-dd) when the day is known, else null: Beacon's date fields take full dates only.</summary>
        public string? FullDate => Month is { } month && Day is { } day
            ? string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{month:D2}-{day:D2}")
            : null;

        /// <summary>Parses the date part as written (a dateTime's offset is not applied: the day is the one recorded).</summary>
        public static PartialDate? Parse(string? text)
        {
            if (string.IsNullOrEmpty(text) || text.Length < 4 || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
            {
                return null;
            }

            int? month = text.Length >= 7 && int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : null;
            int? day = month is not null && text.Length >= 10 && int.TryParse(text.AsSpan(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null;
            return new PartialDate(year, month, day);
        }
    }

    /// <summary>
    /// The age at <paramref name="moment"/> of someone born on <paramref name="birth"/>, in full years and months (in
    /// days under a month): null when either date lacks its month (a year alone leaves the age uncertain by a year).
    /// </summary>
    /// <exception cref="ArgumentException">the moment is before the birth</exception>
    public static string? Between(PartialDate birth, PartialDate moment)
    {
        if (birth.Month is not { } birthMonth || moment.Month is not { } momentMonth)
        {
            return null;
        }

        var months = ((moment.Year - birth.Year) * 12) + (momentMonth - birthMonth);
        var fullDates = birth.Day is not null && moment.Day is not null;
        if (fullDates && moment.Day < birth.Day)
        {
            months--;
        }

        if (months < 0)
        {
            throw new ArgumentException("the date is before the birth date");
        }

        if (months == 0 && fullDates)
        {
            var days = Day(moment).DayNumber - Day(birth).DayNumber;
            return days >= 0 ? string.Create(CultureInfo.InvariantCulture, $"P{days}D") : throw new ArgumentException("the date is before the birth date");
        }

        return Duration(months / 12, months % 12);
    }

    private static DateOnly Day(PartialDate date) =>
        DateOnly.TryParseExact(date.FullDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new ArgumentException("not a calendar date");

    /// <summary>An Age (a UCUM time quantity: a, mo, wk, d) as a duration; null with the reason when it is not one.</summary>
    public static string? Of(Quantity age, out string? problem)
    {
        problem = null;
        if (age.Value is not { } value || value < 0)
        {
            problem = "an age needs a value of zero or more";
            return null;
        }

        var unit = age.System is null or Ucum ? age.Code ?? age.Unit : null;
        switch (unit)
        {
            case "a":
                var years = decimal.Floor(value);
                return Duration((int)years, (int)decimal.Floor((value - years) * 12));
            case "mo":
                var months = (int)decimal.Floor(value);
                return Duration(months / 12, months % 12);
            case "wk":
                return string.Create(CultureInfo.InvariantCulture, $"P{(int)decimal.Floor(value * 7)}D");
            case "d":
                return string.Create(CultureInfo.InvariantCulture, $"P{(int)decimal.Floor(value)}D");
            default:
                problem = $"the age's unit '{age.Code ?? age.Unit}' ({age.System ?? "no system"}) is not a UCUM time unit (a, mo, wk, d)";
                return null;
        }
    }

    private static string Duration(int years, int months) => (years, months) switch
    {
        (_, 0) => string.Create(CultureInfo.InvariantCulture, $"P{years}Y"),
        (0, _) => string.Create(CultureInfo.InvariantCulture, $"P{months}M"),
        _ => string.Create(CultureInfo.InvariantCulture, $"P{years}Y{months}M"),
    };
}
