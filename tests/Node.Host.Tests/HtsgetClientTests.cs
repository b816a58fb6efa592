using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json;
using GenomeNode.Htsget.Data;
using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Registration;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// samtools and bcftools (htslib 1.16) follow the node's htsget tickets over a real Kestrel and get every record they
/// find locally for the same region, with the same header; the file bytes a ticket hands out stay within the
/// blocks (CRAM: containers) the registration tables give for the region.
/// </summary>
[Collection(HtsgetNodeGroup.Name)]
public sealed class HtsgetClientTests(HtsgetNodeFixture node)
{
    public static TheoryData<string> BuiltObjects => new(["bam", "cram", "range-bam", "vcf", "bcf", "demo-reads", "demo-variants"]);

    [Theory]
    [MemberData(nameof(BuiltObjects))]
    public Task Tools_following_tickets_get_every_local_record_of_each_region_and_the_same_header(string id) =>
        AssertServedLikeLocalAsync(node.Objects[id]);

    [Theory]
    [MemberData(nameof(DebianHtsFiles.Ids), MemberType = typeof(DebianHtsFiles))]
    public async Task Every_file_Debian_ships_is_served_to_the_tools_like_they_read_it_locally(string id)
    {
        var item = node.Objects[id];
        if (DebianHtsFiles.Unreadable.TryGetValue(id, out var complaint))
        {
            // No local answer to compare with: the tools themselves cannot read this file whole.
            Assert.NotNull(item.Problem);
            Assert.Contains(complaint, item.Problem, StringComparison.Ordinal);
            return;
        }

        Assert.True(item.Problem is null, $"{id}: {item.Problem}");
        await AssertServedLikeLocalAsync(item);
    }

    [Fact]
    public void Plain_gzip_vcfs_are_refused_at_registration_and_served_once_bgzipped()
    {
        var plain = node.Objects.Values.Where(item => item.PlainGzip is not null).ToList();

        Assert.NotEmpty(plain);
        Assert.All(plain, item => Assert.Contains("not BGZF", item.PlainGzipRefusal, StringComparison.Ordinal));
    }

    // The cases of acceptance: the whole file, a whole chromosome, a window, one base, a region with no records,
    // the unplaced reads, and the header alone; each compared with the tool's local answer and checked for tightness.
    private async Task AssertServedLikeLocalAsync(HtsgetObjectFile item)
    {
        var id = item.Id;
        var cases = new List<(string Query, string? Region)> { ("", null) };
        var reference = Counts(item).FirstOrDefault(count => count.Records > 0);
        if (reference.Name is not null)
        {
            var positions = LocalRecords(item, ToolRegion(item, reference.Name)).Select(line => Position(item, line)).ToList();
            var middle = positions[positions.Count / 2];
            var past = positions.Max() + 50_000;
            cases.Add(($"referenceName={Uri.EscapeDataString(reference.Name)}", ToolRegion(item, reference.Name)));
            cases.Add((Range(reference.Name, Math.Max(0, middle - 100), middle + 100), ToolRegion(item, reference.Name, Math.Max(0, middle - 100), middle + 100)));
            cases.Add((Range(reference.Name, middle, middle + 1), ToolRegion(item, reference.Name, middle, middle + 1)));
            cases.Add((Range(reference.Name, past, past + 100), ToolRegion(item, reference.Name, past, past + 100)));
        }

        if (item.Kind == HtsgetKind.Reads)
        {
            cases.Add(("referenceName=*", "*"));
        }

        foreach (var (query, region) in cases)
        {
            var local = LocalRecords(item, region);
            var remote = RemoteRecords(item, node.TicketUrl(id, query));
            var missing = local.Except(remote).ToList();
            Assert.True(missing.Count == 0, $"{id}?{query}: {missing.Count} of {local.Count} local records not over htsget, e.g. {missing.FirstOrDefault()}");
            // htsget allows records beyond the region; the whole file and BAM's unplaced reads (which start at a
            // virtual offset) have no reason for any. CRAM's unplaced reads come in whole containers.
            if (region is null || (region == "*" && item.Format == "BAM"))
            {
                Assert.Equal(local, remote);
            }

            await AssertTightAsync(item, query);
        }

        var header = Header(item, Unindexed(item));
        Assert.Equal(header, Header(item, node.TicketUrl(id, "class=header")));
        Assert.Empty(RemoteRecords(item, node.TicketUrl(id, "class=header")));
        if (reference.Name is not null)
        {
            Assert.Equal(header, Header(item, node.TicketUrl(id, $"referenceName={Uri.EscapeDataString(reference.Name)}")));
        }
    }

