using System.Collections.Frozen;
using GenomeNode.Htsget.Registration;

namespace GenomeNode.Htsget.Planning;

/// <summary>
/// What a ticket needs of one registered object, read once from the registration tables and never changed after: the
/// file's layout (format, size, where the header ends, whether it ends with an EOF marker, where BAM's unplaced reads
/// start), the header's reference names, and the index (<see cref="BinnedIndex"/> for BAM, VCF.gz and BCF,
/// <see cref="CraiIndex"/> for CRAM). Registering the object again makes a new snapshot; this one describes the
/// registration it was read from.
/// </summary>
public sealed class ObjectSnapshot
{
    public ObjectSnapshot(
        string objectId,
        HtsgetKind kind,
        string format,
        long size,
        long headerEnd,
        bool endsWithEof,
        long? unplacedOffset,
        IEnumerable<string> referenceNames,
        BinnedIndex? binned,
        CraiIndex? crai)
    {
        ArgumentNullException.ThrowIfNull(objectId);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(referenceNames);
        if ((format == "CRAM") != (crai is not null) || (format == "CRAM") == (binned is not null))
        {
            throw new ArgumentException($"A {format} object needs {(format == "CRAM" ? "a CRAI index" : "a binning index")} and no other.", nameof(format));
        }

        ObjectId = objectId;
        Kind = kind;
        Format = format;
        Size = size;
        HeaderEnd = headerEnd;
        EndsWithEof = endsWithEof;
        UnplacedOffset = unplacedOffset;
        ReferenceNames = referenceNames.ToFrozenSet(StringComparer.Ordinal);
        Binned = binned;
        Crai = crai;
    }

    public string ObjectId { get; }

    public HtsgetKind Kind { get; }

    /// <summary>BAM, CRAM, VCF or BCF.</summary>
    public string Format { get; }

    /// <summary>Size of the data file in bytes.</summary>
    public long Size { get; }

    /// <summary>BGZF formats: virtual offset of the first record. CRAM: byte offset of the first data container.</summary>
    public long HeaderEnd { get; }

    /// <summary>Whether the file ends with the BGZF EOF block or the CRAM EOF container.</summary>
    public bool EndsWithEof { get; }

    /// <summary>BAM: virtual offset where the unplaced unmapped reads start (null: right after the header).</summary>
    public long? UnplacedOffset { get; }

    /// <summary>The file header's references (empty for a VCF without ##contig lines: its index names them).</summary>
    public IReadOnlySet<string> ReferenceNames { get; }

    /// <summary>The binning index of a BAM, VCF.gz or BCF object; null for CRAM.</summary>
    public BinnedIndex? Binned { get; }

    /// <summary>The CRAM index of a CRAM object; null otherwise.</summary>
    public CraiIndex? Crai { get; }

    /// <summary>Approximate bytes the snapshot takes in memory, for bounding a cache of snapshots.</summary>
    public long EstimatedBytes =>
        256 + (2L * ObjectId.Length) + ReferenceNames.Sum(name => 48 + (2L * name.Length)) + (Binned?.EstimatedBytes ?? 0) + (Crai?.EstimatedBytes ?? 0);
}
