using System.Text.Json.Nodes;
using GenomeNode.Beacon.Entries;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using static GenomeNode.Beacon.Import.Fhir.FhirAges;

namespace GenomeNode.Beacon.Import.Fhir;

/// <summary>
/// Maps FHIR R4 resources onto Beacon v2 default-model documents (docs/fhir-mapping.md): Patients become individuals,
/// Specimens biosamples; Conditions, Observations, Procedures and FamilyMemberHistory become items of their Patient's
/// individual document. Resources come in any order (bulk exports write one file per type); references and ages from
/// dates are resolved in <see cref="Finish"/>, once every Patient is known.
/// </summary>
internal sealed class FhirMapping(ClinicalReadOptions options, FhirWarnings warnings)
{
    private const string Diseases = "diseases";
    private const string PhenotypicFeatures = "phenotypicFeatures";
    private const string Measures = "measures";
    private const string Procedures = "interventionsOrProcedures";
    private const string Snomed = "http://snomed.info/sct";
    private const string Interpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    private static readonly string[] Fields = [Diseases, PhenotypicFeatures, Measures, Procedures];

    // Condition.severity (SNOMED's severity qualifiers) as the HPO severity terms Beacon recommends.
    private static readonly Dictionary<string, (string Id, string Label)> Severities = new(StringComparer.Ordinal)
    {
        ["255604002"] = ("HP:0012825", "Mild"),
        ["6736007"] = ("HP:0012826", "Moderate"),
        ["24484000"] = ("HP:0012828", "Severe"),
    };

    private readonly Dictionary<string, PatientEntry> patients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> patientsByFullUrl = new(StringComparer.Ordinal);
    private readonly List<Pending> items = [];
    private readonly List<PendingSpecimen> specimens = [];

    /// <summary>How many resources were mapped (read and not skipped).</summary>
    public long Resources { get; private set; }

    public void Add(FhirRecord record)
    {
        var mapped = record.Resource switch
        {
            Patient patient => AddPatient(patient, record),
            Condition condition => AddCondition(condition, record),
            Observation observation => AddObservation(observation, record),
            Procedure procedure => AddProcedure(procedure, record),
            Specimen specimen => AddSpecimen(specimen, record),
            FamilyMemberHistory history => AddFamilyHistory(history, record),
            _ => Unmapped(record),
        };
        if (mapped)
        {
            Resources++;
        }
    }

    /// <summary>Resolves references and ages and adds the individuals, biosamples and additions to <paramref name="batch"/>.</summary>
    public void Finish(ClinicalBatch batch)
    {
        foreach (var item in items)
        {
            var patientId = Resolve(item.Subject, item.Origin);
            if (patients.TryGetValue(patientId, out var patient))
            {
                if (SetAges(item.Ages, patient, item.Origin))
                {
                    patient.Items[item.Field].Add(item.Item);
                }
            }
            else
            {
                DropAges(item.Ages, item.Origin);
                batch.IndividualAdditions.Add(new IndividualAddition(patientId, item.Field, item.Item.ToJsonString(), item.Origin));
            }
        }

        foreach (var patient in patients.Values)
        {
            var document = new JsonObject { ["id"] = patient.Id, ["sex"] = patient.Sex };
            foreach (var field in Fields)
            {
                if (patient.Items[field].Count > 0)
                {
                    document[field] = new JsonArray([.. patient.Items[field]]);
                }
            }

            batch.Entries.Add(new ImportedEntry(EntryType.Individual, patient.Id, null, null, null, document.ToJsonString(), patient.Origin));
        }

        foreach (var specimen in specimens)
        {
            var patientId = Resolve(specimen.Subject, specimen.Origin);
            specimen.Document["individualId"] = patientId;
            if (patients.TryGetValue(patientId, out var patient))
            {
                SetAges(specimen.Ages, patient, specimen.Origin);
            }
            else
            {
                DropAges(specimen.Ages, specimen.Origin);
            }

            batch.Entries.Add(new ImportedEntry(EntryType.Biosample, specimen.Id, patientId, null, null, specimen.Document.ToJsonString(), specimen.Origin));
        }

        batch.Warnings.AddRange(warnings.Lines());
    }

