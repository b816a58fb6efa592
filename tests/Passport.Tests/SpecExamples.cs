using System.Text.Json;
using GenomeNode.Passport.Visas;

namespace GenomeNode.Passport.Tests;

/// <summary>Visa objects read from the vendored decoded examples (specs/passport/examples/decoded-visa-examples.json).</summary>
internal static class SpecExamples
{
    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "specs", "passport", name);

    /// <summary>The visa objects of the spec's "Example Passport Claim", in order, with their conditions parsed.</summary>
    public static IReadOnlyList<VisaObject> ExamplePassportVisas()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf("decoded-visa-examples.json")));
        return document.RootElement
            .GetProperty("spec_example_passport_claim_v1_2_1")
            .GetProperty("ga4gh_passport_v1")
            .EnumerateArray()
            .Select(visa => ReadVisaObject(visa.GetProperty("ga4gh_visa_v1")))
            .ToList();
    }

    private static VisaObject ReadVisaObject(JsonElement visa)
    {
        VisaConditions? conditions = null;
        if (visa.TryGetProperty("conditions", out var claim))
        {
            Assert.True(VisaConditions.TryParse(claim, out conditions, out var error), error);
        }

        return new VisaObject(
            visa.GetProperty("type").GetString()!,
            visa.GetProperty("asserted").GetInt64(),
            visa.GetProperty("value").GetString()!,
            visa.GetProperty("source").GetString()!,
            visa.TryGetProperty("by", out var by) ? by.GetString() : null,
            conditions);
    }
}
