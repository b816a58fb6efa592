using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// Crypt4GH at rest and in transit, checked with an independent implementation (crypt4gh_reference.py) and with
/// samtools and bcftools on the original files: the compliance suite's cases with and without
/// <c>encryptionScheme=c4gh</c>, plaintext slices decrypted on the fly, a data URL's Crypt4GH stream for the client's
/// key, tampered segments, and the datasets' download policies.
/// </summary>
[Collection(Crypt4ghNodeGroup.Name)]
public sealed class HtsgetCrypt4ghTests(Crypt4ghNodeFixture node)
{
    public static TheoryData<string, string?, bool, bool> ComplianceCases
    {
        get
        {
            var cases = new TheoryData<string, string?, bool, bool>();
            foreach (var (kind, formats) in new[] { ("reads", new[] { "BAM", "CRAM" }), ("variants", new[] { "VCF", "BCF" }) })
            {
                foreach (var format in formats.Prepend(null))
                {
                    foreach (var atRest in new[] { false, true })
                    {
                        foreach (var encryptionScheme in new[] { false, true })
                        {
                            cases.Add(kind, format, atRest, encryptionScheme);
                        }
                    }
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(ComplianceCases))]
    public async Task Compliance_cases_whole_files_as_plaintext_and_as_one_Crypt4GH_stream_hold_the_original_records(
        string kind, string? format, bool atRest, bool encryptionScheme)
    {
        var reads = kind == "reads";
        var id = (reads, atRest) switch
        {
            (true, true) => Crypt4ghNodeFixture.SealedReads,
            (true, false) => Crypt4ghNodeFixture.PlainReads,
            (false, true) => Crypt4ghNodeFixture.SealedVariants,
            _ => Crypt4ghNodeFixture.PlainVariants,
        };
        var served = format ?? (reads ? "BAM" : "VCF");
        var query = string.Join('&', new[] { format is null ? null : $"format={format}", encryptionScheme ? "encryptionScheme=c4gh" : null }.OfType<string>());
        var url = node.Url($"/htsget/{kind}/{id}{(query.Length == 0 ? "" : "?" + query)}");
        string fetched;
        if (encryptionScheme)
        {
            var (ticketFormat, parts) = await TicketAsync(url, withKey: true);
            Assert.Equal(served, ticketFormat);
            fetched = Decrypt(await AssembleAsync(parts, withKey: false), $"{id}-{served}.c4gh");
        }
        else
        {
            fetched = url.ToString();
        }

        Assert.Equal(Records(reads, node.Originals[served], null), Records(reads, fetched, null));
    }

    [Theory]
    [InlineData("reads", "BAM")]
    [InlineData("reads", "CRAM")]
    [InlineData("variants", "VCF")]
    [InlineData("variants", "BCF")]
    public async Task Plaintext_slices_of_a_file_stored_encrypted_equal_the_tools_on_the_original(string kind, string format)
    {
        var reads = kind == "reads";
        var original = node.Originals[format];
        var reference = reads ? "chr17" : FirstContig(original);
        // The middle half of the reference's records: slices that start and end inside segments and blocks.
        var positions = Records(reads, original, reference)
            .Select(record => long.Parse(record.Split('\t')[reads ? 3 : 1], CultureInfo.InvariantCulture)).ToList();
        var (from, to) = (positions[positions.Count / 4], positions[positions.Count * 3 / 4]);
        var window = string.Create(CultureInfo.InvariantCulture, $"referenceName={reference}&start={from - 1}&end={to}");
        var region = string.Create(CultureInfo.InvariantCulture, $"{reference}:{from}-{to}");
        var url = node.Url($"/htsget/{kind}/{(reads ? Crypt4ghNodeFixture.SealedReads : Crypt4ghNodeFixture.SealedVariants)}?format={format}&{window}");

        var local = Records(reads, original, region);
        Assert.NotEmpty(local);
        // The tools read the node's plaintext (decrypted on the fly): every record of the region, and nothing the
        // original does not hold (a slice may hold more than the region; clients filter).
        var remote = Records(reads, url.ToString(), null);
        Assert.Empty(local.Except(remote));
        Assert.Empty(remote.Except(Records(reads, original, null)));
    }

    [Theory]
    [InlineData(Crypt4ghNodeFixture.SealedReads)]
    [InlineData(Crypt4ghNodeFixture.PlainReads)]
    public async Task A_data_URL_fetched_with_the_clients_key_is_a_Crypt4GH_stream_of_exactly_its_plaintext(string id)
    {
        var (_, parts) = await TicketAsync(node.Url($"/htsget/reads/{id}?referenceName=chr17&start=43044294&end=43125483"), withKey: false);
        var dataUrls = parts.Where(part => !part.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(dataUrls);
        foreach (var dataUrl in dataUrls)
        {
            var plaintext = await node.Client.GetByteArrayAsync(new Uri(dataUrl));
            using var request = new HttpRequestMessage(HttpMethod.Get, dataUrl);
            request.Headers.Add("Client-Public-Key", node.ClientPublicKeyHeader);
            using var response = await node.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/vnd.ga4gh.crypt4gh", response.Content.Headers.ContentType?.MediaType);
            var stream = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal("crypt4gh"u8.ToArray(), stream[..8]);
            Assert.Equal(plaintext, File.ReadAllBytes(Decrypt(stream, $"{id}-url.c4gh")));
        }
    }

    [Fact]
    public async Task A_c4gh_only_dataset_refuses_plaintext_data_URLs_and_inline_parts_and_its_streams_hold_the_plaintext_querys_records()
    {
        const string region = "chr17:43044295-43125483";
        var window = "referenceName=chr17&start=43044294&end=43125483";
        foreach (var id in new[] { Crypt4ghNodeFixture.GuardedReads, Crypt4ghNodeFixture.GuardedPlainReads })
        {
            var (_, parts) = await TicketAsync(node.Url($"/htsget/reads/{id}?{window}"), withKey: false);
            Assert.DoesNotContain(parts, part => part.StartsWith("data:", StringComparison.Ordinal));
            foreach (var part in parts)
            {
                using var refused = await node.Client.GetAsync(new Uri(part));
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
                Assert.Equal("PermissionDenied", error.RootElement.GetProperty("htsget").GetProperty("error").GetString());
                Assert.Contains("c4gh-only", error.RootElement.GetProperty("htsget").GetProperty("message").GetString(), StringComparison.Ordinal);
            }

            // Each data URL, fetched with the client's key, is a Crypt4GH stream of its part: decrypted and joined,
            // the parts are a BAM holding the same records as the plaintext query of the same region.
            var joined = new List<byte>();
            foreach (var part in parts)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, part);
                request.Headers.Add("Client-Public-Key", node.ClientPublicKeyHeader);
                using var response = await node.Client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                joined.AddRange(File.ReadAllBytes(Decrypt(await response.Content.ReadAsByteArrayAsync(), $"{id}-part.c4gh")));
            }

            var decrypted = node.Combine($"{id}-joined.bam");
            await File.WriteAllBytesAsync(decrypted, joined.ToArray());
            Assert.Equal(Records(true, node.Originals["BAM"], region), Records(true, Indexed(decrypted), region));

            // One Crypt4GH stream for the whole ticket holds them too.
            var (_, streamParts) = await TicketAsync(node.Url($"/htsget/reads/{id}?{window}&encryptionScheme=c4gh"), withKey: true);
            var single = Decrypt(await AssembleAsync(streamParts, withKey: false), $"{id}-stream.bam.c4gh");
            Assert.Equal(Records(true, node.Originals["BAM"], region), Records(true, Indexed(single), region));
        }
    }

    [Fact]
    public async Task A_tampered_segment_is_refused_never_served()
    {
        // A copy of the encrypted BAM, registered intact, then altered in place in its fourth segment (same size and
        // modification time, so the node still takes it for the registered file).
        var path = node.Combine("tampered.bam.c4gh");
        File.Copy(node.Encrypted["BAM"], path);
        File.Copy(node.Encrypted["BAM"] + ".bai", path + ".bai");
        await node.RegisterAsync("tampered-reads", "sealed", path);
        var written = File.GetLastWriteTimeUtc(path);
        var headerLength = await node.Crypt4ghHeaderLengthAsync("tampered-reads");
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = headerLength + (3 * 65_564) + 500;
            var original = file.ReadByte();
            file.Position--;
            file.WriteByte((byte)(original ^ 0x01));
        }

        File.SetLastWriteTimeUtc(path, written);

        // Plaintext, decrypted on the fly: the answer breaks off at the altered segment.
        var (_, plain) = await TicketAsync(node.Url("/htsget/reads/tampered-reads"), withKey: false);
        await Assert.ThrowsAnyAsync<Exception>(() => AssembleAsync(plain, withKey: false));
        // Its data URLs as Crypt4GH for the client's key, and the ticket as one Crypt4GH stream: the node checks each
        // stored segment before it passes it on.
        await Assert.ThrowsAnyAsync<Exception>(() => AssembleAsync(plain.Where(part => !part.StartsWith("data:", StringComparison.Ordinal)), withKey: true));
        var (_, stream) = await TicketAsync(node.Url("/htsget/reads/tampered-reads?encryptionScheme=c4gh"), withKey: true);
        await Assert.ThrowsAnyAsync<Exception>(() => AssembleAsync(stream, withKey: false));

        // Registering the altered file is refused, naming it.
        var refusal = await Assert.ThrowsAsync<GenomeNode.Htsget.Registration.HtsgetRegistrationException>(() => node.RegisterAsync("tampered-again", "sealed", path));
        Assert.Contains("tampered.bam.c4gh", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Crypt4ghNodeFixture.PlainReads)]
    [InlineData(Crypt4ghNodeFixture.SealedReads)]
    public async Task Data_URLs_answer_HTTP_ranges_of_their_plaintext_as_igv_and_htslib_ask_them(string id)
    {
        var (_, parts) = await TicketAsync(node.Url($"/htsget/reads/{id}"), withKey: false);
        var dataUrl = parts.First(part => !part.StartsWith("data:", StringComparison.Ordinal) && TokenLength(part) > 300_000);
        var whole = await node.Client.GetByteArrayAsync(new Uri(dataUrl));
        var original = File.ReadAllBytes(node.Originals["BAM"]);
        Assert.Equal(original.AsSpan((int)TokenOffset(dataUrl), whole.Length).ToArray(), whole);

        foreach (var (range, from, to) in new[] { ("bytes=70000-200000", 70_000, 200_000), ("bytes=1-1", 1, 1), ($"bytes={whole.Length - 10}-", whole.Length - 10, whole.Length - 1), ("bytes=-65540", whole.Length - 65_540, whole.Length - 1), ("bytes=100-99999999", 100, whole.Length - 1) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, dataUrl);
            request.Headers.TryAddWithoutValidation("Range", range);
            using var response = await node.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal($"bytes {from}-{to}/{whole.Length}", response.Content.Headers.ContentRange?.ToString());
            Assert.Equal(whole[from..(to + 1)], await response.Content.ReadAsByteArrayAsync());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, dataUrl))
        {
            request.Headers.TryAddWithoutValidation("Range", $"bytes={whole.Length}-");
            using var response = await node.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
            Assert.Equal($"bytes */{whole.Length}", response.Content.Headers.ContentRange?.ToString());
        }