    private bool AddPatient(Patient patient, FhirRecord record)
    {
        if (string.IsNullOrEmpty(patient.Id))
        {
            throw new ClinicalImportException($"{record.Origin}: a Patient without an id: its id names the individual (and its VCF sample)");
        }

        if (patients.TryGetValue(patient.Id, out var earlier))
        {
            throw new ClinicalImportException($"{record.Origin}: Patient '{patient.Id}' is also given at {earlier.Origin}");
        }

        var sex = patient.Gender switch
        {
            AdministrativeGender.Female => Term("NCIT:C16576", "female"),
            AdministrativeGender.Male => Term("NCIT:C20197", "male"),
            AdministrativeGender.Other => Term("NCIT:C17649", "other"),
            _ => Term("NCIT:C17998", "unknown"),
        };
        patients[patient.Id] = new PatientEntry(patient.Id, record.Origin, sex, PartialDate.Parse(patient.BirthDate));
        if (record.FullUrl is not null)
        {
            patientsByFullUrl[record.FullUrl] = patient.Id;
        }

        return true;
    }

    private bool AddCondition(Condition condition, FhirRecord record)
    {
        if (condition.VerificationStatus?.Coding.FirstOrDefault()?.Code is "refuted" or "entered-in-error" && Skip(record, $"verificationStatus {condition.VerificationStatus.Coding[0].Code}"))
        {
            return false;
        }

        if (Subject(condition.Subject, record, "Condition.subject") is not { } subject)
        {
            return false;
        }

        if (FhirTerms.TermOf(condition.Code) is not { } code)
        {
            return NotMapped(record, "Condition.code has no coding of a code system this import maps", FhirTerms.SystemsOf(condition.Code));
        }

        var disease = new JsonObject { ["diseaseCode"] = code };
        var ages = new List<AgeSlot>();
        var notes = Notes(condition.Note);
        switch (condition.Onset)
        {
            case Age age:
                if (AgeOf(age, record, "Condition.onsetAge") is { } onset)
                {
                    disease["ageOfOnset"] = new JsonObject { ["iso8601duration"] = onset };
                }

                break;
            case Hl7.Fhir.Model.Range range when AgeRange(range, record, "Condition.onsetRange") is { } ageRange:
                disease["ageOfOnset"] = ageRange;
                break;
            case FhirDateTime dateTime when PartialDate.Parse(dateTime.Value) is { } date:
                ages.Add(new AgeSlot(disease, "ageOfOnset", date, "Condition.onsetDateTime"));
                break;
            case Period period when PartialDate.Parse(period.Start) is { } start:
                ages.Add(new AgeSlot(disease, "ageOfOnset", start, "Condition.onsetPeriod.start"));
                break;
            case FhirString text:
                notes.Add("onset: " + text.Value);
                break;
            default:
                break;
        }

        if (condition.Severity is { } severity)
        {
            var severe = severity.Coding.Where(c => c.System == Snomed).Select(c => c.Code ?? "")
                .Select(code => Severities.GetValueOrDefault(code)).FirstOrDefault(s => s.Id is not null);
            var term = severe.Id is not null ? Term(severe.Id, severe.Label) : FhirTerms.TermOf(severity);
            Optional(disease, "severity", term, record, "Condition.severity", severity);
        }

        if (condition.Stage.FirstOrDefault()?.Summary is { } stage)
        {
            Optional(disease, "stage", FhirTerms.TermOf(stage), record, "Condition.stage.summary", stage);
        }

        SetNotes(disease, notes);
        items.Add(new Pending(subject, Diseases, disease, record.Origin, ages));
        return true;
    }

