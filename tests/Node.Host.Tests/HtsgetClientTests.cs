using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json;
using GenomeNode.Htsget.Data;
using GenomeNode.Htsget.Formats;
using GenomeNode.Htsget.Registration;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// samtools and bcftools (htslib 1.16) follow the node's htsget tickets over a real Kestrel and get every record they
/// find locally for the same region, with the same header; the file bytes a ticket hands out stay within the
/// blocks (CRAM: containers) the registration tables give for the region.
/// </summary>
[Collection(HtsgetNodeGroup.Name)]
public sealed class HtsgetClientTests(HtsgetNodeFixture node)
{
    public static TheoryData<string> PublicObjects => new(["bam", "cram", "range-bam", "vcf", "bcf", "demo-reads", "demo-variants"]);

    [Theory]
    [MemberData(nameof(PublicObjects))]
    public async Task Tools_following_tickets_get_every_local_record_of_each_region_and_the_same_header(string id)
    {
        var item = node.Objects[id];
        var reference = Counts(item).First(count => count.Records > 0);
        var positions = LocalRecords(item, reference.Name).Select(line => Position(item, line)).ToList();
        var middle = positions[positions.Count / 2];
        var past = positions.Max() + 50_000;
        var cases = new List<(string Query, string? Region)>
        {
            ($"referenceName={reference.Name}", reference.Name),
            (Range(reference.Name, Math.Max(0, middle - 100), middle + 100), ToolRegion(reference.Name, Math.Max(0, middle - 100), middle + 100)),
            (Range(reference.Name, middle, middle + 1), ToolRegion(reference.Name, middle, middle + 1)),
            (Range(reference.Name, past, past + 100), ToolRegion(reference.Name, past, past + 100)),
            ("", null),
        };
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
            if (region is null)
            {
                Assert.Equal(local, remote);
            }

            await AssertTightAsync(item, query);
        }

        Assert.Equal(Header(item, item.Path), Header(item, node.TicketUrl(id, $"referenceName={reference.Name}")));
        Assert.Equal(Header(item, item.Path), Header(item, node.TicketUrl(id, "class=header")));
        Assert.Empty(RemoteRecords(item, node.TicketUrl(id, "class=header")));
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

        var local = HtsTools.Lines("bcftools", "view", "--no-version", "-H", item.Path, "-r", "chr17:43044001-43125000,chr22:20000001-30000000");
        var remote = HtsTools.Lines("bcftools", "view", "--no-version", "-H", path);

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

    // Each data URL's range lies within the cover the registration tables give for the query.
    private async Task AssertTightAsync(HtsgetObjectFile item, string query)
    {
        var ticket = await node.Client.GetStringAsync(new Uri(node.TicketUrl(item.Id, query)));
        using var document = JsonDocument.Parse(ticket);
        var ranges = new List<(long Offset, long Length)>();
        foreach (var url in document.RootElement.GetProperty("htsget").GetProperty("urls").EnumerateArray())
        {
            var text = url.GetProperty("url").GetString()!;
            if (url.GetProperty("class").GetString() == "body" && !text.StartsWith("data:", StringComparison.Ordinal))
            {
                Assert.True(DataToken.TryParse(text[(text.LastIndexOf('/') + 1)..], out var token), text);
                Assert.Equal(item.Id, token.Range.ObjectId);
                ranges.Add((token.Range.Offset, token.Range.Length));
            }
        }

        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=')).ToDictionary(pair => pair[0], pair => pair[1]);
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

        Assert.True(ranges.Sum(range => range.Length) <= cover.Sum(range => range.Length));
    }

    private static string Range(string name, long start, long end) =>
        string.Create(CultureInfo.InvariantCulture, $"referenceName={name}&start={start}&end={end}");

    private static string ToolRegion(string name, long start, long end) =>
        string.Create(CultureInfo.InvariantCulture, $"{name}:{start + 1}-{end}");

    // 0-based start of a record from the tool's text line.
    private static long Position(HtsgetObjectFile item, string line) =>
        long.Parse(line.Split('\t')[item.Kind == HtsgetKind.Reads ? 3 : 1], CultureInfo.InvariantCulture) - 1;

    private static List<(string Name, long Records)> Counts(HtsgetObjectFile item)
    {
        var lines = item.Kind == HtsgetKind.Reads
            ? HtsTools.Lines("samtools", "idxstats", item.Path).Select(line => line.Split('\t')).Select(f => (f[0], long.Parse(f[2], CultureInfo.InvariantCulture)))
            : HtsTools.Lines("bcftools", "index", "-s", item.Path).Select(line => line.Split('\t')).Select(f => (f[0], long.Parse(f[2], CultureInfo.InvariantCulture)));
        return [.. lines.Where(count => count.Item1 != "*")];
    }

    private static List<string> LocalRecords(HtsgetObjectFile item, string? region) => (item.Format, region) switch
    {
        ("CRAM", null) => HtsTools.Lines("samtools", "view", "-T", HtsgetNodeFixture.CeReference, item.Path),
        ("CRAM", _) => HtsTools.Lines("samtools", "view", "-T", HtsgetNodeFixture.CeReference, item.Path, region),
        ("BAM", null) => HtsTools.Lines("samtools", "view", item.Path),
        ("BAM", _) => HtsTools.Lines("samtools", "view", item.Path, region),
        (_, null) => HtsTools.Lines("bcftools", "view", "--no-version", "-H", item.Path),
        _ => HtsTools.Lines("bcftools", "view", "--no-version", "-H", item.Path, "-r", region),
    };

    private static List<string> RemoteRecords(HtsgetObjectFile item, string url) => item.Format switch
    {
        "CRAM" => HtsTools.Lines("samtools", "view", "-T", HtsgetNodeFixture.CeReference, url),
        "BAM" => HtsTools.Lines("samtools", "view", url),
        _ => HtsTools.Lines("bcftools", "view", "--no-version", "-H", url),
    };

    private static string Header(HtsgetObjectFile item, string source) => item.Format switch
    {
        "CRAM" => HtsTools.Run("samtools", "view", "--no-PG", "-H", "-T", HtsgetNodeFixture.CeReference, source),
        "BAM" => HtsTools.Run("samtools", "view", "--no-PG", "-H", source),
        _ => HtsTools.Run("bcftools", "view", "--no-version", "-h", source),
    };
}
