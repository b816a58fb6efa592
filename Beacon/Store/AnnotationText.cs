using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace GenomeNode.Beacon.Store;

/// <summary>
/// How <c>beacon.variants</c> keeps the annotation values that are only ever read back whole (migration 0007): a list
/// as one text, its values joined by ',' with '%' written as '%25' and ',' as '%2C'; a transcript HGVS split at its
/// first ':' into the transcript id (<c>transcript_ids</c>) and the change (<c>transcript_changes</c>) when that ':'
/// has text before it, else an empty id and the whole value. Joining the two back gives every value byte for byte.
/// </summary>
public static class AnnotationText
{
    private const byte Separator = (byte)',';
    private const byte TranscriptSeparator = (byte)':';
    private static readonly SearchValues<byte> Escaped = SearchValues.Create("%,"u8);

    /// <summary>Where a transcript HGVS splits: the id's length, or -1 when it is all change.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int TranscriptIdLength(ReadOnlySpan<byte> transcriptHgvs)
    {
        var colon = transcriptHgvs.IndexOf(TranscriptSeparator);
        return colon > 0 ? colon : -1;
    }

    /// <summary>Appends a value to a joined text being built in <paramref name="buffer"/> (from <paramref name="length"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Append(ref byte[] buffer, ref int length, ReadOnlySpan<byte> value, bool first)
    {
        // Each value may grow threefold when escaped, plus its separator.
        var room = length + (value.Length * 3) + 1;
        if (room > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(room, buffer.Length * 2));
        }

        if (!first)
        {
            buffer[length++] = Separator;
        }

        while (true)
        {
            var special = value.IndexOfAny(Escaped);
            var plain = special < 0 ? value : value[..special];
            plain.CopyTo(buffer.AsSpan(length));
            length += plain.Length;
            if (special < 0)
            {
                return;
            }

            buffer[length++] = (byte)'%';
            buffer[length++] = (byte)'2';
            buffer[length++] = value[special] == (byte)'%' ? (byte)'5' : (byte)'C';
            value = value[(special + 1)..];
        }
    }

    /// <summary>The values of a joined text (none for NULL).</summary>
    public static List<string> Split(string? text)
    {
        if (text is null)
        {
            return [];
        }

        var values = new List<string>(text.Split(','));
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Contains('%', StringComparison.Ordinal))
            {
                values[i] = Unescape(values[i]);
            }
        }

        return values;
    }

    // One pass, so that an escaped '%' is never read as the start of another escape.
    private static string Unescape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && value[i + 1] == '2' && value[i + 2] is '5' or 'C')
            {
                text.Append(value[i + 2] == '5' ? '%' : ',');
                i += 2;
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }

    /// <summary>The transcript HGVS values stored as <c>transcript_ids</c> and <c>transcript_changes</c>.</summary>
    public static List<string> TranscriptHgvs(string? ids, string? changes)
    {
        var transcripts = Split(ids);
        var edits = Split(changes);
        if (transcripts.Count != edits.Count)
        {
            throw new InvalidDataException(
                $"beacon.variants holds {transcripts.Count} transcript ids for {edits.Count} transcript changes");
        }

        for (var i = 0; i < edits.Count; i++)
        {
            edits[i] = transcripts[i].Length == 0 ? edits[i] : transcripts[i] + ":" + edits[i];
        }

        return edits;
    }

    /// <summary>A joined text of .NET strings (tests and tools; the ingest joins bytes with <see cref="Append"/>).</summary>
    public static string? Join(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var buffer = new byte[64];
        var length = 0;
        var first = true;
        foreach (var value in values)
        {
            Append(ref buffer, ref length, Encoding.UTF8.GetBytes(value), first);
            first = false;
        }

        return first ? null : Encoding.UTF8.GetString(buffer, 0, length);
    }
}
