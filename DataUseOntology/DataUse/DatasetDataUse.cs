using DuckDB.NET.Data;
using GenomeNode.DataUseOntology.Matching;
using GenomeNode.DataUseOntology.Ontologies;

namespace GenomeNode.DataUseOntology.DataUse;

/// <summary>A request about data-use conditions that is refused; the message names the term at fault.</summary>
public sealed class DataUseException(string message) : Exception(message);

/// <summary>
/// Data-use conditions per dataset, in DUO terms (table <c>ontology.dataset_conditions</c>), checked against the
/// loaded DUO: a known, current permission, known current modifiers, and disease terms exactly when DS asks for them.
/// </summary>
public sealed class DatasetDataUse(DuckDBConnection connection, OntologyStore ontologies, DataUseViews? views = null)
{
    /// <summary>
    /// Turns the DUO terms an operator gives (one permission and any modifiers, in any order) and disease terms into
    /// conditions, refusing unknown, obsolete or wrong-kind terms with a message naming the term.
    /// </summary>
    public DataUseConditions Interpret(IEnumerable<string> duoTerms, IEnumerable<string> diseases)
    {
        ArgumentNullException.ThrowIfNull(duoTerms);
        ArgumentNullException.ThrowIfNull(diseases);
        var permissions = new List<string>();
        var modifiers = new List<string>();
        foreach (var id in duoTerms.Select(term => term.Trim()).Distinct(StringComparer.Ordinal))
        {
            var term = RequireCurrentTerm(id, "DUO term");
            if (term.Ontology != DuoOntology.Prefix)
            {
                throw new DataUseException($"{id} is not a DUO term");
            }

            if (IsStrictDescendant(id, DuoTerms.Permission))
            {
                permissions.Add(id);
            }
            else if (IsStrictDescendant(id, DuoTerms.Modifier))
            {
                modifiers.Add(id);
            }
            else
            {
                throw new DataUseException(
                    $"{id} ({term.Label}) is neither a data use permission nor a data use modifier");
            }
        }

        var permission = permissions.Count switch
        {
            1 => permissions[0],
            0 => throw new DataUseException(
                "give exactly one data use permission (NRES DUO:0000004, GRU DUO:0000042, HMB DUO:0000006, DS DUO:0000007 or POA DUO:0000011)"),
            _ => throw new DataUseException($"give exactly one data use permission, not {string.Join(" and ", permissions)}"),
        };

        var diseaseTerms = diseases.Select(disease => disease.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var diseaseSpecific = ontologies.IsSameOrDescendant(permission, DuoTerms.DS);
        if (diseaseSpecific && diseaseTerms.Count == 0)
        {
            throw new DataUseException($"{permission} (disease specific research) needs at least one disease term");
        }

        if (!diseaseSpecific && diseaseTerms.Count > 0)
        {
            throw new DataUseException(
                $"disease terms apply only to disease specific research (DS {DuoTerms.DS}), not to {permission}");
        }

        foreach (var disease in diseaseTerms)
        {
            RequireDisease(disease);
        }

        return new DataUseConditions(permission, modifiers, diseaseTerms);
    }

    /// <summary>Checks conditions given as a whole (e.g. in a match request) the same way.</summary>
    public DataUseConditions Interpret(DataUseConditions conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        return Interpret([conditions.Permission, .. conditions.Modifiers ?? []], conditions.Diseases ?? []);
    }

    /// <summary>Sets a dataset's conditions, replacing what it had, in one transaction.</summary>
    public void Replace(string datasetId, DataUseConditions conditions)
    {
        using var transaction = connection.BeginTransaction();
        ReplaceInTransaction(datasetId, conditions);
        transaction.Commit();
        views?.Invalidate(); // within the dataset lifecycle, DataUseDatasetData drops them on commit
    }

    /// <summary>Sets a dataset's conditions, replacing what it had, inside the caller's open transaction.</summary>
    public void ReplaceInTransaction(string datasetId, DataUseConditions conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        Remove(datasetId);
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO ontology.dataset_conditions (dataset_id, role, term_id, position) VALUES ($1, $2, $3, $4)";
        var rows = new[] { ("permission", conditions.Permission) }
            .Concat(conditions.Modifiers.Select(modifier => ("modifier", modifier)))
            .Concat(conditions.Diseases.Select(disease => ("disease", disease)))
            .Select((row, position) => (row.Item1, row.Item2, position));
        foreach (var (role, term, position) in rows)
        {
            insert.Parameters.Clear();
            insert.Parameters.Add(new DuckDBParameter(datasetId));
            insert.Parameters.Add(new DuckDBParameter(role));
            insert.Parameters.Add(new DuckDBParameter(term));
            insert.Parameters.Add(new DuckDBParameter(position));
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>The dataset's conditions, or null when none are recorded.</summary>
    public DataUseConditions? Find(string datasetId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT role, term_id FROM ontology.dataset_conditions WHERE dataset_id = $1 ORDER BY position";
        command.Parameters.Add(new DuckDBParameter(datasetId));
        using var reader = command.ExecuteReader();
        string? permission = null;
        var modifiers = new List<string>();
        var diseases = new List<string>();
        while (reader.Read())
        {
            var term = reader.GetString(1);
            switch (reader.GetString(0))
            {
                case "permission": permission = term; break;
                case "modifier": modifiers.Add(term); break;
                default: diseases.Add(term); break;
            }
        }

        return permission is null ? null : new DataUseConditions(permission, modifiers, diseases);
    }

    public void Remove(string datasetId)
    {
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM ontology.dataset_conditions WHERE dataset_id = $1";
        delete.Parameters.Add(new DuckDBParameter(datasetId));
        delete.ExecuteNonQuery();
    }

    /// <summary>"DS (DUO:0000007) MONDO:0007254; NPU (DUO:0000045)", for listings.</summary>
    public static string Describe(DataUseConditions conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var permission = $"{DuoTerms.Shorthand(conditions.Permission)}" +
                         (conditions.Diseases.Count > 0 ? $"[{string.Join(",", conditions.Diseases)}]" : "");
        return string.Join(" ", conditions.Modifiers.Select(DuoTerms.Shorthand).Prepend(permission));
    }

    private StoredTerm RequireCurrentTerm(string id, string what)
    {
        if (!Curie.IsValid(id))
        {
            throw new DataUseException($"'{id}' is not a PREFIX:ID term identifier");
        }

        var term = ontologies.FindTerm(id) ?? throw new DataUseException($"unknown {what} {id}");
        if (term.IsObsolete)
        {
            var replacement = term.ReplacedBy is { Length: > 0 } replaced ? $"; use {replaced} instead" : "";
            throw new DataUseException($"{id} ({term.Label}) is obsolete{replacement}");
        }

        return term;
    }

    private void RequireDisease(string disease)
    {
        if (!Curie.IsValid(disease))
        {
            throw new DataUseException($"'{disease}' is not a PREFIX:ID disease term");
        }

        // With the disease ontology loaded the term must be in it; without it, any well-formed term is taken as given.
        // The shipped NCIt subset holds sex terms only: it is not NCIt's diseases.
        if (ontologies.Find(Curie.PrefixOf(disease)!) is { } loaded && loaded.Source != SexOntology.Source)
        {
            RequireCurrentTerm(disease, "disease term");
        }
        else if (Curie.PrefixOf(disease) == DuoOntology.Prefix)
        {
            throw new DataUseException($"{disease} is a DUO term, not a disease");
        }
    }

    private bool IsStrictDescendant(string term, string ancestor) =>
        !string.Equals(term, ancestor, StringComparison.Ordinal) && ontologies.IsSameOrDescendant(term, ancestor);
}
