using GenomeNode.Committee.Applications;
using GenomeNode.Passport.Clearinghouse;
using GenomeNode.Passport.Issuing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenomeNode.Committee;

/// <summary>The visas of a subject's current grants (unexpired, unrevoked), signed by the node's visa issuer, for the broker.</summary>
internal sealed class CommitteeVisas(IServiceScopeFactory scopes, IOptions<PassportOptions> passport) : IIssuedVisas
{
    public async Task<IReadOnlyList<string>> ForSubjectAsync(string subject, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetService<IVisaIssuer>() is not { } signer)
        {
            return [];
        }

        var desk = scope.ServiceProvider.GetRequiredService<CommitteeDesk>();
        var node = new NodeIssuer(issuer.TrimEnd('/'), passport.Value.RemsPath);
        var visas = new List<string>();
        foreach (var grant in desk.Store.Grants(subject, expired: false))
        {
            var value = await desk.VisaValueAsync(grant.DatasetId, cancellationToken);
            visas.Add(signer.Sign(new GrantVisa(grant.UserId, value, grant.CommitteeId, grant.Start, grant.End), node.Issuer, node.VisaJwksUrl));
        }

        return visas;
    }
}