    [Fact]
    public async Task A_post_with_several_regions_yields_each_record_once_in_file_order()
    {
        var item = node.Objects["demo-variants"];
        object[] regions =
        [
            new { referenceName = "chr22", start = 20_000_000, end = 30_000_000 },
            new { referenceName = "chr17", start = 43_044_000, end = 43_100_000 },
            new { referenceName = "chr17", start = 43_090_000, end = 43_125_000 },
        ];
        using var response = await node.Client.PostAsJsonAsync("/htsget/variants/demo-variants", new { format = "VCF", regions });
        response.EnsureSuccessStatusCode();
        var ticket = await response.Content.ReadAsStringAsync();
        var path = node.Combine($"post-{Guid.NewGuid():N}.vcf.gz");
        await File.WriteAllBytesAsync(path, await FollowAsync(ticket));

        var local = ExternalTools.Lines("bcftools", "view", "--no-version", "-H", item.Path, "-r", "chr17:43044001-43125000,chr22:20000001-30000000");
        var remote = ExternalTools.Lines("bcftools", "view", "--no-version", "-H", path);

        Assert.Empty(local.Except(remote));
        Assert.Equal(remote.Count, remote.Distinct().Count());
        Assert.Equal(remote.OrderBy(line => line.Split('\t')[0], StringComparer.Ordinal).ThenBy(line => Position(item, line)), remote);
        Assert.Equal(Header(item, item.Path), Header(item, path));
        using var document = JsonDocument.Parse(ticket);
        var classes = document.RootElement.GetProperty("htsget").GetProperty("urls").EnumerateArray()
            .Select(url => url.GetProperty("class").GetString()).ToList();
        Assert.Equal("header", classes[0]);
        Assert.Equal(classes.Count(c => c == "header"), classes.TakeWhile(c => c == "header").Count());
    }

    // Fetches every URL of a ticket as a client does: data URIs decoded, data URLs over HTTP, no bearer token sent.
    private async Task<byte[]> FollowAsync(string ticket)
    {
        using var document = JsonDocument.Parse(ticket);
        using var output = new MemoryStream();
        foreach (var url in document.RootElement.GetProperty("htsget").GetProperty("urls").EnumerateArray())
        {
            var text = url.GetProperty("url").GetString()!;
            if (text.StartsWith("data:", StringComparison.Ordinal))
            {
                output.Write(Convert.FromBase64String(text[(text.IndexOf(',', StringComparison.Ordinal) + 1)..]));
            }
            else
            {
                output.Write(await node.Client.GetByteArrayAsync(new Uri(text)));
            }
        }

        return output.ToArray();
    }

    // The body a ticket hands out (file bytes through data URLs and re-compressed edge blocks inline, without the
    // EOF marker) is no more than the whole blocks (CRAM: containers) the index gives for the region, and every
    // data URL lies within them.
    private async Task AssertTightAsync(HtsgetObjectFile item, string query)
    {
        var ticket = await node.Client.GetStringAsync(new Uri(node.TicketUrl(item.Id, query)));
        using var document = JsonDocument.Parse(ticket);
        var ranges = new List<(long Offset, long Length)>();
        long inline = 0;
        foreach (var url in document.RootElement.GetProperty("htsget").GetProperty("urls").EnumerateArray())
        {
            var text = url.GetProperty("url").GetString()!;
            if (url.GetProperty("class").GetString() != "body")
            {
                continue;
            }

            if (text.StartsWith("data:", StringComparison.Ordinal))
            {
                inline += Convert.FromBase64String(text[(text.IndexOf(',', StringComparison.Ordinal) + 1)..]).Length;
            }
            else
            {
                Assert.True(DataToken.TryParse(text[(text.LastIndexOf('/') + 1)..], out var token), text);
                Assert.Equal(item.Id, token.Range.ObjectId);
                ranges.Add((token.Range.Offset, token.Range.Length));
            }
        }

        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('='))
            .ToDictionary(pair => pair[0], pair => Uri.UnescapeDataString(pair[1]));
        if (!parameters.TryGetValue("referenceName", out var name) || name == "*")
        {
            return;
        }

