using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenomeNode.Beacon.Entries;

namespace GenomeNode.Beacon.Import;

/// <summary>
/// Reads GA4GH Phenopackets v2 JSON (a file, or a directory of <c>.json</c> files; each file one phenopacket or a JSON
/// array of them) into Beacon individuals and biosamples: the subject with its phenotypic features, diseases and
/// measurements becomes an individual, each biosample a biosample linked to it. Field names are read as protobuf's JSON
/// mapping writes them (lowerCamelCase) or as the .proto names them (snake_case); enums by name or number. Every
/// document made is checked against the Beacon v2 model's schema. The mapping is docs/clinical-import.md's table.
/// </summary>
public sealed class PhenopacketReader : IClinicalReader
{
    private static readonly string[] SexNames = ["UNKNOWN_SEX", "FEMALE", "MALE", "OTHER_SEX"];

    private static readonly string[] KaryotypeNames =
        ["UNKNOWN_KARYOTYPE", "XX", "XY", "XO", "XXY", "XXX", "XXYY", "XXXY", "XXXX", "XYY", "OTHER_KARYOTYPE"];

    public string Format => "phenopacket";

    /// <summary>The Beacon sex term of a Phenopackets sex (the model's NCIT terms, as Beacon filters and the GDI portal use them).</summary>
    public static JsonObject SexTerm(string sex) => sex switch
    {
        "FEMALE" => Term("NCIT:C16576", "female"),
        "MALE" => Term("NCIT:C20197", "male"),
        "OTHER_SEX" => Term("NCIT:C45908", "intersex"),
        _ => Term("NCIT:C17998", "unknown"),
    };

    public ClinicalBatch Read(string path, ClinicalReadOptions options, IProgress<ClinicalImportProgress>? progress, CancellationToken cancellationToken)
    {
        var files = File.Exists(path)
            ? [path]
            : Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*.json").Order(StringComparer.Ordinal).ToList()
                : throw new ClinicalImportException($"{path} does not exist");
        if (files.Count == 0)
        {
            throw new ClinicalImportException($"{path} holds no .json file");
        }

        var total = files.Sum(f => new FileInfo(f).Length);
        var clock = Stopwatch.StartNew();
        var batch = new ClinicalBatch();
        long done = 0;
        long documents = 0;
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var input = JsonImportFile.Read(file);
            batch.Files.Add(input.Path);
            input.ForEach(allowObject: true, (index, element, fraction) =>
            {
                var origin = index < 0 ? input.Name : $"{input.Name}[{index}]";
                batch.Entries.AddRange(Map(element, origin));
                documents++;
                progress?.Report(new ClinicalImportProgress(input.Path, documents, done + (long)(fraction * input.Length), total, clock.Elapsed));
            });
            done += input.Length;
        }

