namespace GenomeNode.Storage;

/// <summary>
/// Values read from the database and held in memory until the next committed change, for what requests would
/// otherwise read on every call. The owner calls <see cref="Invalidate"/> once a change has committed (from
/// <see cref="IDatasetData.Committed"/>, say); a value read while a change committed is returned but not kept, so a
/// read that saw the old data never outlives the change.
/// </summary>
public sealed class HeldUntilChange<TKey, TValue>(IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly Lock gate = new();
    private Dictionary<TKey, TValue> values = new(comparer);
    private long generation;

    /// <summary>The value held for <paramref name="key"/>, else what <paramref name="read"/> returns.</summary>
    public TValue Get(TKey key, Func<TKey, TValue> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (TryGet(key, out var held, out var seen))
        {
            return held;
        }

        return Keep(key, read(key), seen);
    }

    /// <summary>The value held for <paramref name="key"/>, else what <paramref name="read"/> returns.</summary>
    public async Task<TValue> GetAsync(TKey key, Func<TKey, Task<TValue>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (TryGet(key, out var held, out var seen))
        {
            return held;
        }

        return Keep(key, await read(key), seen);
    }

    /// <summary>Drops every value; called after a change commits.</summary>
    public void Invalidate()
    {
        lock (gate)
        {
            generation++;
            values = new(values.Comparer);
        }
    }

    private bool TryGet(TKey key, out TValue held, out long seen)
    {
        lock (gate)
        {
            seen = generation;
            return values.TryGetValue(key, out held!);
        }
    }

    private TValue Keep(TKey key, TValue value, long seen)
    {
        lock (gate)
        {
            // Kept only if no change committed while it was read.
            if (seen == generation)
            {
                values[key] = value;
            }
        }

        return value;
    }
}

/// <summary>One value held until the next committed change (<see cref="HeldUntilChange{TKey, TValue}"/> with one key).</summary>
public sealed class HeldUntilChange<TValue>
{
    private readonly HeldUntilChange<byte, TValue> held = new();

    /// <summary>The value held, else what <paramref name="read"/> returns.</summary>
    public TValue Get(Func<TValue> read) => held.Get(0, _ => read());

    /// <summary>The value held, else what <paramref name="read"/> returns.</summary>
    public Task<TValue> GetAsync(Func<Task<TValue>> read) => held.GetAsync(0, _ => read());

    /// <summary>Drops the value; called after a change commits.</summary>
    public void Invalidate() => held.Invalidate();
}
