using System.Buffers;
using System.Buffers.Text;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using GenomeNode.Htsget.Tickets;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace GenomeNode.Htsget.Api;

/// <summary>
/// The <c>data:</c> URIs of tickets' inline parts, kept by content within <see cref="HtsgetOptions.EdgeCacheMegabytes"/>.
/// Clients ask the same regions again (igv.js as it pans, pipelines per shard), so the same re-compressed edge blocks
/// recur; encoding each again as base64 was a third of a ticket's CPU and put every URI of more than 42 KB on the large
/// object heap. A hit is checked byte for byte, so two contents never share a URI whatever their hashes. A part made of
/// the very segments of an earlier one (the edge cache hands out the same immutable arrays) is found without hashing.
/// </summary>
public sealed class InlineDataUris : IDisposable
{
    /// <summary>Parts smaller than this (EOF markers, short cuts) are cheaper to encode than to look up.</summary>
    public const int MinCachedLength = 1024;

    private readonly MemoryCache? uris;

    // Keyed by the first segment's array; an entry lives no longer than its URI in the cache above.
    private readonly ConditionalWeakTable<byte[], KnownSegments> bySegments = [];
    private long hits;

    public InlineDataUris(IOptions<HtsgetOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value.EdgeCacheMegabytes * 1024L * 1024L)
    {
    }

    internal InlineDataUris(long budgetBytes) =>
        uris = budgetBytes > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = budgetBytes, CompactionPercentage = 0.25 }) : null;

    /// <summary>Lookups answered from memory (for tests and diagnostics).</summary>
    public long Hits => Interlocked.Read(ref hits);

    /// <summary>
    /// <c>"data:{mediaType};base64,..."</c> of the part's bytes: the URI as a JSON string, quotes included: ASCII that
    /// needs no escaping (a media type of letters, digits and <c>./+-</c>, then base64), so a ticket writes it as it is.
    /// A part's segments never change once made (the planner cuts edges into new arrays, and the edge cache keeps them as
    /// they are): an array seen again is the same bytes.
    /// </summary>
    public ReadOnlyMemory<byte> JsonStringFor(string mediaType, InlinePart part)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        ArgumentNullException.ThrowIfNull(part);
        if (uris is null || part.Length < MinCachedLength)
        {
            return Encode(mediaType, part.Data.Span);
        }

        var first = MemoryMarshal.TryGetArray(part.Segments[0], out var segment) ? segment.Array : null;
        if (first is not null && bySegments.TryGetValue(first, out var known) && known.IsFor(mediaType, part.Segments))
        {
            Interlocked.Increment(ref hits);
            return known.Rendered.JsonString;
        }

        var hash = new XxHash3();
        foreach (var each in part.Segments)
        {
            hash.Append(each.Span);
        }

        var key = new UriKey(mediaType, hash.GetCurrentHashAsUInt64(), part.Length);
        if (uris.TryGetValue(key, out Rendered? rendered) && SameBytes(rendered!.Data, part.Segments))
        {
            Interlocked.Increment(ref hits);
        }
        else
        {
            var data = part.Data.ToArray();
            rendered = new Rendered(data, Encode(mediaType, data));
            using var entry = uris.CreateEntry(key);
            entry.Value = rendered;
            entry.Size = data.Length + rendered.JsonString.Length + 64;
            entry.RegisterPostEvictionCallback(static (_, value, _, state) => ((Rendered)value!).Evict((InlineDataUris)state!), this);
        }

        if (first is not null)
        {
            Remember(first, new KnownSegments(mediaType, [.. part.Segments], rendered));
        }

        return rendered.JsonString;
    }

    /// <summary>Whether a part starting with this array is found by its segments (for tests).</summary>
    internal bool RemembersSegmentsOf(byte[] first) => bySegments.TryGetValue(first, out var known) && !known.Rendered.Evicted;

    public void Dispose() => uris?.Dispose();

    private static bool SameBytes(byte[] cached, IReadOnlyList<ReadOnlyMemory<byte>> segments)
    {
        var position = 0;
        foreach (var segment in segments)
        {
            if (!cached.AsSpan(position, segment.Length).SequenceEqual(segment.Span))
            {
                return false;
            }

            position += segment.Length;
        }

        return position == cached.Length;
    }

    private static byte[] Encode(string mediaType, ReadOnlySpan<byte> data)
    {
        if (mediaType.AsSpan().ContainsAnyExcept(MediaTypeCharacters))
        {
            throw new ArgumentException($"'{mediaType}' is not a media type a data URI carries as it is", nameof(mediaType));
        }

        var prefix = $"\"data:{mediaType};base64,";
        var literal = new byte[prefix.Length + Base64.GetMaxEncodedToUtf8Length(data.Length) + 1];
        var written = Encoding.ASCII.GetBytes(prefix, literal);
        if (Base64.EncodeToUtf8(data, literal.AsSpan(written), out _, out _) != OperationStatus.Done)
        {
            throw new InvalidOperationException("base64 encoding did not complete");
        }

        literal[^1] = (byte)'"';
        return literal;
    }

    private static readonly SearchValues<char> MediaTypeCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./+-");

    private readonly record struct UriKey(string MediaType, ulong Hash, int Length);

    private void Remember(byte[] first, KnownSegments known)
    {
        known.Rendered.KnownBy(first);
        bySegments.AddOrUpdate(first, known);
        if (known.Rendered.Evicted)
        {
            // Evicted meanwhile: the identity entry must not outlive the URI in the budgeted cache.
            Forget(first, known.Rendered);
        }
    }

    private void Forget(byte[] first, Rendered rendered)
    {
        if (bySegments.TryGetValue(first, out var known) && ReferenceEquals(known.Rendered, rendered))
        {
            bySegments.Remove(first);
        }
    }

    /// <summary>The exact segments (array, offset, length) a URI was rendered from: the same immutable bytes.</summary>
    private sealed record KnownSegments(string MediaType, ReadOnlyMemory<byte>[] Segments, Rendered Rendered)
    {
        public bool IsFor(string mediaType, IReadOnlyList<ReadOnlyMemory<byte>> segments)
        {
            if (Rendered.Evicted || Segments.Length != segments.Count || !string.Equals(MediaType, mediaType, StringComparison.Ordinal))
            {
                return false;
            }

            for (var i = 0; i < Segments.Length; i++)
            {
                // Memory equality is reference equality of the array with the same offset and length.
                if (!Segments[i].Equals(segments[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed class Rendered(byte[] data, byte[] jsonString)
    {
        // Weak: a URI in the cache must not keep the edge cache's arrays alive.
        private readonly List<WeakReference<byte[]>> firstArrays = [];
        private volatile bool evicted;

        public byte[] Data { get; } = data;

        public byte[] JsonString { get; } = jsonString;

        public bool Evicted => evicted;

        public void KnownBy(byte[] first)
        {
            lock (firstArrays)
            {
                firstArrays.RemoveAll(known => !known.TryGetTarget(out var array) || ReferenceEquals(array, first));
                firstArrays.Add(new WeakReference<byte[]>(first));
            }
        }

        public void Evict(InlineDataUris owner)
        {
            evicted = true;
            WeakReference<byte[]>[] known;
            lock (firstArrays)
            {
                known = [.. firstArrays];
                firstArrays.Clear();
            }

            foreach (var reference in known)
            {
                if (reference.TryGetTarget(out var first))
                {
                    owner.Forget(first, this);
                }
            }
        }
    }
}
