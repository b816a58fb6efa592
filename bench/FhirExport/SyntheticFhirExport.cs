using System.Globalization;
using System.Text.Json.Nodes;

namespace GenomeNode.Bench.FhirExport;

/// <summary>
/// A synthetic FHIR R4 bulk export (FHIR Bulk Data NDJSON: Patient.ndjson, Condition.ndjson, ...), deterministic for a
/// seed: every Patient with a sex and a birth date, 0-4 Conditions with an onset (a date, or an age), four Observations
/// (body weight, HbA1c, blood pressure with components, an HPO feature present or absent), a Procedure, a Specimen, and
/// for one in five a FamilyMemberHistory. About ten resources an individual. No real person is in it.
/// </summary>
public static class SyntheticFhirExport
{
    private const string Snomed = "http://snomed.info/sct";
    private const string Loinc = "http://loinc.org";
    private const string Ucum = "http://unitsofmeasure.org";

    /// <summary>The Condition codes drawn from: (system, code, display).</summary>
    public static IReadOnlyList<(string System, string Code, string Display)> ConditionCodes { get; } =
    [
        (Snomed, "254837009", "Malignant neoplasm of breast"),
        ("http://hl7.org/fhir/sid/icd-10", "E11", "Type 2 diabetes mellitus"),
        ("http://purl.obolibrary.org/obo/mondo.owl", "MONDO:0005148", "type 2 diabetes mellitus"),
        (Snomed, "38341003", "Hypertensive disorder"),
        ("http://www.orpha.net", "ORPHA:558", "Marfan syndrome"),
    ];

    private static readonly string[] Genders = ["female", "male", "other", "unknown"];

    /// <summary>Writes the export into <paramref name="directory"/>; the number of resources of each type.</summary>
    public static IReadOnlyDictionary<string, int> Write(string directory, int individuals, int seed)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        var writers = new Dictionary<string, StreamWriter>(StringComparer.Ordinal);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        try
        {
            void Emit(JsonObject resource)
            {
                var type = resource["resourceType"]!.GetValue<string>();
                if (!writers.TryGetValue(type, out var writer))
                {
                    writer = new StreamWriter(Path.Combine(directory, type + ".ndjson")) { NewLine = "\n" };
                    writers[type] = writer;
                }

                writer.WriteLine(resource.ToJsonString());
                counts[type] = counts.GetValueOrDefault(type) + 1;
            }

            for (var i = 0; i < individuals; i++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"P{i:D6}");
                var roll = random.Next(100);
                var gender = Genders[roll < 48 ? 0 : roll < 96 ? 1 : roll < 98 ? 2 : 3];
                var birth = new DateOnly(1930, 1, 1).AddDays(random.Next(80 * 365));
                Emit(new JsonObject { ["resourceType"] = "Patient", ["id"] = id, ["gender"] = gender, ["birthDate"] = Date(birth) });
                var subject = new JsonObject { ["reference"] = "Patient/" + id };

                for (var c = random.Next(5); c > 0; c--)
                {
                    var (system, code, display) = ConditionCodes[random.Next(ConditionCodes.Count)];
                    var condition = new JsonObject
                    {
                        ["resourceType"] = "Condition",
                        ["id"] = $"{id}-c{c}",
                        ["clinicalStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"),
                        ["code"] = Concept(system, code, display),
                        ["subject"] = subject.DeepClone(),
                    };
                    if (random.Next(4) == 0)
                    {
                        condition["onsetAge"] = new JsonObject { ["value"] = 20 + random.Next(60), ["unit"] = "years", ["system"] = Ucum, ["code"] = "a" };
                    }
                    else
                    {
                        condition["onsetDateTime"] = Date(Before(birth.AddDays(random.Next(1, 70 * 365))));
                    }

                    Emit(condition);
                }

                var effective = Date(Before(birth.AddDays(random.Next(18 * 365, 80 * 365))));
                Emit(Observation($"{id}-weight", subject, Concept(Loinc, "29463-7", "Body weight"), effective,
                    ("valueQuantity", Quantity(Math.Round(45 + (random.NextDouble() * 70), 1), "kg", "kg"))));
                Emit(Observation($"{id}-hba1c", subject, Concept(Loinc, "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"), effective,
                    ("valueQuantity", Quantity(Math.Round(4.5 + (random.NextDouble() * 5), 1), "%", "%"))));
                var pressure = Observation($"{id}-bp", subject, Concept(Loinc, "85354-9", "Blood pressure panel"), effective);
                pressure["component"] = new JsonArray(
                    new JsonObject { ["code"] = Concept(Loinc, "8480-6", "Systolic blood pressure"), ["valueQuantity"] = Quantity(100 + random.Next(80), "mm[Hg]", "mmHg") },
                    new JsonObject { ["code"] = Concept(Loinc, "8462-4", "Diastolic blood pressure"), ["valueQuantity"] = Quantity(60 + random.Next(40), "mm[Hg]", "mmHg") });
                Emit(pressure);
                Emit(Observation($"{id}-seizure", subject, Concept("http://purl.obolibrary.org/obo/hp.owl", "HP:0001250", "Seizure"), effective,
                    ("valueBoolean", random.Next(5) == 0)));

                Emit(new JsonObject
                {
                    ["resourceType"] = "Procedure",
                    ["id"] = $"{id}-proc",
                    ["status"] = "completed",
                    ["code"] = Concept(Snomed, "73761001", "Colonoscopy"),
                    ["subject"] = subject.DeepClone(),
                    ["performedDateTime"] = effective,
                });
                Emit(new JsonObject
                {
                    ["resourceType"] = "Specimen",
                    ["id"] = $"{id}-blood",
                    ["type"] = Concept(Snomed, "119297000", "Blood specimen"),
                    ["subject"] = subject.DeepClone(),
                    ["collection"] = new JsonObject { ["collectedDateTime"] = effective },
                });
                if (random.Next(5) == 0)
                {
                    Emit(new JsonObject
                    {
                        ["resourceType"] = "FamilyMemberHistory",
                        ["id"] = $"{id}-fmh",
                        ["status"] = "completed",
                        ["patient"] = subject.DeepClone(),
                        ["relationship"] = Concept("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "MTH", "mother"),
                        ["condition"] = new JsonArray(new JsonObject { ["code"] = Concept(Snomed, "254837009", "Malignant neoplasm of breast") }),
                    });
                }
            }
        }
        finally
        {
            foreach (var writer in writers.Values)
            {
                writer.Dispose();
            }
        }

        return counts;
    }

    private static DateOnly Before(DateOnly date) => date > new DateOnly(2025, 12, 31) ? new DateOnly(2025, 12, 31) : date;

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static JsonObject Concept(string system, string code, string display) =>
        new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code, ["display"] = display }) };

    private static JsonObject Quantity(double value, string code, string unit) =>
        new() { ["value"] = value, ["unit"] = unit, ["system"] = Ucum, ["code"] = code };

    private static JsonObject Observation(string id, JsonObject subject, JsonObject code, string effective, params (string Name, JsonNode? Value)[] value)
    {
        var observation = new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = id,
            ["status"] = "final",
            ["code"] = code,
            ["subject"] = subject.DeepClone(),
            ["effectiveDateTime"] = effective,
        };
        foreach (var (name, node) in value)
        {
            observation[name] = node;
        }

        return observation;
    }
}
