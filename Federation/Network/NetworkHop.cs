namespace GenomeNode.Federation.Network;

/// <summary>
/// The loop guard: every request this node sends to a partner carries <see cref="Header"/>, and a network request that
/// carries it is answered by the node alone, never fanned out again. A partner configured with another aggregator's
/// network URL (A → B → A) thus costs one extra hop, never a recursion.
/// </summary>
public static class NetworkHop
{
    public const string Header = "X-Beacon-Network-Hop";
}
