using GenomeNode.Passport.Datasets;

namespace GenomeNode.Htsget.Access;

/// <summary>
/// What a dataset's files may leave the node as (<c>dataset add|update --streaming</c>): plaintext or Crypt4GH
/// (<see cref="Any"/>), Crypt4GH for the requester's key only (<see cref="Crypt4ghOnly"/>: no plaintext data URL, no
/// plaintext inline part), or nothing (<see cref="None"/>: no tickets; Beacon answers either way).
/// </summary>
public enum StreamingPolicy
{
    Any,
    Crypt4ghOnly,
    None,
}

public static class StreamingPolicies
{
    public static IReadOnlyList<string> Names { get; } = ["any", "c4gh-only", "none"];

    public static string Name(this StreamingPolicy policy) => policy switch
    {
        StreamingPolicy.Any => "any",
        StreamingPolicy.Crypt4ghOnly => "c4gh-only",
        StreamingPolicy.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    public static bool TryParse(string? text, out StreamingPolicy policy)
    {
        policy = text?.ToLowerInvariant() switch
        {
            "any" => StreamingPolicy.Any,
            "c4gh-only" => StreamingPolicy.Crypt4ghOnly,
            "none" => StreamingPolicy.None,
            _ => (StreamingPolicy)(-1),
        };
        return Enum.IsDefined(policy);
    }

    /// <summary>The policy of a dataset its operator set none for: controlled data leaves only encrypted to its requester.</summary>
    public static StreamingPolicy DefaultFor(AccessTier tier) => tier == AccessTier.Controlled ? StreamingPolicy.Crypt4ghOnly : StreamingPolicy.Any;
}
