namespace GenomeNode.Committee.Tests;

/// <summary>One committee node shared by a test class (each test uses its own users, so tests do not see each other's data).</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public CommitteeNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await CommitteeNode.StartAsync();

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