    /// <summary>
    /// An Observation is a phenotypic feature when its code is an HPO term or its value is a boolean (the feature was
    /// seen, or not); otherwise its quantity or coded value (and each component's) is a measure.
    /// </summary>
    private bool AddObservation(Observation observation, FhirRecord record)
    {
        if (observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled && Skip(record, $"status {observation.Status.GetLiteral()}"))
        {
            return false;
        }

        if (Subject(observation.Subject, record, "Observation.subject") is not { } subject)
        {
            return false;
        }

        var notes = Notes(observation.Note);
        if (FhirTerms.Has(observation.Code, "HP") || observation.Value is FhirBoolean)
        {
            if (FhirTerms.TermOf(observation.Code, "HP") is not { } featureType)
            {
                return NotMapped(record, "Observation.code has no coding of a code system this import maps", FhirTerms.SystemsOf(observation.Code));
            }

            var feature = new JsonObject { ["featureType"] = featureType };
            if (Excluded(observation))
            {
                feature["excluded"] = true;
            }

            SetNotes(feature, notes);
            items.Add(new Pending(subject, PhenotypicFeatures, feature, record.Origin, []));
            return true;
        }

        var measures = new List<(JsonObject Measure, List<AgeSlot> Ages)>();
        if (observation.Value is not null)
        {
            if (Measure(observation.Code, observation.Value, observation, record, "Observation") is not { } measure)
            {
                return false;
            }

            measures.Add(measure);
        }

        foreach (var component in observation.Component)
        {
            if (component.Value is null)
            {
                continue;
            }

            if (Measure(component.Code, component.Value, observation, record, "Observation.component") is not { } measure)
            {
                return false;
            }

            measures.Add(measure);
        }

        if (measures.Count == 0)
        {
            return observation.DataAbsentReason is not null
                ? !Skip(record, "no value (dataAbsentReason)")
                : NotMapped(record, "an Observation with no value: neither a phenotypic feature (an HPO code or a boolean value) nor a measure", "no value[x] and no component value");
        }

        foreach (var (measure, ages) in measures)
        {
            SetNotes(measure, notes);
            items.Add(new Pending(subject, Measures, measure, record.Origin, ages));
        }

        return true;
    }

    private (JsonObject, List<AgeSlot>)? Measure(CodeableConcept code, DataType value, Observation observation, FhirRecord record, string element)
    {
        if (FhirTerms.TermOf(code) is not { } assay)
        {
            NotMapped(record, $"{element}.code has no coding of a code system this import maps", FhirTerms.SystemsOf(code));
            return null;
        }

        JsonObject measurementValue;
        switch (value)
        {
            case Quantity quantity:
                if (quantity.Value is not { } number || FhirTerms.PrefixOf(quantity.System) != "UCUM" || string.IsNullOrEmpty(quantity.Code))
                {
                    NotMapped(record, $"{element}.valueQuantity without a value and a UCUM unit code", $"unit '{quantity.Code ?? quantity.Unit}' of {quantity.System ?? "no system"}");
                    return null;
                }

                // The model's Value is the quantity itself ({unit, value}), not Phenopackets' {"quantity": {...}}.
                measurementValue = new JsonObject
                {
                    ["unit"] = Term("UCUM:" + quantity.Code, quantity.Unit ?? quantity.Code),
                    ["value"] = number,
                };
                break;
            case CodeableConcept concept:
                if (FhirTerms.TermOf(concept) is not { } term)
                {
                    NotMapped(record, $"{element}.valueCodeableConcept has no coding of a code system this import maps", FhirTerms.SystemsOf(concept));
                    return null;
                }

                measurementValue = term;
                break;
            default:
                NotMapped(record, $"{element}.value[x] of type {value.TypeName} is not mapped (a measure takes a Quantity or a CodeableConcept)", value.TypeName);
                return null;
        }

        var measure = new JsonObject { ["assayCode"] = assay, ["measurementValue"] = measurementValue };
        var ages = new List<AgeSlot>();
        if (EffectiveDate(observation.Effective) is { } effective)
        {
            if (effective.FullDate is { } date)
            {
                measure["date"] = date;
            }

            ages.Add(new AgeSlot(measure, "observationMoment", effective, "Observation.effective"));
        }

        return (measure, ages);
    }

    /// <summary>Whether an HPO Observation says the feature is absent: valueBoolean false, an "absent" code or a negative interpretation.</summary>
    private static bool Excluded(Observation observation) =>
        observation.Value switch
        {
            FhirBoolean flag => flag.Value == false,
            CodeableConcept concept => concept.Coding.Any(c =>
                FhirTerms.Is(c, Snomed, "2667000") || FhirTerms.Is(c, Snomed, "410516002") || FhirTerms.Is(c, Snomed, "373067005")
                || FhirTerms.Is(c, "http://loinc.org", "LA32-8")),
            _ => false,
        }
        || observation.Interpretation.SelectMany(i => i.Coding).Any(c => FhirTerms.Is(c, Interpretation, "NEG") || FhirTerms.Is(c, Interpretation, "ND"));

