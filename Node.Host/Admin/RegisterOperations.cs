using System.Text.Json;
using GenomeNode.Htsget.Data;
using GenomeNode.Htsget.Registration;
using GenomeNode.Passport.Datasets;

namespace GenomeNode.Host.Admin;

public sealed record RegisterArguments(HtsgetKind Kind, string DatasetId, string ObjectId, string Path, string? IndexPath);

/// <summary>The <c>register reads|variants</c> operation over the Htsget module's registrar.</summary>
internal static class RegisterOperations
{
    public const string Register = "register.object";

    public static async Task<OperationResult> RegisterAsync(JsonElement arguments, IServiceProvider services, CancellationToken cancellationToken)
    {
        var request = NodeOperations.ReadArguments<RegisterArguments>(arguments);
        // Checked again inside the registration's transaction; asked here first to refuse before hashing a large file.
        if (await services.GetRequiredService<DatasetCatalog>().FindAsync(request.DatasetId, cancellationToken) is null)
        {
            return OperationResult.Fail($"no dataset has the id '{request.DatasetId}'");
        }

        try
        {
            var read = HtsgetObjectRegistrar.Read(
                new RegistrationRequest(request.ObjectId, request.DatasetId, request.Kind, request.Path, request.IndexPath)
                {
                    Crypt4ghKey = services.GetRequiredService<NodeCrypt4ghKey>().Find(),
                });
            var registrar = services.GetRequiredService<HtsgetObjectRegistrar>();
            var (registered, formats) = services.GetRequiredService<DatasetCatalog>().WriteData(request.DatasetId,
                () => (registrar.StoreInTransaction(read), registrar.Formats(request.ObjectId)));
            return OperationResult.Ok($"{Describe(registered)}; object '{registered.ObjectId}' now holds {string.Join(" and ", formats)}");
        }
        catch (Exception ex) when (ex is HtsgetRegistrationException or DatasetCatalogException or GenomeNode.Htsget.Formats.Crypt4gh.Crypt4ghException)
        {
            return OperationResult.Fail(ex.Message);
        }
    }

    public static string Describe(RegisteredObject registered) =>
        $"registered {registered.Kind.ToString().ToLowerInvariant()} object '{registered.ObjectId}' of dataset '{registered.DatasetId}': " +
        $"{registered.Format} with {registered.IndexFormat} index, {registered.References} references, {registered.Blocks} " +
        $"{(registered.Format == "CRAM" ? "containers" : "blocks")}, {registered.Size} bytes" +
        (registered.IsCrypt4gh ? $" encrypted with Crypt4GH ({registered.PlaintextSize} bytes of plaintext)" : "") + $", sha256 {registered.Sha256}";
}
