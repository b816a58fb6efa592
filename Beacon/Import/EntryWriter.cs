using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using GenomeNode.Beacon.Entries;
using GenomeNode.Beacon.Ingest;
using GenomeNode.Storage;

namespace GenomeNode.Beacon.Import;

/// <summary>What an import stored.</summary>
/// <param name="AmendedIndividuals">stored individuals the import did not bring whose documents its items joined (<see cref="ClinicalBatch.IndividualAdditions"/>)</param>
public sealed record ClinicalImportResult(
    string DatasetId, IReadOnlyDictionary<EntryType, int> Entries, long Variants, int NewIndividuals, IReadOnlyList<string> Warnings, int AmendedIndividuals = 0);

/// <summary>
/// Writes a <see cref="ClinicalBatch"/> into a dataset inside the caller's open transaction (the catalog's
/// <c>WriteData</c>): the dataset's counter row is claimed first (a second writer of the dataset fails instead of
/// mixing), every link is checked before anything is written, individuals are matched by id to the dataset's own
/// (VCF samples included: one entity) and new ones numbered from the counter, and the entries the batch brings replace
/// those of the same type and id.
/// </summary>
public sealed class EntryWriter(DuckDBConnection connection)
{
    /// <exception cref="ClinicalImportException">an id given twice, or a link to an entry neither stored nor imported</exception>
    public ClinicalImportResult WriteInTransaction(string datasetId, ClinicalBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var individuals = DatasetIndividuals.Load(connection, datasetId);
        Check(datasetId, batch, individuals);
        foreach (var entry in batch.Entries.Where(e => e.Type == EntryType.Individual))
        {
            individuals.IndexOf(entry.Id);
        }

        var added = individuals.Added.Count;
        individuals.Store(connection);
        // The batch's documents are staged once and applied by one statement per table: a statement per entry made a
        // 10,000-individual import spend its time in statement overhead.
        connection.Execute("CREATE OR REPLACE TEMP TABLE import_staged (entry_type VARCHAR NOT NULL, id VARCHAR NOT NULL, document VARCHAR NOT NULL)");
        using (var staged = connection.CreateAppender("temp", "main", "import_staged"))
        {
            foreach (var entry in batch.Entries)
            {
                staged.CreateRow().AppendValue(entry.Type.Name()).AppendValue(entry.Id).AppendValue(entry.Document).EndRow();
            }
        }

        connection.Execute("""
            UPDATE beacon.individuals SET document = staged.document FROM import_staged staged
            WHERE beacon.individuals.dataset_id = $1 AND staged.entry_type = 'individual' AND beacon.individuals.id = staged.id
            """, datasetId);
        connection.Execute("""
            DELETE FROM beacon.entries WHERE dataset_id = $1
            AND EXISTS (SELECT 1 FROM import_staged staged WHERE staged.entry_type = beacon.entries.entry_type AND staged.id = beacon.entries.id)
            """, datasetId);
        connection.Execute("DROP TABLE import_staged");

        using (var appender = connection.CreateAppender("beacon", "entries"))
        {
            foreach (var entry in batch.Entries.Where(e => e.Type != EntryType.Individual))
            {
                var row = appender.CreateRow().AppendValue(datasetId).AppendValue(entry.Type.Name()).AppendValue(entry.Id);
                row = entry.IndividualId is null ? row.AppendNullValue() : row.AppendValue(entry.IndividualId);
                row = entry.BiosampleId is null ? row.AppendNullValue() : row.AppendValue(entry.BiosampleId);
                row = entry.RunId is null ? row.AppendNullValue() : row.AppendValue(entry.RunId);
                row.AppendValue(entry.Document).EndRow();
            }
        }

        var amended = Amend(datasetId, batch.IndividualAdditions);
        batch.WriteVariants?.Invoke(connection, datasetId);
        var counts = batch.Entries.GroupBy(e => e.Type).ToDictionary(g => g.Key, g => g.Count());
        return new ClinicalImportResult(datasetId, counts, batch.Variants, added, batch.Warnings, amended);
    }

