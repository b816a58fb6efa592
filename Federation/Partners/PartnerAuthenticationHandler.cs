using System.Net.Http.Headers;
using GenomeNode.Federation.Network;

namespace GenomeNode.Federation.Partners;

/// <summary>
/// The last handler before a partner: sets the loop guard and the partner's credentials, and nothing else. The
/// caller's passport goes out only when this partner is configured for it (<see cref="PartnerAuthenticationMode.Passport"/>
/// and <see cref="PartnerOptions.TrustedForPassports"/>); whatever a request carries otherwise, an Authorization
/// header is never passed through.
/// </summary>
internal sealed class PartnerAuthenticationHandler(PartnerOptions partner, string hopMarker, ClientCredentialsTokens? tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = null;
        request.Headers.Remove(NetworkHop.Header);
        request.Headers.TryAddWithoutValidation(NetworkHop.Header, hopMarker);
        switch (partner.Authentication.Mode)
        {
            case PartnerAuthenticationMode.Passport when partner.TrustedForPassports:
                if (((IDictionary<string, object?>)request.Options).TryGetValue(IBeaconPartnerApi.PassportProperty, out var value)
                    && value is string { Length: > 0 } passport)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", passport);
                }

                break;
            case PartnerAuthenticationMode.ClientCredentials when tokens is not null:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.TokenAsync(cancellationToken));
                break;
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