    private bool AddProcedure(Procedure procedure, FhirRecord record)
    {
        if (procedure.Status is EventStatus.NotDone or EventStatus.EnteredInError && Skip(record, $"status {procedure.Status.GetLiteral()}"))
        {
            return false;
        }

        if (Subject(procedure.Subject, record, "Procedure.subject") is not { } subject)
        {
            return false;
        }

        if (FhirTerms.TermOf(procedure.Code) is not { } code)
        {
            return NotMapped(record, "Procedure.code has no coding of a code system this import maps", FhirTerms.SystemsOf(procedure.Code));
        }

        var item = new JsonObject { ["procedureCode"] = code };
        if (procedure.BodySite.FirstOrDefault() is { } site)
        {
            Optional(item, "bodySite", FhirTerms.TermOf(site), record, "Procedure.bodySite", site);
        }

        var ages = new List<AgeSlot>();
        switch (procedure.Performed)
        {
            case Age age:
                if (AgeOf(age, record, "Procedure.performedAge") is { } performed)
                {
                    item["ageAtProcedure"] = new JsonObject { ["iso8601duration"] = performed };
                }

                break;
            case Hl7.Fhir.Model.Range range when AgeRange(range, record, "Procedure.performedRange") is { } ageRange:
                item["ageAtProcedure"] = ageRange;
                break;
            default:
                if (EffectiveDate(procedure.Performed) is { } date)
                {
                    if (date.FullDate is { } full)
                    {
                        item["dateOfProcedure"] = full;
                    }

                    ages.Add(new AgeSlot(item, "ageAtProcedure", date, "Procedure.performed"));
                }

                break;
        }

        items.Add(new Pending(subject, Procedures, item, record.Origin, ages));
        return true;
    }

    private bool AddFamilyHistory(FamilyMemberHistory history, FhirRecord record)
    {
        if (history.Status == FamilyMemberHistory.FamilyHistoryStatus.EnteredInError && Skip(record, "status entered-in-error"))
        {
            return false;
        }

        if (Subject(history.Patient, record, "FamilyMemberHistory.patient") is not { } subject)
        {
            return false;
        }

        if (history.Condition.Count == 0)
        {
            return !Skip(record, "no condition (nothing a disease entry could say)");
        }

        var relative = history.Relationship?.Coding.FirstOrDefault() is { } coding
            ? coding.Display ?? history.Relationship.Text ?? coding.Code
            : history.Relationship?.Text;
        var diseases = new List<JsonObject>();
        foreach (var condition in history.Condition)
        {
            if (FhirTerms.TermOf(condition.Code) is not { } code)
            {
                return NotMapped(record, "FamilyMemberHistory.condition.code has no coding of a code system this import maps", FhirTerms.SystemsOf(condition.Code));
            }

            // The relative's onset is not the individual's: it goes to the notes, never to ageOfOnset.
            var notes = new List<string>();
            if (!string.IsNullOrWhiteSpace(relative))
            {
                notes.Add("family member: " + relative);
            }

            if (condition.Onset is Age age && FhirAges.Of(age, out _) is { } onset)
            {
                notes.Add("family member's age of onset: " + onset);
            }

            notes.AddRange(Notes(condition.Note));
            var disease = new JsonObject { ["diseaseCode"] = code, ["familyHistory"] = true };
            SetNotes(disease, notes);
            diseases.Add(disease);
        }

        foreach (var disease in diseases)
        {
            items.Add(new Pending(subject, Diseases, disease, record.Origin, []));
        }

        return true;
    }