        var start = parameters.TryGetValue("start", out var s) ? long.Parse(s, CultureInfo.InvariantCulture) : 0;
        var end = parameters.TryGetValue("end", out var e) ? long.Parse(e, CultureInfo.InvariantCulture) : long.MaxValue;
        await using var scope = node.Factory.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<HtsgetObjectStore>();
        var cover = item.Format == "CRAM"
            ? store.CramContainerRanges(item.Id, name, start, end)
            : store.ByteRanges(item.Id, store.RegionChunks(item.Id, name, start, end));
        foreach (var (offset, length) in ranges)
        {
            Assert.True(cover.Any(range => offset >= range.Offset && offset + length <= range.Offset + range.Length),
                $"{item.Id}?{query}: data URL bytes [{offset}, {offset + length}) outside the cover {string.Join(' ', cover)}");
        }

        var eof = item.Format == "CRAM" ? CramEofLength(item) : Bgzf.EofMarkerLength;
        var body = ranges.Sum(range => range.Length) + inline - eof;
        var covered = cover.Sum(range => range.Length);
        Assert.True(body <= covered, $"{item.Id}?{query}: {body} body bytes ticketed, the index's cover is {covered}");
    }

    private static int CramEofLength(HtsgetObjectFile item)
    {
        using var file = File.OpenRead(item.Path);
        Span<byte> definition = stackalloc byte[6];
        file.ReadExactly(definition);
        return CramEof.For(definition[4], definition[5]).Length;
    }

    private static string Range(string name, long start, long end) =>
        string.Create(CultureInfo.InvariantCulture, $"referenceName={Uri.EscapeDataString(name)}&start={start}&end={end}");

    // A region as the tools take it (1-based, inclusive); samtools needs braces around a name holding a colon.
    private static string ToolRegion(HtsgetObjectFile item, string name, long? start = null, long? end = null)
    {
        var quoted = item.Kind == HtsgetKind.Reads && name.Contains(':', StringComparison.Ordinal) ? $"{{{name}}}" : name;
        return start is null ? quoted : string.Create(CultureInfo.InvariantCulture, $"{quoted}:{start + 1}-{end}");
    }

    // 0-based start of a record from the tool's text line.
    private static long Position(HtsgetObjectFile item, string line) =>
        long.Parse(line.Split('\t')[item.Kind == HtsgetKind.Reads ? 3 : 1], CultureInfo.InvariantCulture) - 1;

    private static List<(string Name, long Records)> Counts(HtsgetObjectFile item)
    {
        var lines = item.Kind == HtsgetKind.Reads
            ? ExternalTools.Lines("samtools", "idxstats", item.Path).Select(line => line.Split('\t')).Select(f => (f[0], long.Parse(f[2], CultureInfo.InvariantCulture)))
            : ExternalTools.Lines("bcftools", "index", "-s", item.Path).Select(line => line.Split('\t')).Select(f => (f[0], long.Parse(f[2], CultureInfo.InvariantCulture)));
        return [.. lines.Where(count => count.Item1 != "*")];
    }

    private static List<string> LocalRecords(HtsgetObjectFile item, string? region) => item.Kind == HtsgetKind.Reads
        ? ExternalTools.Lines("samtools", ["view", .. item.ViewOptions, item.Path, .. region is null ? Array.Empty<string>() : [region]])
        : ExternalTools.Lines("bcftools", ["view", "--no-version", "-H", item.Path, .. region is null ? Array.Empty<string>() : ["-r", region]]);

    private static List<string> RemoteRecords(HtsgetObjectFile item, string url) => item.Kind == HtsgetKind.Reads
        ? ExternalTools.Lines("samtools", ["view", .. item.ViewOptions, url])
        : ExternalTools.Lines("bcftools", "view", "--no-version", "-H", url);

    // The file without its index beside it: htslib adds ##contig lines from a tabix index to a VCF header that has
    // none, which a stream (local or over htsget) never has.
    private string Unindexed(HtsgetObjectFile item)
    {
        var copy = node.Combine($"{item.Id}.unindexed{Path.GetExtension(item.Path)}");
        if (!File.Exists(copy))
        {
            File.Copy(item.Path, copy);
        }

        return copy;
    }

    private static string Header(HtsgetObjectFile item, string source) => item.Kind == HtsgetKind.Reads
        ? ExternalTools.Run("samtools", ["view", "--no-PG", "-H", .. item.ViewOptions, source])
        : ExternalTools.Run("bcftools", "view", "--no-version", "-h", source);
}