    /// <summary>
    /// Appends the additions to their individuals' stored documents (an item equal to one already there is not added
    /// again, so importing the same export twice changes nothing); an individual known only as a VCF sample gets a
    /// document with its id and sex unknown (NCIT:C17998). Returns how many individuals changed.
    /// </summary>
    private int Amend(string datasetId, IReadOnlyList<IndividualAddition> additions)
    {
        var amended = 0;
        foreach (var group in additions.GroupBy(a => a.IndividualId, StringComparer.Ordinal))
        {
            var stored = connection.Read("SELECT document FROM beacon.individuals WHERE dataset_id = $1 AND id = $2",
                r => r.IsDBNull(0) ? null : r.GetString(0), datasetId, group.Key).Single();
            var document = stored is null
                ? new JsonObject { ["id"] = group.Key, ["sex"] = new JsonObject { ["id"] = "NCIT:C17998", ["label"] = "unknown" } }
                : JsonNode.Parse(stored)!.AsObject();
            var changed = stored is null;
            foreach (var addition in group)
            {
                if (document[addition.Field] is not JsonArray items)
                {
                    items = [];
                    document[addition.Field] = items;
                }

                var item = JsonNode.Parse(addition.Item)!;
                if (!items.Any(existing => JsonNode.DeepEquals(existing, item)))
                {
                    items.Add(item);
                    changed = true;
                }
            }

            if (changed)
            {
                connection.Execute("UPDATE beacon.individuals SET document = $3 WHERE dataset_id = $1 AND id = $2", datasetId, group.Key, document.ToJsonString());
                amended++;
            }
        }

        return amended;
    }

    private void Check(string datasetId, ClinicalBatch batch, DatasetIndividuals individuals)
    {
        var seen = new Dictionary<(EntryType, string), string>();
        foreach (var entry in batch.Entries)
        {
            if (entry.Type == EntryType.GenomicVariation)
            {
                throw new ClinicalImportException($"{entry.Origin}: genomic variations are not entries of this table");
            }

            if (entry.Type == EntryType.Dataset && entry.Id != datasetId)
            {
                throw new ClinicalImportException(
                    $"{entry.Origin}: the dataset document's id '{entry.Id}' is not the dataset imported into ('{datasetId}')");
            }

            if (!seen.TryAdd((entry.Type, entry.Id), entry.Origin))
            {
                throw new ClinicalImportException($"{entry.Origin}: {entry.Type.Name()} '{entry.Id}' is also given at {seen[(entry.Type, entry.Id)]}");
            }
        }

        var stored = connection.Read("SELECT entry_type, id FROM beacon.entries WHERE dataset_id = $1", r => (r.GetString(0), r.GetString(1)), datasetId)
            .ToHashSet();
        bool Exists(EntryType type, string id) =>
            seen.ContainsKey((type, id)) || (type == EntryType.Individual ? individuals.Known.ContainsKey(id) : stored.Contains((type.Name(), id)));
        foreach (var addition in batch.IndividualAdditions)
        {
            if (!Exists(EntryType.Individual, addition.IndividualId))
            {
                throw new ClinicalImportException(
                    $"{addition.Origin}: individual '{addition.IndividualId}' is neither in this import nor an individual of dataset '{datasetId}'");
            }
        }

        foreach (var entry in batch.Entries)
        {
            Require(entry, "individualId", entry.IndividualId, EntryType.Individual);
            Require(entry, "biosampleId", entry.BiosampleId, EntryType.Biosample);
            Require(entry, "runId", entry.RunId, EntryType.Run);
        }

        void Require(ImportedEntry entry, string link, string? id, EntryType type)
        {
            if (id is not null && !Exists(type, id))
            {
                throw new ClinicalImportException(
                    $"{entry.Origin}: {link} '{id}' names no {type.Name()} of dataset '{datasetId}' nor of this import");
            }
        }
    }
}