        // Several ranges are answered with the whole slice (one part), as RFC 9110 allows.
        using (var request = new HttpRequestMessage(HttpMethod.Get, dataUrl))
        {
            request.Headers.TryAddWithoutValidation("Range", "bytes=0-9,20-29");
            using var response = await node.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(whole, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task A_dataset_whose_policy_is_none_answers_no_ticket()
    {
        using var response = await node.Client.GetAsync(node.Url($"/htsget/reads/{Crypt4ghNodeFixture.ShutReads}"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("PermissionDenied", error.RootElement.GetProperty("htsget").GetProperty("error").GetString());
        Assert.Contains("none", error.RootElement.GetProperty("htsget").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "InvalidInput")]
    [InlineData("bm90IGEga2V5", "InvalidInput")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "InvalidInput")]
    public async Task A_Crypt4GH_ticket_without_a_usable_client_key_is_refused_in_htsgets_format(string? key, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, node.Url($"/htsget/reads/{Crypt4ghNodeFixture.SealedReads}?encryptionScheme=c4gh"));
        if (key is not null)
        {
            request.Headers.Add("Client-Public-Key", key);
        }

        using var response = await node.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expected, error.RootElement.GetProperty("htsget").GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_unknown_encryption_scheme_is_InvalidInput()
    {
        using var response = await node.Client.GetAsync(node.Url($"/htsget/reads/{Crypt4ghNodeFixture.SealedReads}?encryptionScheme=pgp"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("InvalidInput", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_nodes_public_key_is_published_and_is_the_key_files_are_encrypted_to()
    {
        var published = await node.Client.GetStringAsync(node.Url("/.well-known/c4gh-recipient"));
        Assert.Equal(File.ReadAllText(node.NodePublicKey).Trim(), published.Trim());
        Assert.StartsWith("-----BEGIN CRYPT4GH PUBLIC KEY-----", published, StringComparison.Ordinal);
    }

    private async Task<(string Format, List<string> Parts)> TicketAsync(Uri url, bool withKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (withKey)
        {
            request.Headers.Add("Client-Public-Key", node.ClientPublicKeyHeader);
        }

        using var response = await node.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        var ticket = document.RootElement.GetProperty("htsget");
        return (ticket.GetProperty("format").GetString()!, [.. ticket.GetProperty("urls").EnumerateArray().Select(part => part.GetProperty("url").GetString()!)]);
    }

    // The ticket's parts joined as a client joins them: data: URIs decoded, data URLs fetched.
    private async Task<byte[]> AssembleAsync(IEnumerable<string> parts, bool withKey)
    {
        var joined = new List<byte>();
        foreach (var part in parts)
        {
            if (part.StartsWith("data:", StringComparison.Ordinal))
            {
                joined.AddRange(Convert.FromBase64String(part[(part.IndexOf(',', StringComparison.Ordinal) + 1)..]));
                continue;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, part);
            if (withKey)
            {
                request.Headers.Add("Client-Public-Key", node.ClientPublicKeyHeader);
            }

            using var response = await node.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            joined.AddRange(await response.Content.ReadAsByteArrayAsync());
        }

        return [.. joined];
    }

    // Decrypted by the independent implementation with the client's secret key; returns the plaintext file.
    private string Decrypt(byte[] crypt4gh, string name)
    {
        var encrypted = node.Combine(Guid.NewGuid().ToString("N") + "-" + name);
        File.WriteAllBytes(encrypted, crypt4gh);
        var plaintext = encrypted[..^".c4gh".Length];
        Crypt4ghReference.Decrypt(node.ClientSecretKey, encrypted, plaintext);
        return plaintext;
    }

    private static long TokenOffset(string dataUrl) => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(TokenPayload(dataUrl).AsSpan(10));

    private static long TokenLength(string dataUrl) => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(TokenPayload(dataUrl).AsSpan(18));

    private static byte[] TokenPayload(string dataUrl) => System.Buffers.Text.Base64Url.DecodeFromChars(dataUrl[(dataUrl.LastIndexOf('/') + 1)..].Split('.')[0]);

    private static string Indexed(string bam)
    {
        ExternalTools.Run("samtools", "index", bam);
        return bam;
    }

    private static string FirstContig(string vcf) =>
        ExternalTools.Lines("bcftools", "index", "-s", vcf).Select(line => line.Split('\t')).First(fields => fields[2] != "0")[0];

    private static List<string> Records(bool reads, string source, string? region) => reads
        ? ExternalTools.Lines("samtools", ["view", source, .. region is null ? Array.Empty<string>() : [region]])
        : ExternalTools.Lines("bcftools", ["view", "--no-version", "-H", source, .. region is null ? Array.Empty<string>() : ["-r", region]]);
}