    private bool AddSpecimen(Specimen specimen, FhirRecord record)
    {
        if (string.IsNullOrEmpty(specimen.Id))
        {
            throw new ClinicalImportException($"{record.Origin}: a Specimen without an id: its id names the biosample");
        }

        if (Subject(specimen.Subject, record, "Specimen.subject") is not { } subject)
        {
            return false;
        }

        // individualId is set once the reference is resolved (Finish); given here for its place in the document.
        var document = new JsonObject { ["id"] = specimen.Id, ["individualId"] = subject.PatientId };
        // FHIR says nothing of a sample being normal or abnormal: its status is unknown.
        document["biosampleStatus"] = Term("NCIT:C17998", "unknown");
        var type = FhirTerms.TermOf(specimen.Type);
        if (type is not null && type["id"]!.GetValue<string>().StartsWith("OBI:", StringComparison.Ordinal))
        {
            document["sampleOriginType"] = type;
        }
        else
        {
            // A Specimen of a Patient is a specimen from an organism; its type (blood, tissue, ...) is the detail.
            document["sampleOriginType"] = Term("OBI:0001479", "specimen from organism");
            if (specimen.Type is not null)
            {
                Optional(document, "sampleOriginDetail", type, record, "Specimen.type", specimen.Type);
            }
        }

        var ages = new List<AgeSlot>();
        if (specimen.Collection is { } collection)
        {
            if (EffectiveDate(collection.Collected) is { } collected)
            {
                if (collected.FullDate is { } date)
                {
                    document["collectionDate"] = date;
                }

                ages.Add(new AgeSlot(document, "collectionMoment", collected, "Specimen.collection.collected", Text: true));
            }

            if (collection.Method is { } method && FhirTerms.TermOf(method) is { } procedure)
            {
                var obtention = new JsonObject { ["procedureCode"] = procedure };
                if (collection.BodySite is { } site)
                {
                    Optional(obtention, "bodySite", FhirTerms.TermOf(site), record, "Specimen.collection.bodySite", site);
                }

                document["obtentionProcedure"] = obtention;
            }
        }

        SetNotes(document, Notes(specimen.Note));
        specimens.Add(new PendingSpecimen(specimen.Id, subject, document, record.Origin, ages));
        return true;
    }

    private bool Unmapped(FhirRecord record)
    {
        var type = record.Resource.TypeName;
        if (!options.Lenient)
        {
            throw new ClinicalImportException(
                $"{record.Origin}: resource type '{type}' is not mapped: this import maps Patient, Condition, Observation, Procedure, Specimen and FamilyMemberHistory " +
                "(docs/fhir-mapping.md); --lenient skips other types with a warning");
        }

        warnings.Add($"{type} resources are not mapped and were skipped", record.Origin);
        return false;
    }

    /// <summary>The element an entry is built on cannot be mapped: refused, or (lenient) the resource skipped with a warning.</summary>
    private bool NotMapped(FhirRecord record, string reason, string detail)
    {
        if (!options.Lenient)
        {
            throw new ClinicalImportException($"{record.Origin}: {reason} ({detail}); --lenient skips such resources with a warning");
        }

        warnings.Add($"{reason}; skipped", record.Origin);
        return false;
    }

    /// <summary>A resource that states no fact of the individual (refuted, entered in error, not done): skipped in both modes.</summary>
    private bool Skip(FhirRecord record, string why)
    {
        warnings.Add($"{record.Resource.TypeName} with {why} is not imported", record.Origin);
        return true;
    }

    /// <summary>An optional element (severity, stage, body site, specimen type) whose codes do not map is left out with a warning.</summary>
    private void Optional(JsonObject target, string property, JsonObject? term, FhirRecord record, string element, CodeableConcept concept)
    {
        if (term is not null)
        {
            target[property] = term;
            return;
        }

        warnings.Add($"{element} left out: {FhirTerms.SystemsOf(concept)} (no code system this import maps)", record.Origin);
    }

    /// <summary>The Patient a subject reference names (resolved in <see cref="Finish"/>), or null when it names none.</summary>
    private SubjectReference? Subject(ResourceReference? reference, FhirRecord record, string element)
    {
        var text = reference?.Reference;
        if (string.IsNullOrEmpty(text))
        {
            NotMapped(record, $"{element} names no Patient by reference", reference?.Identifier is null ? "no reference" : "a logical reference (identifier) only");
            return null;
        }

        if (text.StartsWith('#'))
        {
            NotMapped(record, $"{element} is a reference to a contained resource", text);
            return null;
        }

        if (text.StartsWith("urn:", StringComparison.Ordinal))
        {
            return new SubjectReference(text, null);
        }

        // Patient/123, Patient/123/_history/2, or an absolute URL ending so.
        var parts = text.Split('/');
        var at = Array.LastIndexOf(parts, "_history") is var history and > 1 ? history - 2 : parts.Length - 2;
        if (at < 0 || parts[at] != "Patient" || parts[at + 1].Length == 0)
        {
            NotMapped(record, $"{element} names no Patient", text);
            return null;
        }

        return new SubjectReference(text, parts[at + 1]);
    }

    private string Resolve(SubjectReference subject, string origin)
    {
        if (patientsByFullUrl.TryGetValue(subject.Reference, out var byUrl))
        {
            return byUrl;
        }

        return subject.PatientId ?? throw new ClinicalImportException(
            $"{origin}: the reference '{subject.Reference}' names no Patient entry of this import (a urn: reference must match a Bundle entry's fullUrl)");
    }

