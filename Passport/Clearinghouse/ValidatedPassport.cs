using GenomeNode.Passport.Visas;

namespace GenomeNode.Passport.Clearinghouse;

/// <summary>The named steps of validating a token; a rejection says which one failed.</summary>
public enum ValidationStep
{
    TokenSize,
    Decode,
    Algorithm,
    KeyId,
    TrustedIssuer,
    SigningKey,
    Signature,
    Lifetime,
    Audience,
    PassportClaims,
    VisaObject,
    VisaSubject,
    Broker,
}

/// <summary>Why a token (or one visa in it) was not accepted. <see cref="Reason"/> never quotes the token.</summary>
public sealed record Rejection(ValidationStep Step, string Reason)
{
    /// <summary>
    /// The refusal says nothing about the token: the node could not check it now (a broker or key server unreachable, a
    /// token not valid yet, a limit reached) and may accept the same token later. Such refusals are never remembered.
    /// </summary>
    public bool Retryable { get; init; }

    public override string ToString() => $"{StepName(Step)}: {Reason}";

    public static string StepName(ValidationStep step) => step switch
    {
        ValidationStep.TokenSize => "token size",
        ValidationStep.Decode => "decode",
        ValidationStep.Algorithm => "algorithm",
        ValidationStep.KeyId => "key id",
        ValidationStep.TrustedIssuer => "trusted issuer",
        ValidationStep.SigningKey => "signing key",
        ValidationStep.Signature => "signature",
        ValidationStep.Lifetime => "lifetime",
        ValidationStep.Audience => "audience",
        ValidationStep.PassportClaims => "passport claims",
        ValidationStep.VisaObject => "visa object",
        ValidationStep.VisaSubject => "visa subject",
        _ => "broker",
    };
}

/// <summary>A visa whose signature, issuer, lifetime and fields were checked; its conditions are evaluated per decision.</summary>
public sealed record AcceptedVisa(string Issuer, string Subject, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, VisaObject Visa);

/// <summary>A visa of the passport that was left out, by its position in <c>ga4gh_passport_v1</c>.</summary>
public sealed record IgnoredVisa(int Index, Rejection Rejection)
{
    public override string ToString() => $"visa {Index} ignored at {Rejection}";
}

/// <summary>
/// A passport from a trusted broker (or the visas a trusted broker answered for an access token): who it is about,
/// until when it holds, the visas accepted and those ignored with the reason.
/// </summary>
public sealed record ValidatedPassport(
    string Issuer,
    string Subject,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<AcceptedVisa> Visas,
    IReadOnlyList<IgnoredVisa> Ignored);

/// <summary>A passport, or why the token was refused.</summary>
public readonly record struct PassportValidation(ValidatedPassport? Passport, Rejection? Rejection)
{
    public static PassportValidation Accepted(ValidatedPassport passport) => new(passport, null);

    public static PassportValidation Rejected(ValidationStep step, string reason, bool retryable = false) =>
        new(null, new Rejection(step, reason) { Retryable = retryable });
}
