using System.Globalization;
using System.Net;
using System.Text.Json;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// One object id holding two formats of the same data, asked as the GA4GH htsget compliance suite asks: a reads id
/// with no format, as BAM and as CRAM; a variants id with no format, as VCF and as BCF; each for the whole file and for
/// a reference (and a window of it). samtools and bcftools follow the tickets and must find what they find in the
/// original file of the format the ticket names.
/// </summary>
[Collection(HtsgetNodeGroup.Name)]
public sealed class HtsgetMultiFormatTests(HtsgetNodeFixture node)
{
    public static TheoryData<string, string?, string> ComplianceCases
    {
        get
        {
            var cases = new TheoryData<string, string?, string>();
            foreach (var (kind, formats) in new[] { ("reads", new[] { "BAM", "CRAM" }), ("variants", new[] { "VCF", "BCF" }) })
            {
                foreach (var format in formats.Prepend(null))
                {
                    foreach (var scope in new[] { "whole", "reference", "window" })
                    {
                        cases.Add(kind, format, scope);
                    }
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(ComplianceCases))]
    public async Task A_ticket_serves_the_format_asked_and_the_tools_find_what_they_find_in_that_original(string kind, string? format, string scope)
    {
        var reads = kind == "reads";
        var id = reads ? HtsgetNodeFixture.MultiReads : HtsgetNodeFixture.MultiVariants;
        var served = format ?? (reads ? "BAM" : "VCF");
        var original = node.MultiFormat[served];
        var reference = FirstReferenceWithRecords(reads, original);
        // A window of 2 kb from the reference's first record (0-based, half-open; the tools take 1-based, inclusive).
        var first = long.Parse(Records(reads, original, reference)[0].Split('\t')[reads ? 3 : 1], CultureInfo.InvariantCulture) - 1;
        var (query, region) = scope switch
        {
            "whole" => ("", null),
            "reference" => ($"referenceName={Uri.EscapeDataString(reference)}", reference),
            _ => (string.Create(CultureInfo.InvariantCulture, $"referenceName={Uri.EscapeDataString(reference)}&start={first}&end={first + 2000}"),
                string.Create(CultureInfo.InvariantCulture, $"{reference}:{first + 1}-{first + 2000}")),
        };
        if (format is not null)
        {
            query = query.Length == 0 ? $"format={format}" : $"format={format}&{query}";
        }

        var url = new Uri(node.BaseAddress, $"/htsget/{kind}/{id}{(query.Length == 0 ? "" : "?" + query)}").ToString();
        using (var document = JsonDocument.Parse(await node.Client.GetStringAsync(new Uri(url))))
        {
            Assert.Equal(served, document.RootElement.GetProperty("htsget").GetProperty("format").GetString());
        }

        var local = Records(reads, original, region);
        var remote = Records(reads, url, null);
        Assert.NotEmpty(local);
        if (region is null)
        {
            Assert.Equal(local, remote);
        }
        else
        {
            Assert.Empty(local.Except(remote));
            Assert.Empty(remote.Except(Records(reads, original, null)));
        }

        Assert.Equal(Header(reads, original), Header(reads, url));
    }

    [Fact]
    public async Task An_id_asked_for_a_format_it_does_not_hold_answers_UnsupportedFormat_naming_those_it_holds()
    {
        using var response = await node.Client.GetAsync(new Uri("/htsget/reads/bam?format=CRAM", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("htsget");
        Assert.Equal("UnsupportedFormat", error.GetProperty("error").GetString());
        Assert.Contains("held as BAM", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Each format's data URLs name its own file: a CRAM ticket's URLs are not BAM bytes.
        using var cram = JsonDocument.Parse(await node.Client.GetStringAsync(new Uri($"/htsget/reads/{HtsgetNodeFixture.MultiReads}?format=CRAM", UriKind.Relative)));
        var first = cram.RootElement.GetProperty("htsget").GetProperty("urls")[0].GetProperty("url").GetString()!;
        var bytes = first.StartsWith("data:", StringComparison.Ordinal)
            ? Convert.FromBase64String(first[(first.IndexOf(',', StringComparison.Ordinal) + 1)..])
            : await node.Client.GetByteArrayAsync(new Uri(first));
        Assert.Equal("CRAM"u8.ToArray(), bytes[..4]);
    }

    [Theory]
    [InlineData("reads", "BAM,CRAM")]
    [InlineData("variants", "VCF,BCF")]
    public async Task Service_info_claims_the_formats_registered_objects_serve(string kind, string expected)
    {
        using var document = JsonDocument.Parse(await node.Client.GetStringAsync(new Uri($"/htsget/{kind}/service-info", UriKind.Relative)));
        var formats = document.RootElement.GetProperty("htsget").GetProperty("formats").EnumerateArray().Select(format => format.GetString());
        Assert.Equal(expected, string.Join(',', formats));
    }

    private static string FirstReferenceWithRecords(bool reads, string path) => reads
        ? ExternalTools.Lines("samtools", "idxstats", path).Select(line => line.Split('\t')).First(f => f[0] != "*" && f[2] != "0")[0]
        : ExternalTools.Lines("bcftools", "index", "-s", path).Select(line => line.Split('\t')).First(f => f[2] != "0")[0];

    private static List<string> Records(bool reads, string source, string? region) => reads
        ? ExternalTools.Lines("samtools", ["view", source, .. region is null ? Array.Empty<string>() : [region]])
        : ExternalTools.Lines("bcftools", ["view", "--no-version", "-H", source, .. region is null ? Array.Empty<string>() : ["-r", region]]);

    // bcftools adds ##contig lines from an index to a header that has none; both sides are read as streams here.
    private static string Header(bool reads, string source) => reads
        ? ExternalTools.Run("samtools", "view", "--no-PG", "-H", source)
        : string.Join('\n', ExternalTools.Lines("bcftools", "view", "--no-version", "-h", source).Where(line => !line.StartsWith("##contig", StringComparison.Ordinal)));
}