    /// <summary>Sets the ages from dates; false when a date before the birth date made a lenient import drop the item.</summary>
    private bool SetAges(List<AgeSlot> ages, PatientEntry patient, string origin)
    {
        foreach (var slot in ages)
        {
            if (patient.Birth is not { } birth)
            {
                warnings.Add($"{slot.Element} kept without an age: the Patient has no birthDate", origin);
                continue;
            }

            string? age;
            try
            {
                age = Between(birth, slot.Moment);
            }
            catch (ArgumentException)
            {
                var reason = $"{slot.Element} is before the Patient's birthDate";
                if (!options.Lenient)
                {
                    throw new ClinicalImportException($"{origin}: {reason} (Patient '{patient.Id}' at {patient.Origin})");
                }

                warnings.Add($"{reason}; skipped", origin);
                return false;
            }

            if (age is null)
            {
                warnings.Add($"{slot.Element} kept without an age: the date or the birthDate has no month", origin);
                continue;
            }

            slot.Target[slot.Property] = slot.Text ? age : new JsonObject { ["iso8601duration"] = age };
        }

        return true;
    }

    private void DropAges(List<AgeSlot> ages, string origin)
    {
        foreach (var slot in ages)
        {
            warnings.Add($"{slot.Element} kept without an age: the Patient's birthDate is known only from a Patient in the same import", origin);
        }
    }

    private string? AgeOf(Quantity age, FhirRecord record, string element)
    {
        if (FhirAges.Of(age, out var problem) is { } duration)
        {
            return duration;
        }

        if (!options.Lenient)
        {
            throw new ClinicalImportException($"{record.Origin}: {element}: {problem}");
        }

        warnings.Add($"{element} left out: {problem}", record.Origin);
        return null;
    }

    private JsonObject? AgeRange(Hl7.Fhir.Model.Range range, FhirRecord record, string element)
    {
        if (range.Low is null || range.High is null)
        {
            warnings.Add($"{element} left out: an age range needs both ends", record.Origin);
            return null;
        }

        return AgeOf(range.Low, record, element + ".low") is { } start && AgeOf(range.High, record, element + ".high") is { } end
            ? new JsonObject { ["start"] = new JsonObject { ["iso8601duration"] = start }, ["end"] = new JsonObject { ["iso8601duration"] = end } }
            : null;
    }

    /// <summary>The date of an effective[x] / performed[x] / collected[x]: a dateTime, an instant, or a period's start.</summary>
    private static PartialDate? EffectiveDate(DataType? value) => value switch
    {
        FhirDateTime dateTime => PartialDate.Parse(dateTime.Value),
        Instant instant when instant.Value is { } moment => new PartialDate(moment.Year, moment.Month, moment.Day),
        Period period => PartialDate.Parse(period.Start),
        _ => null,
    };

    private static List<string> Notes(List<Annotation> notes) =>
        notes.Select(n => n.Text?.Trim()).Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();

    private static void SetNotes(JsonObject target, List<string> notes)
    {
        if (notes.Count > 0)
        {
            target["notes"] = string.Join("; ", notes);
        }
    }

    private static JsonObject Term(string id, string label) => new() { ["id"] = id, ["label"] = label };

    private sealed record SubjectReference(string Reference, string? PatientId);

    /// <summary>An age the document gets once the Patient's birth date is known: {"iso8601duration"} (or the bare duration when <paramref name="Text"/>).</summary>
    private sealed record AgeSlot(JsonObject Target, string Property, PartialDate Moment, string Element, bool Text = false);

    private sealed record Pending(SubjectReference Subject, string Field, JsonObject Item, string Origin, List<AgeSlot> Ages);

    private sealed record PendingSpecimen(string Id, SubjectReference Subject, JsonObject Document, string Origin, List<AgeSlot> Ages);

    private sealed class PatientEntry(string id, string origin, JsonObject sex, PartialDate? birth)
    {
        public string Id { get; } = id;

        public string Origin { get; } = origin;

        public JsonObject Sex { get; } = sex;

        public PartialDate? Birth { get; } = birth;

        public Dictionary<string, List<JsonNode>> Items { get; } = Fields.ToDictionary(f => f, _ => new List<JsonNode>(), StringComparer.Ordinal);
    }
}
