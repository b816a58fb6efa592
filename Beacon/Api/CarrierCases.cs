using System.Buffers;
using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using GenomeNode.Beacon.Store;

namespace GenomeNode.Beacon.Api;

/// <summary>
/// A record's case-level data held as its carriers' places in the dataset's ordinal id order, each with its zygosity
/// (an index into <see cref="Zygosities"/>) in the low two bits, in that order. Entries are made only when read:
/// the JSON is written from each individual's entry encoded once per dataset version (<see cref="CaseLevelDataConverter"/>).
/// </summary>
public sealed class CarrierCases : IReadOnlyList<CaseLevelVariant>
{
    /// <summary>Heterozygous, homozygous, hemizygous: the zygosity index of a key's low bits.</summary>
    public static IReadOnlyList<OntologyTerm> Zygosities { get; } =
    [
        new("GENO:0000135", "heterozygous"), new("GENO:0000136", "homozygous"), new("GENO:0000134", "hemizygous"),
    ];

    // place << 2 | zygosity index, sorted
    private readonly long[] keys;

    private CarrierCases(long[] keys, SampleNames individuals)
    {
        this.keys = keys;
        Individuals = individuals;
    }

    /// <summary>
    /// The carriers listed per zygosity (in <see cref="Zygosities"/>' order), in the ordinal order of their ids; null when
    /// a carrier has no id among <paramref name="individuals"/>.
    /// </summary>
    internal static CarrierCases? Of(IReadOnlyList<int>[] carriersByZygosity, SampleNames individuals)
    {
        // Each carrier's place in the ids' order with its zygosity in the low bits: one sort of integers.
        var keys = new long[carriersByZygosity.Sum(samples => samples.Count)];
        var next = 0;
        for (var zygosity = 0; zygosity < carriersByZygosity.Length; zygosity++)
        {
            foreach (var sample in carriersByZygosity[zygosity])
            {
                if (!individuals.TryGetPlace(sample, out var place))
                {
                    return null;
                }

                keys[next++] = (long)place << 2 | (uint)zygosity;
            }
        }

        Array.Sort(keys);
        return new CarrierCases(keys, individuals);
    }

    internal SampleNames Individuals { get; }

    internal ReadOnlySpan<long> Keys => keys;

    public int Count => keys.Length;

    public CaseLevelVariant this[int index]
    {
        get
        {
            var id = Individuals.IdAt((int)(keys[index] >> 2));
            return new CaseLevelVariant(id, id, Zygosities[(int)(keys[index] & 3)]);
        }
    }

    public IEnumerator<CaseLevelVariant> GetEnumerator()
    {
        for (var i = 0; i < keys.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Writes case-level data. A record of a common allele at 2,504 samples names hundreds of carriers; serialising each
/// entry's three strings and nested term, escaping checks included, was most of a record page's serialising time. For
/// <see cref="CarrierCases"/> each individual's entry is encoded once (by the same serializer and options, so the bytes
/// are those it would write) and copied; any other list is serialised entry by entry.
/// </summary>
public sealed class CaseLevelDataConverter : JsonConverter<IReadOnlyList<CaseLevelVariant>>
{
    public override IReadOnlyList<CaseLevelVariant> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("caseLevelData must be an array");
        }

        var entry = (JsonTypeInfo<CaseLevelVariant>)options.GetTypeInfo(typeof(CaseLevelVariant));
        var cases = new List<CaseLevelVariant>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            cases.Add(JsonSerializer.Deserialize(ref reader, entry) ?? throw new JsonException("caseLevelData entries must be objects"));
        }

        return cases;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<CaseLevelVariant> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var entry = (JsonTypeInfo<CaseLevelVariant>)options.GetTypeInfo(typeof(CaseLevelVariant));
        if (value is CarrierCases cases)
        {
            EncodedEntries.Of(cases.Individuals, entry).Write(writer, cases.Keys);
            return;
        }

        writer.WriteStartArray();
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, entry);
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// A dataset's entries as JSON: per individual the entry up to its zygosity (encoded when first needed), and the
    /// three zygosities with the entry's closing brace. Held as long as the dataset's <see cref="SampleNames"/> is.
    /// </summary>
    private sealed class EncodedEntries
    {
        private static readonly ConditionalWeakTable<SampleNames, EncodedEntries> ByIndividuals = [];

        private readonly SampleNames individuals;
        private readonly JsonTypeInfo<CaseLevelVariant> entry;
        private readonly byte[]?[] heads;
        private readonly byte[][] tails;

        private EncodedEntries(SampleNames individuals, JsonTypeInfo<CaseLevelVariant> entry)
        {
            this.individuals = individuals;
            this.entry = entry;
            heads = new byte[]?[individuals.Count];
            var term = (JsonTypeInfo<OntologyTerm>)entry.Options.GetTypeInfo(typeof(OntologyTerm));
            tails = [.. CarrierCases.Zygosities.Select(zygosity => (byte[])[.. JsonSerializer.SerializeToUtf8Bytes(zygosity, term), (byte)'}'])];
        }

        public static EncodedEntries Of(SampleNames individuals, JsonTypeInfo<CaseLevelVariant> entry)
        {
            var encoded = ByIndividuals.GetValue(individuals, names => new EncodedEntries(names, entry));
            // Encoded with other options (another encoder, say): these bytes are not that serializer's.
            return encoded.entry.Options == entry.Options ? encoded : new EncodedEntries(individuals, entry);
        }

        public void Write(Utf8JsonWriter writer, ReadOnlySpan<long> keys)
        {
            var length = 2 + Math.Max(0, keys.Length - 1);
            foreach (var key in keys)
            {
                length += Head((int)(key >> 2)).Length + tails[key & 3].Length;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var at = 0;
                buffer[at++] = (byte)'[';
                for (var i = 0; i < keys.Length; i++)
                {
                    if (i > 0)
                    {
                        buffer[at++] = (byte)',';
                    }

                    var head = Head((int)(keys[i] >> 2));
                    head.CopyTo(buffer.AsSpan(at));
                    at += head.Length;
                    var tail = tails[keys[i] & 3];
                    tail.CopyTo(buffer.AsSpan(at));
                    at += tail.Length;
                }

                buffer[at++] = (byte)']';
                writer.WriteRawValue(buffer.AsSpan(0, at), skipInputValidation: true);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        // The entry of the individual at a place, without its zygosity's value and closing brace. Two threads may both
        // encode one; they write the same bytes.
        private byte[] Head(int place)
        {
            if (heads[place] is { } head)
            {
                return head;
            }

            var id = individuals.IdAt(place);
            var whole = JsonSerializer.SerializeToUtf8Bytes(new CaseLevelVariant(id, id, CarrierCases.Zygosities[0]), entry);
            if (!whole.AsSpan().EndsWith(tails[0]))
            {
                throw new InvalidOperationException("a case-level entry must end with its zygosity");
            }

            head = whole[..^tails[0].Length];
            heads[place] = head;
            return head;
        }
    }
}
