using GenomeNode.Committee.Rems;

namespace GenomeNode.Host.Demo;

/// <summary>
/// The demo's access walk (Node:SeedDemoAccess, set by appsettings.Demo.json): the controlled demo dataset and two REMS
/// API keys published in the README, one for the access management service's part and one for the committee's review
/// tool. The committee, its member, the researcher and the broker's demo client are configuration (appsettings.Demo.json).
/// </summary>
internal static class DemoAccess
{
    /// <summary>Acts for researchers on the REMS API, as the GDI access management service does (not a secret: demo only).</summary>
    public const string PortalApiKey = "demo-access-management-service-key";

    /// <summary>Acts for committee members on /dac (not a secret: demo only).</summary>
    public const string CommitteeApiKey = "demo-committee-review-tool-key-0001";

    private const string PortalComment = "demo: the access management service's key";
    private const string CommitteeComment = "demo: the committee's review tool key";

    public static async Task SeedIfMissingAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await DemoDataset.SeedControlledIfMissingAsync(services, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeys>();
        // Once seeded, a demo key is the operator's to revoke: it is never added again.
        var seeded = keys.List().Select(key => key.Comment).ToHashSet(StringComparer.Ordinal);
        if (!seeded.Contains(PortalComment))
        {
            keys.AddGiven(PortalApiKey, PortalComment, [ApiKeys.UserOwner]);
        }

        if (!seeded.Contains(CommitteeComment))
        {
            keys.AddGiven(CommitteeApiKey, CommitteeComment, [ApiKeys.Dac]);
        }
    }
}
