using GenomeNode.Beacon.Filters;

namespace GenomeNode.Beacon.Tests.Filters;

public sealed class Iso8601DurationTests
{
    [Theory]
    [InlineData("P45Y", 540, 0)]
    [InlineData("P3Y6M", 42, 0)]
    [InlineData("P40Y2M10D", 482, 10 * 86400)]
    [InlineData("P8W", 0, 56 * 86400)]
    [InlineData("PT12H", 0, 12 * 3600)]
    [InlineData("P1DT2H30M", 0, 86400 + (2 * 3600) + (30 * 60))]
    [InlineData("PT1.5S", 0, 1.5)]
    [InlineData("P0D", 0, 0)]
    public void Ages_as_Beacon_and_Phenopackets_write_them_parse_into_months_and_time(string text, long months, double seconds)
    {
        Assert.True(Iso8601Duration.TryParse(text, out var duration));

        Assert.Equal(months, duration.Months);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration.Time);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("45Y")]
    [InlineData("P45")]
    [InlineData("P1.5Y")]
    [InlineData("P1D2Y")]
    [InlineData("P1Y1Y")]
    [InlineData("P-1Y")]
    [InlineData("P1YT")]
    [InlineData("P0003-06")]
    [InlineData("p45y")]
    [InlineData("P45Y ")]
    [InlineData("female")]
    public void Text_that_is_not_such_a_duration_is_refused(string text) => Assert.False(Iso8601Duration.TryParse(text, out _));

    [Theory]
    [InlineData("P1Y", "P12M", 0)]
    [InlineData("P45Y", "P44Y11M", 1)]
    [InlineData("P3Y6M", "P42M", 0)]
    [InlineData("P40Y2M10D", "P40Y2M9D", 1)]
    [InlineData("P8W", "P56D", 0)]
    [InlineData("P1D", "PT24H", 0)]
    [InlineData("PT12H", "P1D", -1)]
    [InlineData("P1M", "P30D", 1)]
    [InlineData("P1M", "P31D", -1)]
    [InlineData("P40Y", "P40Y2M", -1)]
    [InlineData("P49Y11M30D", "P50Y", -1)]
    public void Durations_compare_exactly_where_ages_need_it(string left, string right, int expected)
    {
        Assert.True(Iso8601Duration.TryParse(left, out var a));
        Assert.True(Iso8601Duration.TryParse(right, out var b));

        Assert.Equal(expected, Math.Sign(a.CompareTo(b)));
        Assert.Equal(-expected, Math.Sign(b.CompareTo(a)));
    }
}
