using GenomeNode.Beacon.Import.Fhir;
using Hl7.Fhir.Model;

namespace GenomeNode.Beacon.Tests;

/// <summary>Ages the FHIR import writes: from a birth date to a date, and from FHIR Age quantities.</summary>
public sealed class FhirAgesTests
{
    [Theory]
    [InlineData("1970-03-15", "2015-09-14", "P45Y5M")]
    [InlineData("1970-03-15", "2015-09-15T08:00:00+02:00", "P45Y6M")]
    [InlineData("1988-06-19", "1988-07-03", "P14D")]
    [InlineData("2000-01-31", "2000-02-29", "P29D")]
    [InlineData("2000-01-31", "2000-03-01", "P1M")]
    [InlineData("1970-03", "2015-09-14", "P45Y6M")]
    [InlineData("1970", "2015-09-14", null)]
    public void A_date_is_an_age_in_full_years_and_months_from_the_birth_date_and_in_days_under_a_month(string birth, string at, string? age) =>
        Assert.Equal(age, FhirAges.Between(FhirAges.PartialDate.Parse(birth)!.Value, FhirAges.PartialDate.Parse(at)!.Value));

    [Theory]
    [InlineData("1988-06-19", "1988-06-18")]
    [InlineData("1988-06-19", "1987-12-31")]
    public void A_date_before_the_birth_date_is_no_age(string birth, string at) =>
        Assert.Throws<ArgumentException>(() => FhirAges.Between(FhirAges.PartialDate.Parse(birth)!.Value, FhirAges.PartialDate.Parse(at)!.Value));

    [Theory]
    [InlineData(45.5, "a", "P45Y6M")]
    [InlineData(52, "a", "P52Y")]
    [InlineData(18, "mo", "P1Y6M")]
    [InlineData(3, "wk", "P21D")]
    [InlineData(10, "d", "P10D")]
    [InlineData(3, "kg", null)]
    public void A_FHIR_Age_in_a_UCUM_time_unit_is_a_duration(double value, string unit, string? duration) =>
        Assert.Equal(duration, FhirAges.Of(new Age { Value = (decimal)value, System = "http://unitsofmeasure.org", Code = unit }, out _));
}
