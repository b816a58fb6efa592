namespace GenomeNode.Passport.Visas;

/// <summary>Placeholder until the conditions evaluator lands (branch passport-conditions).</summary>
public sealed class VisaConditions;
