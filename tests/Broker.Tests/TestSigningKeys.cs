using System.Collections.Concurrent;
using System.Security.Cryptography;
using GenomeNode.Passport.Issuing;
using Microsoft.IdentityModel.Tokens;

namespace GenomeNode.Broker.Tests;

/// <summary>A key ring standing in for the node's (another module's): RSA keys, the newest signing, all published.</summary>
internal sealed class TestSigningKeys : INodeSigningKeys, IDisposable
{
    private readonly List<RSA> keys = [];
    private volatile SigningCredentials current = null!;
    private volatile IReadOnlyList<JsonWebKey> published = [];

    public TestSigningKeys() => Rotate();

    public SigningCredentials Current => current;

    public IReadOnlyList<JsonWebKey> Published => published;

    public ConcurrentDictionary<string, DateTimeOffset> Signed { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a key that signs from now on; earlier keys stay published.</summary>
    public string Rotate()
    {
        lock (keys)
        {
            var rsa = RSA.Create(2048);
            keys.Add(rsa);
            var kid = $"test-{keys.Count}-{Guid.NewGuid():N}"[..20];
            current = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256);
            var list = new List<JsonWebKey>();
            foreach (var key in Enumerable.Reverse(keys))
            {
                var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(false))
                {
                    KeyId = ReferenceEquals(key, rsa) ? kid : KeyIds[key],
                });
                jwk.Use = "sig";
                jwk.Alg = SecurityAlgorithms.RsaSha256;
                list.Add(jwk);
            }

            KeyIds[rsa] = kid;
            published = list;
            return kid;
        }
    }

    private Dictionary<RSA, string> KeyIds { get; } = [];

    public void RecordSigned(string keyId, DateTimeOffset expires) =>
        Signed.AddOrUpdate(keyId, expires, (_, known) => known > expires ? known : expires);

    public void Dispose()
    {
        foreach (var key in keys)
        {
            key.Dispose();
        }
    }
}

/// <summary>The committee's visas as a test sets them, per subject.</summary>
internal sealed class TestIssuedVisas : IIssuedVisas
{
    public ConcurrentDictionary<string, IReadOnlyList<string>> BySubject { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<string>> ForSubjectAsync(string subject, string issuer, CancellationToken cancellationToken) =>
        Task.FromResult(BySubject.TryGetValue(subject, out var visas) ? visas : (IReadOnlyList<string>)[]);
}

/// <summary>A clock that stands still unless a test moves it.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
