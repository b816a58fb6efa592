using Refit;

namespace GenomeNode.Federation.Partners;

/// <summary>
/// A partner's Beacon API, relative to its base URL. Answers are taken as raw messages: the caller reads them with a
/// size bound and checks them itself, so that a partner's invalid JSON is reported rather than thrown.
/// </summary>
public interface IBeaconPartnerApi
{
    /// <summary>Request option naming the caller's passport (a bearer token) for a partner trusted with it.</summary>
    public const string PassportProperty = "GenomeNode.Federation.Passport";

    [Get("/info")]
    Task<HttpResponseMessage> InfoAsync(CancellationToken cancellationToken);

    [Get("/map")]
    Task<HttpResponseMessage> MapAsync(CancellationToken cancellationToken);

    [Get("/filtering_terms")]
    Task<HttpResponseMessage> FilteringTermsAsync(CancellationToken cancellationToken);

    /// <summary>An entry query from query-string parameters (<paramref name="path"/>: e.g. <c>g_variants</c>, <c>individuals/{id}/biosamples</c>).</summary>
    [Get("/{**path}")]
    Task<HttpResponseMessage> GetAsync(
        string path, [Query] IDictionary<string, string> query, [Property(PassportProperty)] string? passport, CancellationToken cancellationToken);

    /// <summary>An entry query with a Beacon request body, forwarded as the caller sent it.</summary>
    [Post("/{**path}")]
    Task<HttpResponseMessage> PostAsync(string path, [Body] HttpContent body, [Property(PassportProperty)] string? passport, CancellationToken cancellationToken);
}
