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

/// <summary>Bytes the ticket carries itself as a <c>data:</c> URI (re-compressed partial blocks, EOF markers).</summary>
public sealed record InlinePart(DataClass Class, ReadOnlyMemory<byte> Data) : TicketPart(Class);

/// <summary>What a ticket hands out: the format and the parts whose concatenation is the requested stream.</summary>
public sealed record TicketPlan(string Format, IReadOnlyList<TicketPart> Parts)
{
    /// <summary>Bytes served from the file through data URLs.</summary>
    public long FileBytes => Parts.OfType<FilePart>().Sum(part => part.Length);

    /// <summary>Bytes given inline.</summary>
    public long InlineBytes => Parts.OfType<InlinePart>().Sum(part => (long)part.Data.Length);
}
