namespace GenomeNode.DataUseOntology.Matching;

/// <summary>
/// Identifiers of the Data Use Ontology (DUO) terms the matcher knows, as in specs/duo/duo.csv, and their shorthands.
/// </summary>
public static class DuoTerms
{
    // Roots.

    /// <summary>data use permission: the root of the permissions (a dataset carries exactly one).</summary>
    public const string Permission = "DUO:0000001";

    /// <summary>data use modifier: the root of the modifiers (a dataset carries any number).</summary>
    public const string Modifier = "DUO:0000017";

    // Permissions.

    /// <summary>no restriction.</summary>
    public const string NRES = "DUO:0000004";

    /// <summary>general research use.</summary>
    public const string GRU = "DUO:0000042";

    /// <summary>health or medical or biomedical research.</summary>
    public const string HMB = "DUO:0000006";

    /// <summary>disease specific research.</summary>
    public const string DS = "DUO:0000007";

    /// <summary>population origins or ancestry research only.</summary>
    public const string POA = "DUO:0000011";

    // Modifiers.

    /// <summary>research specific restrictions.</summary>
    public const string RS = "DUO:0000012";

    /// <summary>no general methods research.</summary>
    public const string NMDS = "DUO:0000015";

    /// <summary>genetic studies only.</summary>
    public const string GSO = "DUO:0000016";

    /// <summary>not for profit, non commercial use only.</summary>
    public const string NPUNCU = "DUO:0000018";

    /// <summary>publication required.</summary>
    public const string PUB = "DUO:0000019";

    /// <summary>collaboration required.</summary>
    public const string COL = "DUO:0000020";

    /// <summary>ethics approval required.</summary>
    public const string IRB = "DUO:0000021";

    /// <summary>geographical restriction.</summary>
    public const string GS = "DUO:0000022";

    /// <summary>publication moratorium.</summary>
    public const string MOR = "DUO:0000024";

    /// <summary>time limit on use.</summary>
    public const string TS = "DUO:0000025";

    /// <summary>user specific restriction.</summary>
    public const string US = "DUO:0000026";

    /// <summary>project specific restriction.</summary>
    public const string PS = "DUO:0000027";

    /// <summary>institution specific restriction.</summary>
    public const string IS = "DUO:0000028";

    /// <summary>return to database or resource.</summary>
    public const string RTN = "DUO:0000029";

    /// <summary>clinical care use.</summary>
    public const string CC = "DUO:0000043";

    /// <summary>population origins or ancestry research prohibited.</summary>
    public const string NPOA = "DUO:0000044";

    /// <summary>not for profit organisation use only.</summary>
    public const string NPU = "DUO:0000045";

    /// <summary>non-commercial use only.</summary>
    public const string NCU = "DUO:0000046";

    /// <summary>
    /// The shorthand of a DUO term (e.g. "DS" for DUO:0000007), or <paramref name="id"/> itself when the term has no
    /// shorthand (the two roots) or is not one of the terms above.
    /// </summary>
    public static string Shorthand(string id) => id switch
    {
        NRES => nameof(NRES),
        GRU => nameof(GRU),
        HMB => nameof(HMB),
        DS => nameof(DS),
        POA => nameof(POA),
        RS => nameof(RS),
        NMDS => nameof(NMDS),
        GSO => nameof(GSO),
        NPUNCU => nameof(NPUNCU),
        PUB => nameof(PUB),
        COL => nameof(COL),
        IRB => nameof(IRB),
        GS => nameof(GS),
        MOR => nameof(MOR),
        TS => nameof(TS),
        US => nameof(US),
        PS => nameof(PS),
        IS => nameof(IS),
        RTN => nameof(RTN),
        CC => nameof(CC),
        NPOA => nameof(NPOA),
        NPU => nameof(NPU),
        NCU => nameof(NCU),
        _ => id,
    };
}
