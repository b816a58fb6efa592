using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenomeNode.Htsget.Data;

/// <summary>
/// Issues and checks the node's data-URL tokens: signed with the key in <see cref="HtsgetOptions.SigningKeyFile"/>
/// (loaded, or created, on first use), valid for <see cref="HtsgetOptions.DataUrlLifetime"/>.
/// </summary>
public sealed class DataUrls
{
    private readonly Lazy<DataTokenSigner> signer;
    private readonly TimeProvider time;
    private readonly TimeSpan lifetime;

    public DataUrls(IOptions<HtsgetOptions> options, TimeProvider time, ILogger<DataUrls> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var settings = options.Value;
        this.time = time;
        // The node checks it at start (HtsgetOptionsValidator); a wrong value is never replaced silently.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.DataUrlLifetime, TimeSpan.Zero, "options.DataUrlLifetime");
        lifetime = settings.DataUrlLifetime;
        signer = new Lazy<DataTokenSigner>(() =>
        {
            var path = settings.SigningKeyFile
                ?? throw new InvalidOperationException($"{HtsgetOptions.Section}:SigningKeyFile is not set.");
            var key = SigningKeyFile.LoadOrCreate(path);
            if (SigningKeyFile.IsExposed(path))
            {
                Log.SigningKeyExposed(logger, path);
            }

            return new DataTokenSigner(key);
        });
    }

    /// <summary>When a token issued now stops being valid.</summary>
    public DateTimeOffset NewExpiry() => time.GetUtcNow() + lifetime;

    public string CreateToken(DataRange range, string objectVersion, DateTimeOffset expires, string? ticket = null, DataDelivery delivery = DataDelivery.Plaintext) =>
        signer.Value.Create(range, objectVersion, expires, ticket, delivery);

    /// <summary>The Crypt4GH data key of a ticket's encrypted parts (see <see cref="DataTokenSigner.TicketDataKey"/>).</summary>
    public byte[] TicketDataKey(string ticket) => signer.Value.TicketDataKey(ticket);

    /// <summary>A new ticket id: names a ticket in the audit, and in its data URLs' tokens.</summary>
    public static string NewTicketId() => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    /// <summary>Checks a token that <see cref="DataToken.TryParse"/> read against the object's current version and the clock.</summary>
    public DataTokenStatus Check(DataToken token, string objectVersion)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!signer.Value.IsAuthentic(token, objectVersion))
        {
            return DataTokenStatus.Invalid;
        }

        return token.Expires <= time.GetUtcNow() ? DataTokenStatus.Expired : DataTokenStatus.Valid;
    }
}

public enum DataTokenStatus
{
    Valid,
    Invalid,
    Expired,
}