        return batch;
    }

    /// <summary>The Beacon entries one phenopacket makes: its subject's individual, then its biosamples.</summary>
    /// <exception cref="ClinicalImportException">no subject id, a biosample without id, or what the Beacon model cannot hold</exception>
    public static IReadOnlyList<ImportedEntry> Map(JsonElement phenopacket, string origin)
    {
        var subject = Field(phenopacket, "subject");
        if (subject is not { ValueKind: JsonValueKind.Object } person)
        {
            throw new ClinicalImportException($"{origin} /subject: no subject: the phenopacket's subject is the individual imported");
        }

        var individualId = Text(person, "id");
        if (string.IsNullOrEmpty(individualId))
        {
            throw new ClinicalImportException(
                $"{origin} /subject/id: the subject has no id (the individual needs one: it is how VCF samples and imported records meet)");
        }

        var individual = new JsonObject
        {
            ["id"] = individualId,
            ["sex"] = SexTerm(EnumName(Field(person, "sex"), SexNames, $"{origin} /subject/sex")),
        };
        if (Field(person, "karyotypicSex") is { } karyotype)
        {
            individual["karyotypicSex"] = EnumName(karyotype, KaryotypeNames, $"{origin} /subject/karyotypicSex");
        }

        AddList(individual, "phenotypicFeatures", Field(phenopacket, "phenotypicFeatures"), $"{origin} /phenotypicFeatures", PhenotypicFeature);
        AddList(individual, "diseases", Field(phenopacket, "diseases"), $"{origin} /diseases", Disease);
        AddList(individual, "measures", Field(phenopacket, "measurements"), $"{origin} /measurements", Measurement);
        AddList(individual, "interventionsOrProcedures", Field(phenopacket, "medicalActions"), $"{origin} /medicalActions",
            (action, at) => Field(action, "procedure") is { } procedure ? Procedure(procedure, $"{at}/procedure") : null);
        AddList(individual, "treatments", Field(phenopacket, "medicalActions"), $"{origin} /medicalActions",
            (action, at) => Field(action, "treatment") is { } treatment ? Treatment(treatment, $"{at}/treatment") : null);
        if (Text(phenopacket, "id") is { Length: > 0 } packetId)
        {
            individual["info"] = new JsonObject { ["phenopacketId"] = packetId };
        }

        var entries = new List<ImportedEntry> { Checked(EntryType.Individual, individualId, individualId, individual, origin) };
        var i = 0;
        foreach (var sample in Items(Field(phenopacket, "biosamples")))
        {
            var at = $"{origin} /biosamples/{i++}";
            var biosample = Biosample(sample, individualId, at);
            entries.Add(Checked(EntryType.Biosample, biosample["id"]!.GetValue<string>(), biosample["individualId"]!.GetValue<string>(), biosample, at));
        }

        return entries;
    }

    private static ImportedEntry Checked(EntryType type, string id, string? individualId, JsonObject document, string origin)
    {
        var json = document.ToJsonString();
        using var parsed = JsonDocument.Parse(json);
        var faults = BeaconModelSchemas.Validate(type, parsed.RootElement);
        if (faults.Count > 0)
        {
            throw new ClinicalImportException(
                $"{origin}: the Beacon {type.Name()} made from it does not fit the Beacon v2 model: {BeaconModelSchemas.Describe(faults)}");
        }

        return new ImportedEntry(type, id, type == EntryType.Individual ? null : individualId, null, null, json, origin);
    }

    private static JsonObject Biosample(JsonElement sample, string subjectId, string at)
    {
        var id = Text(sample, "id");
        if (string.IsNullOrEmpty(id))
        {
            throw new ClinicalImportException($"{at}/id: the biosample has no id");
        }

        // A biosample names its individual, or is the subject's.
        var individualId = Text(sample, "individualId") is { Length: > 0 } named ? named : subjectId;
        var biosample = new JsonObject
        {
            ["id"] = id,
            ["individualId"] = individualId,
            // Both are required by the Beacon model; a phenopacket that does not say gets "unknown".
            ["biosampleStatus"] = OntologyClass(Field(sample, "materialSample"), $"{at}/materialSample") ?? Term("NCIT:C17998", "unknown"),
            ["sampleOriginType"] = OntologyClass(Field(sample, "sampledTissue"), $"{at}/sampledTissue") ?? Term("NCIT:C17998", "unknown"),
        };
        foreach (var name in (string[])["histologicalDiagnosis", "tumorProgression", "tumorGrade", "pathologicalStage", "sampleProcessing", "sampleStorage"])
        {
            Add(biosample, name, OntologyClass(Field(sample, name), $"{at}/{name}"));
        }

        foreach (var name in (string[])["pathologicalTnmFinding", "diagnosticMarkers"])
        {
            AddList(biosample, name, Field(sample, name), $"{at}/{name}", (term, path) => OntologyClass(term, path));
        }

        Add(biosample, "obtentionProcedure", Field(sample, "procedure") is { } procedure ? Procedure(procedure, $"{at}/procedure") : null);
        if (Field(sample, "timeOfCollection") is { } collected)
        {
            // Beacon gives the age at collection as a duration, and the date apart.
            if (Field(collected, "age") is { } age && Text(age, "iso8601duration") is { } duration)
            {
                biosample["collectionMoment"] = duration;
            }
            else if (Text(collected, "timestamp") is { Length: >= 10 } timestamp)
            {
                biosample["collectionDate"] = timestamp[..10];
            }
        }

        AddList(biosample, "phenotypicFeatures", Field(sample, "phenotypicFeatures"), $"{at}/phenotypicFeatures", PhenotypicFeature);
        AddList(biosample, "measurements", Field(sample, "measurements"), $"{at}/measurements", Measurement);
        Add(biosample, "notes", Text(sample, "description") is { Length: > 0 } description ? JsonValue.Create(description) : null);
        var info = new JsonObject();
        Add(info, "sampleType", OntologyClass(Field(sample, "sampleType"), $"{at}/sampleType"));
        Add(info, "derivedFromId", Text(sample, "derivedFromId") is { Length: > 0 } parent ? JsonValue.Create(parent) : null);
        if (info.Count > 0)
        {
            biosample["info"] = info;
        }

        return biosample;
    }

    private static JsonObject PhenotypicFeature(JsonElement feature, string at)
    {
        var result = new JsonObject { ["featureType"] = Required(OntologyClass(Field(feature, "type"), $"{at}/type"), $"{at}/type") };
        // v2 names it "excluded"; v1 and early v2 drafts "negated".
        if (Bool(Field(feature, "excluded") ?? Field(feature, "negated")))
        {
            result["excluded"] = true;
        }

        Add(result, "severity", OntologyClass(Field(feature, "severity"), $"{at}/severity"));
        AddList(result, "modifiers", Field(feature, "modifiers"), $"{at}/modifiers", (term, path) => OntologyClass(term, path));
        Add(result, "onset", TimeElement(Field(feature, "onset"), $"{at}/onset"));
        Add(result, "resolution", TimeElement(Field(feature, "resolution"), $"{at}/resolution"));
        // Beacon has one evidence per feature: the first.
        if (Items(Field(feature, "evidence")).FirstOrDefault() is { ValueKind: JsonValueKind.Object } evidence)
        {
            var mapped = new JsonObject { ["evidenceCode"] = Required(OntologyClass(Field(evidence, "evidenceCode"), $"{at}/evidence/0/evidenceCode"), $"{at}/evidence/0/evidenceCode") };
            if (Field(evidence, "reference") is { ValueKind: JsonValueKind.Object } reference)
            {
                mapped["reference"] = ExternalReference(reference);
            }

            result["evidence"] = mapped;
        }

        Add(result, "notes", Text(feature, "description") is { Length: > 0 } text ? JsonValue.Create(text) : null);
        return result;
    }

    private static JsonObject? Disease(JsonElement disease, string at)
    {
        // Beacon's diseases are diagnoses: one looked for and found absent has no place there.
        if (Bool(Field(disease, "excluded")))
        {
            return null;
        }

        var result = new JsonObject { ["diseaseCode"] = Required(OntologyClass(Field(disease, "term"), $"{at}/term"), $"{at}/term") };
        Add(result, "ageOfOnset", TimeElement(Field(disease, "onset"), $"{at}/onset"));
        // Beacon has one stage: the first.
        Add(result, "stage", Items(Field(disease, "diseaseStage")).Select((s, i) => OntologyClass(s, $"{at}/diseaseStage/{i}")).FirstOrDefault());
        return result;
    }

    private static JsonObject Measurement(JsonElement measurement, string at)
    {
        var result = new JsonObject { ["assayCode"] = Required(OntologyClass(Field(measurement, "assay"), $"{at}/assay"), $"{at}/assay") };
        if (Field(measurement, "value") is { ValueKind: JsonValueKind.Object } value)
        {
            result["measurementValue"] = Field(value, "quantity") is { } quantity
                ? Quantity(quantity, $"{at}/value/quantity")
                : Required(OntologyClass(Field(value, "ontologyClass"), $"{at}/value/ontologyClass"), $"{at}/value");
        }
        else if (Field(measurement, "complexValue") is { ValueKind: JsonValueKind.Object } complex)
        {
            var typed = new JsonArray();
            var i = 0;
            foreach (var item in Items(Field(complex, "typedQuantities")))
            {
                var path = $"{at}/complexValue/typedQuantities/{i++}";
                typed.Add(new JsonObject
                {
                    ["quantityType"] = Required(OntologyClass(Field(item, "type"), $"{path}/type"), $"{path}/type"),
                    ["quantity"] = Quantity(Field(item, "quantity") ?? default, $"{path}/quantity"),
                });
            }

            result["measurementValue"] = new JsonObject { ["typedQuantities"] = typed };
        }
        else
        {
            throw new ClinicalImportException($"{at}: the measurement has no value (value or complexValue)");
        }

        Add(result, "observationMoment", TimeElement(Field(measurement, "timeObserved"), $"{at}/timeObserved"));
        Add(result, "procedure", Field(measurement, "procedure") is { } procedure ? Procedure(procedure, $"{at}/procedure") : null);
        Add(result, "notes", Text(measurement, "description") is { Length: > 0 } text ? JsonValue.Create(text) : null);
        return result;
    }

    private static JsonObject Quantity(JsonElement quantity, string at)
    {
        if (quantity.ValueKind != JsonValueKind.Object)
        {
            throw new ClinicalImportException($"{at}: no quantity");
        }

        var result = new JsonObject
        {
            ["unit"] = Required(OntologyClass(Field(quantity, "unit"), $"{at}/unit"), $"{at}/unit"),
            // proto3 leaves a value of 0 out of its JSON.
            ["value"] = Field(quantity, "value") is { ValueKind: JsonValueKind.Number } number ? number.GetDouble() : 0.0,
        };
        if (Field(quantity, "referenceRange") is { ValueKind: JsonValueKind.Object } range)
        {
            result["referenceRange"] = new JsonObject
            {
                ["unit"] = Required(OntologyClass(Field(range, "unit"), $"{at}/referenceRange/unit"), $"{at}/referenceRange/unit"),
                ["low"] = Field(range, "low") is { ValueKind: JsonValueKind.Number } low ? low.GetDouble() : 0.0,
                ["high"] = Field(range, "high") is { ValueKind: JsonValueKind.Number } high ? high.GetDouble() : 0.0,
            };
        }

        return result;
    }

    private static JsonObject Procedure(JsonElement procedure, string at)
    {
        var result = new JsonObject { ["procedureCode"] = Required(OntologyClass(Field(procedure, "code"), $"{at}/code"), $"{at}/code") };
        Add(result, "bodySite", OntologyClass(Field(procedure, "bodySite"), $"{at}/bodySite"));
        if (Field(procedure, "performed") is { } performed)
        {
            if (Text(performed, "timestamp") is { Length: >= 10 } timestamp)
            {
                result["dateOfProcedure"] = timestamp[..10];
            }
            else
            {
                Add(result, "ageAtProcedure", TimeElement(performed, $"{at}/performed"));
            }
        }

        return result;
    }

    private static JsonObject Treatment(JsonElement treatment, string at)
    {
        var result = new JsonObject { ["treatmentCode"] = Required(OntologyClass(Field(treatment, "agent"), $"{at}/agent"), $"{at}/agent") };
        Add(result, "routeOfAdministration", OntologyClass(Field(treatment, "routeOfAdministration"), $"{at}/routeOfAdministration"));
        return result;
    }

    /// <summary>
    /// A Phenopackets TimeElement ({"age": {...}}, {"ontologyClass": {...}}, ...) as the Beacon model has it (its
    /// content). A bare timestamp has no Beacon form (the model's timeElement must be an object): null.
    /// </summary>
    private static JsonObject? TimeElement(JsonElement? element, string at)
    {
        if (element is not { ValueKind: JsonValueKind.Object } time)
        {
            return null;
        }

        if (Field(time, "age") is { } age)
        {
            return Age(age, $"{at}/age");
        }

        if (Field(time, "ageRange") is { ValueKind: JsonValueKind.Object } range)
        {
            return new JsonObject
            {
                ["start"] = Age(Field(range, "start"), $"{at}/ageRange/start"),
                ["end"] = Age(Field(range, "end"), $"{at}/ageRange/end"),
            };
        }

        if (Field(time, "gestationalAge") is { ValueKind: JsonValueKind.Object } gestational)
        {
            var result = new JsonObject { ["weeks"] = Field(gestational, "weeks") is { ValueKind: JsonValueKind.Number } weeks ? weeks.GetInt32() : 0 };
            if (Field(gestational, "days") is { ValueKind: JsonValueKind.Number } days)
            {
                result["days"] = days.GetInt32();
            }

            return result;
        }

        if (Field(time, "ontologyClass") is { } term)
        {
            return OntologyClass(term, $"{at}/ontologyClass");
        }

        if (Field(time, "interval") is { ValueKind: JsonValueKind.Object } interval)
        {
            return new JsonObject { ["start"] = Text(interval, "start"), ["end"] = Text(interval, "end") };
        }

        return null;
    }

    private static JsonObject Age(JsonElement? age, string at) =>
        age is { ValueKind: JsonValueKind.Object } value && Text(value, "iso8601duration") is { Length: > 0 } duration
            ? new JsonObject { ["iso8601duration"] = duration }
            : throw new ClinicalImportException($"{at}: an age needs its iso8601duration");

    private static JsonObject? OntologyClass(JsonElement? element, string at)
    {
        if (element is not { } term || term.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (term.ValueKind != JsonValueKind.Object || Text(term, "id") is not { Length: > 0 } id)
        {
            throw new ClinicalImportException($"{at}: an ontology class needs an id (a CURIE such as HP:0001250)");
        }

        return Text(term, "label") is { Length: > 0 } label ? Term(id, label) : new JsonObject { ["id"] = id };
    }

    private static JsonObject ExternalReference(JsonElement reference)
    {
        var result = new JsonObject();
        Add(result, "id", Text(reference, "id") is { } id ? JsonValue.Create(id) : null);
        Add(result, "reference", Text(reference, "reference") is { } url ? JsonValue.Create(url) : null);
        Add(result, "notes", Text(reference, "description") is { } description ? JsonValue.Create(description) : null);
        return result;
    }

    private static JsonObject Term(string id, string label) => new() { ["id"] = id, ["label"] = label };

    private static JsonObject Required(JsonObject? value, string at) =>
        value ?? throw new ClinicalImportException($"{at}: required (the Beacon model needs it)");

    private static string EnumName(JsonElement? value, string[] names, string at) => value switch
    {
        null => names[0],
        { ValueKind: JsonValueKind.String } text when names.Contains(text.GetString()) => text.GetString()!,
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out var index) && index >= 0 && index < names.Length => names[index],
        { ValueKind: JsonValueKind.Null } => names[0],
        _ => throw new ClinicalImportException($"{at}: '{value}' is none of {string.Join(", ", names)}"),
    };

    /// <summary>A member by its JSON name (lowerCamelCase) or its .proto name (snake_case).</summary>
    private static JsonElement? Field(JsonElement parent, string camelName)
    {
        if (parent.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (parent.TryGetProperty(camelName, out var value))
        {
            return value;
        }

        var snake = string.Concat(camelName.Select(c => char.IsAsciiLetterUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));
        return parent.TryGetProperty(snake, out value) ? value : null;
    }

    private static string? Text(JsonElement parent, string name) =>
        Field(parent, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static bool Bool(JsonElement? value) => value is { ValueKind: JsonValueKind.True };

    private static List<JsonElement> Items(JsonElement? array) =>
        array is { ValueKind: JsonValueKind.Array } items ? [.. items.EnumerateArray()] : [];

    private static void Add(JsonObject target, string name, JsonNode? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

    private static void AddList(JsonObject target, string name, JsonElement? source, string at, Func<JsonElement, string, JsonNode?> map)
    {
        var list = new JsonArray();
        var i = 0;
        foreach (var item in Items(source))
        {
            if (map(item, $"{at}/{i++}") is { } mapped)
            {
                list.Add(mapped);
            }
        }

        if (list.Count > 0)
        {
            target[name] = list;
        }
    }
}
