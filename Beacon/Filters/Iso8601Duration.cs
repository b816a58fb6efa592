using System.Globalization;

namespace GenomeNode.Beacon.Filters;

/// <summary>
/// An ISO 8601 duration as Beacon and Phenopackets write ages and intervals: <c>P45Y</c>, <c>P3Y6M</c>,
/// <c>P40Y2M10D</c>, <c>P8W</c>, <c>PT12H</c>, <c>P1DT2H30M</c>. It is held in two exact parts: whole months (a year is
/// 12 months) and the rest as time (a week is 7 days, a day 24 hours).
/// </summary>
/// <remarks>
/// Comparison: two durations with the same number of months compare by their time part, exactly; so do two without
/// a time part (P45Y &gt; P44Y11M, P1Y = P12M) and two without months (P8W = P56D, P1D = PT24H). Only when both the month
/// counts and the time parts differ (P1M against P30D, P40Y2M against P40Y60D) is a month counted as 30.436875 days,
/// the Gregorian average. Signs, alternative (<c>P0003-06</c>) and fractional forms other than seconds are refused.
/// </remarks>
public readonly record struct Iso8601Duration(long Months, TimeSpan Time) : IComparable<Iso8601Duration>
{
    /// <summary>Days in an average Gregorian month (365.2425 / 12).</summary>
    private const decimal DaysPerMonth = 30.436875m;

    public static bool TryParse(string? text, out Iso8601Duration duration)
    {
        duration = default;
        if (text is null || text.Length < 3 || text.Length > 64 || text[0] != 'P')
        {
            return false;
        }

        long months = 0;
        decimal seconds = 0;
        var inTime = false;
        var any = false;
        // Designators must come in this order, each at most once.
        const string dateOrder = "YMWD";
        const string timeOrder = "HMS";
        var lastDate = -1;
        var lastTime = -1;
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == 'T')
            {
                if (inTime || i == text.Length - 1)
                {
                    return false;
                }

                inTime = true;
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or ','))
            {
                i++;
            }

            if (i == start || i == text.Length)
            {
                return false;
            }

            var number = text.AsSpan(start, i - start);
            var designator = text[i++];
            var fractional = number.ContainsAny('.', ',');
            if (fractional && !(inTime && designator == 'S'))
            {
                return false;
            }

            if (!decimal.TryParse(number.ToString().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || value > 1_000_000m)
            {
                return false;
            }

            if (inTime)
            {
                var position = timeOrder.IndexOf(designator, StringComparison.Ordinal);
                if (position <= lastTime)
                {
                    return false;
                }

                lastTime = position;
                seconds += designator switch
                {
                    'H' => value * 3600,
                    'M' => value * 60,
                    _ => value,
                };
            }
            else
            {
                var position = dateOrder.IndexOf(designator, StringComparison.Ordinal);
                if (position <= lastDate)
                {
                    return false;
                }

                lastDate = position;
                switch (designator)
                {
                    case 'Y':
                        months += (long)value * 12;
                        break;
                    case 'M':
                        months += (long)value;
                        break;
                    case 'W':
                        seconds += value * 7 * 86400;
                        break;
                    default:
                        seconds += value * 86400;
                        break;
                }
            }

            any = true;
        }

        if (!any)
        {
            return false;
        }

        duration = new Iso8601Duration(months, TimeSpan.FromTicks((long)decimal.Round(seconds * TimeSpan.TicksPerSecond)));
        return true;
    }

    public int CompareTo(Iso8601Duration other)
    {
        if (Months == other.Months)
        {
            return Time.CompareTo(other.Time);
        }

        if (Time == other.Time)
        {
            return Months.CompareTo(other.Months);
        }

        return ApproximateDays.CompareTo(other.ApproximateDays);
    }

    /// <summary>The length in days with a month as <see cref="DaysPerMonth"/> days.</summary>
    private decimal ApproximateDays => (Months * DaysPerMonth) + ((decimal)Time.Ticks / TimeSpan.TicksPerDay);

    public static bool operator <(Iso8601Duration left, Iso8601Duration right) => left.CompareTo(right) < 0;

    public static bool operator >(Iso8601Duration left, Iso8601Duration right) => left.CompareTo(right) > 0;

    public static bool operator <=(Iso8601Duration left, Iso8601Duration right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Iso8601Duration left, Iso8601Duration right) => left.CompareTo(right) >= 0;
}
