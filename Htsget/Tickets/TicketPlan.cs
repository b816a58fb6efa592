namespace GenomeNode.Htsget.Tickets;

/// <summary>Whether a part of a ticket holds the file's header or its body (records and the EOF marker).</summary>
public enum DataClass
{
    Header,
    Body,
}

/// <summary>One piece of a ticket's data stream, in order: bytes of the object's file, or bytes given inline.</summary>
public abstract record TicketPart(DataClass Class);

/// <summary>The file's bytes [Offset, Offset + Length), served by a signed data URL.</summary>
public sealed record FilePart(DataClass Class, long Offset, long Length) : TicketPart(Class)
{
    public long End => Offset + Length;
}

/// <summary>
/// Bytes the ticket carries itself as a <c>data:</c> URI (re-compressed partial blocks, EOF markers): the concatenation
/// of its segments, kept apart so that joining cached edges costs a ticket no copy.
/// </summary>
public sealed record InlinePart : TicketPart
{
    public InlinePart(DataClass dataClass, ReadOnlyMemory<byte> data)
        : this(dataClass, [data])
    {
    }

    public InlinePart(DataClass dataClass, IReadOnlyList<ReadOnlyMemory<byte>> segments)
        : base(dataClass)
    {
        ArgumentNullException.ThrowIfNull(segments);
        Segments = segments;
        Length = segments.Sum(segment => segment.Length);
    }

    public IReadOnlyList<ReadOnlyMemory<byte>> Segments { get; }

    public int Length { get; }

    /// <summary>The bytes in one piece (a copy when there are several segments).</summary>
    public ReadOnlyMemory<byte> Data
    {
        get
        {
            if (Segments.Count == 1)
            {
                return Segments[0];
            }

            var joined = new byte[Length];
            var position = 0;
            foreach (var segment in Segments)
            {
                segment.Span.CopyTo(joined.AsSpan(position));
                position += segment.Length;
            }

            return joined;
        }
    }
}

/// <summary>What a ticket hands out: the format and the parts whose concatenation is the requested stream.</summary>
public sealed record TicketPlan(string Format, IReadOnlyList<TicketPart> Parts)
{
    /// <summary>Bytes served from the file through data URLs.</summary>
    public long FileBytes => Parts.OfType<FilePart>().Sum(part => part.Length);

    /// <summary>Bytes given inline.</summary>
    public long InlineBytes => Parts.OfType<InlinePart>().Sum(part => (long)part.Length);
}
