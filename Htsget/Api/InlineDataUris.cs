using System.Buffers;
using System.Buffers.Text;
using System.IO.Hashing;
using System.Text;
using GenomeNode.Htsget.Tickets;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace GenomeNode.Htsget.Api;

/// <summary>
/// The <c>data:</c> URIs of tickets' inline parts, kept by content within <see cref="HtsgetOptions.EdgeCacheMegabytes"/>.
/// Clients ask the same regions again (igv.js as it pans, pipelines per shard), so the same re-compressed edge blocks
/// recur; encoding each again as base64 was a third of a ticket's CPU and put every URI of more than 42 KB on the large
/// object heap. A hit is checked byte for byte, so two contents never share a URI whatever their hashes.
/// </summary>
public sealed class InlineDataUris : IDisposable
{
    /// <summary>Parts smaller than this (EOF markers, short cuts) are cheaper to encode than to look up.</summary>
    public const int MinCachedLength = 1024;

    private readonly MemoryCache? uris;
    private long hits;

    public InlineDataUris(IOptions<HtsgetOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value.EdgeCacheMegabytes * 1024L * 1024L)
    {
    }

    internal InlineDataUris(long budgetBytes) =>
        uris = budgetBytes > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = budgetBytes, CompactionPercentage = 0.25 }) : null;

    /// <summary>Lookups answered from memory (for tests and diagnostics).</summary>
    public long Hits => Interlocked.Read(ref hits);

    /// <summary><c>data:{mediaType};base64,...</c> of the part's bytes, as UTF-8.</summary>
    public ReadOnlyMemory<byte> For(string mediaType, InlinePart part)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        ArgumentNullException.ThrowIfNull(part);
        if (uris is null || part.Length < MinCachedLength)
        {
            return Encode(mediaType, part.Data.Span);
        }

        var hash = new XxHash3();
        foreach (var segment in part.Segments)
        {
            hash.Append(segment.Span);
        }

        var key = new UriKey(mediaType, hash.GetCurrentHashAsUInt64(), part.Length);
        if (uris.TryGetValue(key, out Rendered? rendered) && SameBytes(rendered!.Data, part.Segments))
        {
            Interlocked.Increment(ref hits);
            return rendered.Uri;
        }

        var data = part.Data.ToArray();
        var uri = Encode(mediaType, data);
        using var entry = uris.CreateEntry(key);
        entry.Value = new Rendered(data, uri);
        entry.Size = data.Length + uri.Length + 64;
        return uri;
    }

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
        var prefix = $"data:{mediaType};base64,";
        var uri = new byte[prefix.Length + Base64.GetMaxEncodedToUtf8Length(data.Length)];
        var written = Encoding.ASCII.GetBytes(prefix, uri);
        if (Base64.EncodeToUtf8(data, uri.AsSpan(written), out _, out _) != OperationStatus.Done)
        {
            throw new InvalidOperationException("base64 encoding did not complete");
        }

        return uri;
    }

    private readonly record struct UriKey(string MediaType, ulong Hash, int Length);

    private sealed record Rendered(byte[] Data, byte[] Uri);
}
