namespace GenomeNode.Storage;

/// <summary>
/// The node's rule for concurrent writing operations: they run one at a time, in the order they arrive. DuckDB would
/// let two transactions write at once and detects conflicting rows, but an ingest and a removal of one dataset touch
/// different rows of several tables; one queue keeps every operation's view of the catalog and its data true from
/// start to commit. Queries never wait for it (DuckDB gives them a snapshot). Keys and sequences remain the second
/// line: an operation that bypasses the queue fails loudly on a collision instead of mixing data.
/// </summary>
public sealed class SingleWriter : IDisposable
{
    private readonly SemaphoreSlim turn = new(1, 1);

    /// <summary>Operations waiting or running (for health and logs).</summary>
    public int Pending => Volatile.Read(ref pending);

    private int pending;

    /// <summary>Waits for this operation's turn; disposing the result ends it.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref pending);
        try
        {
            await turn.WaitAsync(cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref pending);
            throw;
        }

        return new Turn(this);
    }

    public void Dispose() => turn.Dispose();

    private sealed class Turn(SingleWriter queue) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Interlocked.Decrement(ref queue.pending);
                queue.turn.Release();
            }
        }
    }
}
