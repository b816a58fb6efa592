using System.Globalization;
using System.Text;
using System.Text.Json;
using GenomeNode.DataUseOntology.DataUse;
using GenomeNode.DataUseOntology.Matching;
using GenomeNode.Htsget.Access;
using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Host.Admin;

public sealed record DatasetAddArguments(string Id, string Name, string Tier, string? Description, string? VisaValue = null, string? Streaming = null);

public sealed record DatasetListArguments(bool Json);

public sealed record DatasetRemoveArguments(string Id);

public sealed record DatasetUseArguments(string Id, IReadOnlyList<string> Duo, IReadOnlyList<string> Diseases);

/// <summary>The <c>dataset add|list|remove</c> operations over the Passport module's catalog.</summary>
internal static class DatasetOperations
{
    public const string Add = "dataset.add";
    public const string List = "dataset.list";
    public const string Remove = "dataset.remove";
    public const string Use = "dataset.use";

    public static async Task<OperationResult> AddAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<DatasetAddArguments>(arguments);
        if (!AccessTiers.TryParse(request.Tier, out var tier))
        {
            return OperationResult.Fail(
                $"unknown tier '{request.Tier}': use one of {string.Join(", ", AccessTiers.Names)}");
        }

        try
        {
            StreamingPolicy? streaming = null;
            if (request.Streaming is not null)
            {
                if (!StreamingPolicies.TryParse(request.Streaming, out var parsed))
                {
                    return OperationResult.Fail($"unknown streaming policy '{request.Streaming}': use one of {string.Join(", ", StreamingPolicies.Names)}");
                }

                streaming = parsed;
            }

            var catalog = services.GetRequiredService<DatasetCatalog>();
            var downloads = services.GetRequiredService<DatasetStreaming>();
            var added = await catalog.AddAsync(new NewDataset(request.Id, request.Name, tier, request.Description, VisaValue: request.VisaValue),
                streaming is { } policy ? () => downloads.SetInTransaction(request.Id, policy) : null, cancellationToken);
            var effective = (streaming ?? StreamingPolicies.DefaultFor(added.Tier)).Name();
            return OperationResult.Ok(added.Tier == AccessTier.Controlled && added.VisaValue is null
                ? $"added dataset '{added.Id}' (controlled, streaming {effective}, without --visa-value: no passport can grant it)"
                : $"added dataset '{added.Id}' ({added.Tier.ToName()}, streaming {effective})");
        }
        catch (DatasetCatalogException ex)
        {
            return OperationResult.Fail(ex.Message);
        }
    }

    public static async Task<OperationResult> ListAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<DatasetListArguments>(arguments);
        var datasets = await services.GetRequiredService<DatasetCatalog>().ListAsync(cancellationToken);
        var dataUse = services.GetRequiredService<DatasetDataUse>();
        var conditions = datasets.ToDictionary(d => d.Id, d => dataUse.Find(d.Id));
        if (request.Json)
        {
            var rows = datasets.Select(d => new
            {
                id = d.Id,
                name = d.Name,
                description = d.Description,
                tier = d.Tier.ToName(),
                visaValue = d.VisaValue,
                demo = d.IsDemo,
                createdAt = d.CreatedAt,
                dataUse = conditions[d.Id],
            });
            return OperationResult.Ok(JsonSerializer.Serialize(rows, NodeOperations.Json));
        }

        return OperationResult.Ok(FormatTable(datasets, conditions));
    }

    public static async Task<OperationResult> RemoveAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<DatasetRemoveArguments>(arguments);
        try
        {
            // Every module's data of the dataset goes in the catalog's one transaction (the dataset lifecycle).
            await services.GetRequiredService<DatasetCatalog>().RemoveAsync(request.Id, cancellationToken);
            return OperationResult.Ok($"removed dataset '{request.Id}'");
        }
        catch (DatasetCatalogException ex)
        {
            return OperationResult.Fail(ex.Message);
        }
    }

    public static Task<OperationResult> UseAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<DatasetUseArguments>(arguments);
        var dataUse = services.GetRequiredService<DatasetDataUse>();
        DataUseConditions conditions;
        try
        {
            conditions = dataUse.Interpret(request.Duo, request.Diseases);
        }
        catch (DataUseException ex)
        {
            return Task.FromResult(OperationResult.Fail(ex.Message));
        }

        try
        {
            services.GetRequiredService<DatasetCatalog>().WriteData(request.Id, () =>
            {
                dataUse.ReplaceInTransaction(request.Id, conditions);
                return conditions;
            });
        }
        catch (DatasetCatalogException ex)
        {
            return Task.FromResult(OperationResult.Fail(ex.Message));
        }

        return Task.FromResult(OperationResult.Ok($"dataset '{request.Id}' data use: {DatasetDataUse.Describe(conditions)}"));
    }

    private static string FormatTable(IReadOnlyList<Dataset> datasets, Dictionary<string, DataUseConditions?> conditions)
    {
        if (datasets.Count == 0)
        {
            return "no datasets";
        }

        string[] header = ["ID", "TIER", "DATA USE", "VISA VALUE", "NAME"];
        var rows = datasets
            .Select(d => new[]
            {
                d.Id,
                d.Tier.ToName(),
                conditions[d.Id] is { } use ? DatasetDataUse.Describe(use) : "-",
                d.VisaValue ?? "-",
                d.IsDemo ? $"{d.Name} [synthetic demo]" : d.Name,
            })
            .ToList();
        var widths = Enumerable.Range(0, header.Length - 1)
            .Select(column => Math.Max(header[column].Length, rows.Max(row => row[column].Length)))
            .ToArray();

        var table = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            for (var column = 0; column < widths.Length; column++)
            {
                table.Append(row[column].PadRight(widths[column] + 2));
            }

            table.Append(CultureInfo.InvariantCulture, $"{row[^1]}\n");
        }

        return table.ToString().TrimEnd('\n');
    }
}
