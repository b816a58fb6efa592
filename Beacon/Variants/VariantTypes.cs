namespace GenomeNode.Beacon.Variants;

/// <summary>
/// What a query's <c>variantType</c> matches among the stored types (<c>SNP</c>, <c>MNP</c>, <c>INS</c>, <c>DEL</c>,
/// <c>INDEL</c> and the symbolic ALTs' <c>DUP</c>, <c>INV</c>, <c>CNV</c>, <c>BND</c>, ...). Beacon v2 leaves the values
/// open and names VCF types and EFO copy-number terms as examples, so both are read: VCF names case-insensitively
/// (<c>SNV</c> as <c>SNP</c>), and Sequence Ontology and EFO terms for the kinds of change a VCF holds. A copy-number
/// loss is a deletion and a gain a duplication; <c>&lt;CN…&gt;</c> records, whose direction needs the ploidy, match
/// only the undirected copy-number terms. Any other value is compared as it is, and so matches nothing stored.
/// </summary>
public static class VariantTypes
{
    private static readonly Dictionary<string, string[]> Terms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SO:0001483"] = ["SNP"], // SNV
        ["SO:0002007"] = ["MNP"], // MNV
        ["SO:0000667"] = ["INS"], // insertion
        ["SO:0000159"] = ["DEL"], // deletion
        ["SO:1000032"] = ["INDEL"], // delins
        ["SO:1000035"] = ["DUP"], // duplication
        ["SO:1000173"] = ["DUP"], // tandem_duplication
        ["SO:1000036"] = ["INV"], // inversion
        ["SO:0001019"] = ["CNV", "DEL", "DUP"], // copy_number_variation
        ["SO:0001742"] = ["DUP"], // copy_number_gain
        ["SO:0001743"] = ["DEL"], // copy_number_loss
        ["EFO:0030066"] = ["CNV", "DEL", "DUP"], // relative copy number variation
        ["EFO:0030067"] = ["DEL"], // copy number loss
        ["EFO:0030068"] = ["DEL"], // low-level copy number loss
        ["EFO:0020073"] = ["DEL"], // high-level copy number loss
        ["EFO:0030069"] = ["DEL"], // complete genomic deletion
        ["EFO:0030070"] = ["DUP"], // copy number gain
        ["EFO:0030071"] = ["DUP"], // low-level copy number gain
        ["EFO:0030072"] = ["DUP"], // high-level copy number gain
    };

    /// <summary>The stored variant types a requested <c>variantType</c> stands for (never empty).</summary>
    public static IReadOnlyList<string> Matching(string requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var type = requested.Trim();
        if (Terms.TryGetValue(type, out var stored))
        {
            return stored;
        }

        type = type.ToUpperInvariant();
        return [type == "SNV" ? "SNP" : type];
    }
}
