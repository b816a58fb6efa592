namespace GenomeNode.Passport.Issuing;

/// <summary>
/// This node's own broker, asked in-process (never over HTTP) for the passport of an access token it issued. The broker
/// module implements it; the clearinghouse uses it when registered, so a researcher signed in here can send either the
/// broker's access token or its passport.
/// </summary>
public interface IOwnBroker
{
    /// <summary>The passport JWT for <paramref name="accessToken"/>, or null when the token is not a valid access token of this broker.</summary>
    ValueTask<string?> PassportForAsync(string accessToken, CancellationToken cancellationToken);
}
