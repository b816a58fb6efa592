using System.CommandLine;
using GenomeNode.Host.Admin;
using GenomeNode.Htsget.Access;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Host.Cli;

/// <summary><c>genome-node dataset add|list|remove|use|update</c>.</summary>
internal static class DatasetCommands
{
    public static Command Create(GlobalOptions globals) =>
        new("dataset", "Manage the node's datasets: what data it holds and at which access tier.")
        {
            CreateAdd(globals),
            CreateList(globals),
            CreateRemove(globals),
            CreateUse(globals),
            CreateUpdate(globals),
        };

    private static Option<string> StreamingOption(string description)
    {
        var streaming = new Option<string>("--streaming") { Description = description, HelpName = "POLICY" };
        streaming.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, [.. StreamingPolicies.Names]);
        return streaming;
    }

    private const string StreamingDescription =
        "What the dataset's files may be downloaded as: any (plaintext or Crypt4GH), c4gh-only (Crypt4GH to the requester's key only) or none";

    private static Command CreateAdd(GlobalOptions globals)
    {
        var id = IdOption("Dataset id: letters, digits, '.', '_' and '-'");
        var name = new Option<string>("--name") { Description = "Human-readable dataset name", Required = true, HelpName = "NAME" };
        var tier = new Option<string>("--tier")
        {
            Description = "Access tier: public (anyone), registered (Registered Access visas) or controlled (a grant per dataset)",
            Required = true,
            HelpName = "TIER",
        };
        tier.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, [.. AccessTiers.Names]);
        var description = new Option<string>("--description") { Description = "What the dataset holds", HelpName = "TEXT" };
        var visaValue = new Option<string>("--visa-value")
        {
            Description = "Controlled datasets: the value of the ControlledAccessGrants visa that grants access (a URL or URN of the DAC)",
            HelpName = "URN",
        };

        var streaming = StreamingOption(StreamingDescription + " (default: c4gh-only for controlled datasets, any for others)");
        var command = new Command("add", "Add a dataset to the catalog.") { id, name, tier, description, visaValue, streaming };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, DatasetOperations.Add,
            new DatasetAddArguments(
                parseResult.GetRequiredValue(id),
                parseResult.GetRequiredValue(name),
                parseResult.GetRequiredValue(tier),
                parseResult.GetValue(description),
                parseResult.GetValue(visaValue),
                parseResult.GetValue(streaming)),
            cancellationToken));
        return command;
    }

    private static Command CreateList(GlobalOptions globals)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table" };
        var command = new Command("list", "List the datasets with their access tiers.") { json };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, DatasetOperations.List, new DatasetListArguments(parseResult.GetValue(json)), cancellationToken));
        return command;
    }

    private static Command CreateRemove(GlobalOptions globals)
    {
        var id = IdOption("Id of the dataset to remove");
        var command = new Command("remove", "Remove a dataset from the catalog.") { id };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, DatasetOperations.Remove, new DatasetRemoveArguments(parseResult.GetRequiredValue(id)), cancellationToken));
        return command;
    }

    private static Command CreateUse(GlobalOptions globals)
    {
        var id = IdOption("Id of the dataset");
        var duo = new Option<string[]>("--duo")
        {
            Description = "DUO terms: exactly one data use permission (e.g. DUO:0000007 for DS) and any modifiers (e.g. DUO:0000045 NPU)",
            Required = true,
            HelpName = "TERM",
            AllowMultipleArgumentsPerToken = true,
        };
        var disease = new Option<string[]>("--disease")
        {
            Description = "Disease terms (e.g. MONDO:0007254) that disease specific research (DS) is restricted to",
            HelpName = "TERM",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("use",
            "Set a dataset's data-use conditions as DUO terms, replacing what it had; unknown, obsolete or wrong-kind terms are refused.")
        {
            id, duo, disease,
        };
        command.SetAction((parseResult, cancellationToken) => NodeCommandLine.RunOperationAsync(
            parseResult, globals, DatasetOperations.Use,
            new DatasetUseArguments(parseResult.GetRequiredValue(id), parseResult.GetRequiredValue(duo), parseResult.GetValue(disease) ?? []),
            cancellationToken));
        return command;
    }

    private static Command CreateUpdate(GlobalOptions globals)
    {
        var id = IdOption("Id of the dataset: its catalogue identifier, which must follow GDI-CC-ORG-NNN (e.g. GDI-FI-THL-001)");
        var metadata = new Option<FileInfo>("--metadata")
        {
            Description = "A JSON file with the whole description (docs/fdp.md); replaces the stored one, then the options below apply",
            HelpName = "FILE",
        };
        Option<string[]> Many(string name, string description, string helpName) =>
            new(name) { Description = description, HelpName = helpName, AllowMultipleArgumentsPerToken = true };
        Option<string> One(string name, string description, string helpName) =>
            new(name) { Description = description, HelpName = helpName };
        var title = Many("--title", "Title in a language, e.g. en=Finnish genomes (repeat per language)", "LANG=TEXT");
        var description = Many("--description", "Description in a language (repeat per language)", "LANG=TEXT");
        var keyword = Many("--keyword", "Keyword in a language (repeatable; replaces all keywords)", "LANG=TEXT");
        var creator = Many("--creator", "Who produced the dataset (repeatable)", "NAME");
        var publisher = One("--publisher", "Who makes the dataset available (default: the node's FairDataPoint:Publisher)", "NAME");
        var publisherEmail = One("--publisher-email", "The publisher's e-mail address", "ADDRESS");
        var contactName = One("--contact-name", "Name of the contact point for the dataset", "NAME");
        var contactEmail = One("--contact-email", "E-mail address of the contact point (written as a mailto: IRI)", "ADDRESS");
        var contactUrl = One("--contact-url", "Web page of the contact point", "URL");
        var accessRights = One("--access-rights", "public, restricted or non-public (default: public for a public dataset, else restricted)", "RIGHTS");
        var legislation = Many("--legislation", "Applicable legislation: EHDS, GDPR or an ELI IRI (default: EHDS)", "LAW");
        var healthCategory = Many("--health-category", "genetic, epigenomic or genomic (human ... data)", "CATEGORY");
        var theme = Many("--theme", "EU data theme (HEAL, ...) or an IRI (default: HEAL)", "THEME");
        var language = Many("--language", "Language of the data: ISO 639-1 (en, fi), an EU code (ENG) or an IRI", "LANG");
        var format = Many("--format", "File format of a distribution: VCF, BCF, BAM, CRAM, SAM, FASTQ or an IRI (one distribution each)", "FORMAT");
        var hdabName = One("--hdab-name", "The health data access body that grants access", "NAME");
        var hdabEmail = One("--hdab-email", "The health data access body's e-mail address", "ADDRESS");
        var hdabUrl = One("--hdab-url", "The health data access body's web page", "URL");
        var records = new Option<long?>("--records") { Description = "Number of records in the dataset", HelpName = "N" };
        var individuals = new Option<long?>("--individuals") { Description = "Number of unique individuals in the dataset", HelpName = "N" };
        var accessUrl = One("--access-url", "Where to learn how to get the data (default: the dataset's Beacon entry)", "URL");
        var remove = new Option<bool>("--remove-description") { Description = "Remove the description: the FAIR Data Point no longer lists the dataset" };
        var streaming = StreamingOption(StreamingDescription);
        var command = new Command("update",
            "Change a dataset's download policy (--streaming) or describe it for the FAIR Data Point (HealthDCAT-AP): what is given replaces what was stored; the whole description is checked before it is stored.")
        {
            id, metadata, title, description, keyword, creator, publisher, publisherEmail, contactName, contactEmail, contactUrl,
            accessRights, legislation, healthCategory, theme, language, format, hdabName, hdabEmail, hdabUrl, records, individuals,
            accessUrl, remove, streaming,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            string? json = null;
            var file = parseResult.GetValue(metadata);
            if (file is not null)
            {
                try
                {
                    json = await File.ReadAllTextAsync(file.FullName, cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    await parseResult.InvocationConfiguration.Error.WriteLineAsync($"error: {NodeCommandLine.OneLine(ex.Message)}");
                    return OperationResult.Failed;
                }
            }

            return await NodeCommandLine.RunOperationAsync(parseResult, globals, DatasetDescriptionOperations.Update,
                new DatasetUpdateArguments(
                    parseResult.GetRequiredValue(id), json, file?.Name,
                    parseResult.GetValue(title), parseResult.GetValue(description), parseResult.GetValue(keyword), parseResult.GetValue(creator),
                    parseResult.GetValue(publisher), parseResult.GetValue(publisherEmail),
                    parseResult.GetValue(contactName), parseResult.GetValue(contactEmail), parseResult.GetValue(contactUrl),
                    parseResult.GetValue(accessRights), parseResult.GetValue(legislation), parseResult.GetValue(healthCategory),
                    parseResult.GetValue(theme), parseResult.GetValue(language), parseResult.GetValue(format),
                    parseResult.GetValue(hdabName), parseResult.GetValue(hdabEmail), parseResult.GetValue(hdabUrl),
                    parseResult.GetValue(records), parseResult.GetValue(individuals), parseResult.GetValue(accessUrl),
                    parseResult.GetValue(remove), parseResult.GetValue(streaming)),
                cancellationToken);
        });
        return command;
    }

    private static Option<string> IdOption(string description) =>
        new("--id") { Description = description, Required = true, HelpName = "ID" };
}
