using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GenomeNode.Htsget.Data;
using GenomeNode.Htsget.Registration;
using Microsoft.Extensions.DependencyInjection;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// Malformed and hostile htsget requests over the real host: each answers the specification's error JSON with its
/// status code, never a 500 or a stack trace; data URLs serve only the bytes they were signed for.
/// </summary>
[Collection(HtsgetNodeGroup.Name)]
public sealed class HtsgetErrorTests(HtsgetNodeFixture node)
{
    [Theory]
    [InlineData("/htsget/reads/bam?referenceName=CHROMOSOME_I&start=200&end=100", 400, "InvalidRange")]
    [InlineData("/htsget/reads/bam?referenceName=CHROMOSOME_I&start=-1", 400, "InvalidInput")]
    [InlineData("/htsget/reads/bam?referenceName=CHROMOSOME_I&start=abc", 400, "InvalidInput")]
    [InlineData("/htsget/reads/bam?start=100", 400, "InvalidInput")]
    [InlineData("/htsget/reads/bam?referenceName=*&end=100", 400, "InvalidInput")]
    [InlineData("/htsget/reads/bam?class=header&referenceName=CHROMOSOME_I", 400, "InvalidInput")]
    [InlineData("/htsget/reads/bam?fields=QNAME,WHATEVER", 400, "InvalidInput")]
    [InlineData("/htsget/reads/bam?tags=NM&notags=NM", 400, "InvalidInput")]
    [InlineData("/htsget/reads/bam?format=VCF", 400, "UnsupportedFormat")]
    [InlineData("/htsget/reads/bam?format=CRAM", 400, "UnsupportedFormat")]
    [InlineData("/htsget/variants/vcf?format=BCF", 400, "UnsupportedFormat")]
    [InlineData("/htsget/reads/bam?referenceName=chrUnknown", 404, "NotFound")]
    [InlineData("/htsget/reads/no-such-object", 404, "NotFound")]
    [InlineData("/htsget/variants/bam", 404, "NotFound")]
    [InlineData("/htsget/reads/..%2F..%2Fetc%2Fpasswd", 404, "NotFound")]
    [InlineData("/htsget/reads/%2Fetc%2Fpasswd", 404, "NotFound")]
    [InlineData("/htsget/reads/..%5C..%5Cwindows", 404, "NotFound")]
    [InlineData("/htsget/data/..%2F..%2Fetc%2Fpasswd", 403, "PermissionDenied")]
    [InlineData("/htsget/data/not-a-token", 403, "PermissionDenied")]
    public async Task Bad_requests_answer_the_htsget_error(string path, int status, string error)
    {
        using var response = await node.Client.GetAsync(new Uri(path, UriKind.Relative));

        await AssertErrorAsync(response, status, error);
    }

    [Fact]
    public async Task Objects_of_a_dataset_that_is_not_public_need_credentials()
    {
        using var response = await node.Client.GetAsync(new Uri("/htsget/reads/closed-bam?referenceName=CHROMOSOME_I", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/htsget/reads/closed-bam");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-passport");
        using var withToken = await node.Client.SendAsync(request);
        using var post = await node.Client.PostAsync(new Uri("/htsget/reads/closed-bam", UriKind.Relative), Json("{}"));

        foreach (var answer in new[] { response, withToken, post })
        {
            await AssertErrorAsync(answer, 401, "InvalidAuthentication");
            Assert.Equal("Bearer", Assert.Single(answer.Headers.WwwAuthenticate).Scheme);
        }
    }

    [Fact]
    public async Task Post_bodies_that_are_too_large_malformed_or_with_query_parameters_are_refused()
    {
        var huge = $"{{\"format\":\"BAM\",\"padding\":\"{new string('x', 70 * 1024)}\"}}";
        var regions = string.Join(',', Enumerable.Repeat("{\"referenceName\":\"CHROMOSOME_I\"}", 1001));

        await AssertErrorAsync(await Post("/htsget/reads/bam", huge), 413, "PayloadTooLarge");
        await AssertErrorAsync(await Post("/htsget/reads/bam", $"{{\"regions\":[{regions}]}}"), 413, "PayloadTooLarge");
        await AssertErrorAsync(await Post("/htsget/reads/bam", "{\"regions\":"), 400, "InvalidInput");
        await AssertErrorAsync(await Post("/htsget/reads/bam", "[1,2,3]"), 400, "InvalidInput");
        await AssertErrorAsync(await Post("/htsget/reads/bam", "{\"regions\":[{\"referenceName\":\"CHROMOSOME_I\",\"start\":\"ten\"}]}"), 400, "InvalidInput");
        await AssertErrorAsync(await Post("/htsget/reads/bam", "{\"regions\":[]}"), 400, "InvalidInput");
        await AssertErrorAsync(await Post("/htsget/reads/bam", "{\"regions\":[{\"referenceName\":\"CHROMOSOME_I\",\"start\":5,\"end\":5}]}"), 400, "InvalidRange");
        await AssertErrorAsync(await Post("/htsget/reads/bam", "{\"regions\":[{\"referenceName\":\"nope\"}]}"), 404, "NotFound");
        await AssertErrorAsync(await Post("/htsget/reads/bam?referenceName=CHROMOSOME_I", "{}"), 400, "InvalidInput");
        await AssertErrorAsync(await Post("/htsget/reads/bam", ""), 400, "InvalidInput");
        using var ok = await Post("/htsget/reads/bam", "{\"format\":\"bam\",\"regions\":[{\"referenceName\":\"CHROMOSOME_I\",\"start\":0,\"end\":1000}]}");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [InlineData("""{"format":"BAM","format":"BAM"}""", "format")]
    [InlineData("""{"regions":[{"referenceName":"CHROMOSOME_I","referenceName":"nope"}]}""", "regions[0].referenceName")]
    public async Task A_post_body_naming_a_member_twice_is_invalid_input_naming_it(string body, string member)
    {
        using var response = await Post("/htsget/reads/bam", body);

        var message = await AssertErrorAsync(response, 400, "InvalidInput");
        Assert.Contains($"{member}: the member", message, StringComparison.Ordinal);
        Assert.Contains("more than once", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_body_with_a_lone_surrogate_is_invalid_input_naming_the_member()
    {
        using var response = await Post("/htsget/reads/bam", """{"regions":[{"referenceName":"CHROMOSOME_I\ud800"}]}""");

        var message = await AssertErrorAsync(response, 400, "InvalidInput");
        Assert.Contains("regions[0].referenceName: the text is not valid Unicode", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_url_serves_exactly_its_bytes_with_content_length_and_ranges_within_them()
    {
        var item = node.Objects["range-bam"];
        var url = await FirstDataUrlAsync("/htsget/reads/range-bam?referenceName=CHROMOSOME_I");
        Assert.True(DataToken.TryParse(url[(url.LastIndexOf('/') + 1)..], out var token));
        var file = await File.ReadAllBytesAsync(item.Path);
        var expected = file.AsSpan((int)token.Range.Offset, (int)token.Range.Length).ToArray();

        using var whole = await node.Client.GetAsync(new Uri(url));
        using var partial = await GetRange(url, "bytes=10-19");
        using var suffix = await GetRange(url, "bytes=-5");
        using var outside = await GetRange(url, $"bytes={token.Range.Length}-");

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(token.Range.Length, whole.Content.Headers.ContentLength);
        Assert.Equal(expected, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(expected[10..20], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 10-19/{token.Range.Length}", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(expected[^5..], await suffix.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, outside.StatusCode);
    }

    [Fact]
    public async Task A_file_rewritten_since_registration_is_not_served_until_registered_again()
    {
        var path = node.Combine($"rewritten-{Guid.NewGuid():N}.bam");
        File.Copy(node.Objects["range-bam"].Path, path);
        File.Copy(node.Objects["range-bam"].Path + ".bai", path + ".bai");
        await using (var scope = node.Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<HtsgetObjectRegistrar>()
                .Register(new RegistrationRequest("rewritten-bam", "open", HtsgetKind.Reads, path, null));
        }

        var url = await FirstDataUrlAsync("/htsget/reads/rewritten-bam?referenceName=CHROMOSOME_I");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^40] ^= 0xff;
        await File.WriteAllBytesAsync(path, bytes);

        using var ticket = await node.Client.GetAsync(new Uri("/htsget/reads/rewritten-bam", UriKind.Relative));
        using var data = await node.Client.GetAsync(new Uri(url));
        foreach (var response in new[] { ticket, data })
        {
            await AssertErrorAsync(response, 503, "Unavailable");
        }

        await using (var scope = node.Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<HtsgetObjectRegistrar>()
                .Register(new RegistrationRequest("rewritten-bam", "open", HtsgetKind.Reads, path, null));
        }

        using var again = await node.Client.GetAsync(new Uri("/htsget/reads/rewritten-bam", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Tampered_expired_and_foreign_data_urls_are_refused()
    {
        var url = await FirstDataUrlAsync("/htsget/reads/bam?referenceName=CHROMOSOME_I");
        var slash = url.LastIndexOf('/') + 1;
        var text = url[slash..];
        Assert.True(DataToken.TryParse(text, out var token));
        var flipped = string.Concat(text.AsSpan(0, 5), text[5] == 'A' ? "B" : "A", text.AsSpan(6));
        var registered = Find("bam");
        var urls = node.Factory.Services.GetRequiredService<DataUrls>();
        var expired = urls.CreateToken(token.Range, registered.Sha256, DateTimeOffset.UtcNow.AddSeconds(-1));
        var otherVersion = urls.CreateToken(token.Range, new string('0', 64), urls.NewExpiry());
        var otherKey = new DataTokenSigner(new byte[32]).Create(token.Range, registered.Sha256, urls.NewExpiry());
        var otherObject = urls.CreateToken(token.Range with { ObjectId = "range-bam" }, registered.Sha256, urls.NewExpiry());

        foreach (var bad in new[] { flipped, expired, otherVersion, otherKey, otherObject, text + "x", text.Split('.')[0] })
        {
            using var response = await node.Client.GetAsync(new Uri(url[..slash] + bad));
            await AssertErrorAsync(response, 403, "PermissionDenied");
        }
    }

    [Fact]
    public async Task The_signing_key_lives_in_the_data_directory_readable_by_its_owner_only()
    {
        await FirstDataUrlAsync("/htsget/reads/bam");
        var key = Path.Combine(node.Factory.Data.Path, "htsget-signing.key");

        Assert.True(File.Exists(key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
    }

    [Fact]
    public async Task Service_info_describes_each_endpoint_and_the_node_lists_both()
    {
        foreach (var (kind, formats) in new[] { ("reads", "[\"BAM\",\"CRAM\"]"), ("variants", "[\"VCF\",\"BCF\"]") })
        {
            using var response = await node.Client.GetAsync(new Uri($"/htsget/{kind}/service-info", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = document.RootElement;
            Assert.Equal("org.ga4gh", root.GetProperty("type").GetProperty("group").GetString());
            Assert.Equal("htsget", root.GetProperty("type").GetProperty("artifact").GetString());
            Assert.Equal("1.3.0", root.GetProperty("type").GetProperty("version").GetString());
            Assert.Equal($"fi.example.genome-node.test.htsget-{kind}", root.GetProperty("id").GetString());
            Assert.Equal("Test genome centre", root.GetProperty("organization").GetProperty("name").GetString());
            var htsget = root.GetProperty("htsget");
            Assert.Equal(kind, htsget.GetProperty("datatype").GetString());
            Assert.Equal(formats, htsget.GetProperty("formats").GetRawText());
            Assert.False(htsget.GetProperty("fieldsParameterEffective").GetBoolean());
            Assert.False(htsget.GetProperty("tagsParametersEffective").GetBoolean());
        }

        var services = await node.Client.GetStringAsync(new Uri("/service-info", UriKind.Relative));
        Assert.Contains("{\"type\":{\"group\":\"org.ga4gh\",\"artifact\":\"htsget\",\"version\":\"1.3.0\"},\"url\":\"/htsget/reads\"", services, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"/htsget/variants\"", services, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tickets_and_data_urls_answer_cors_for_browsers()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/htsget/reads/bam");
        preflight.Headers.Add("Origin", "https://igv.example.org");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,range");
        using var answer = await node.Client.SendAsync(preflight);

        Assert.True(answer.IsSuccessStatusCode, answer.StatusCode.ToString());
        Assert.Equal("https://igv.example.org", Assert.Single(answer.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("range", string.Join(',', answer.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("authorization", string.Join(',', answer.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("2592000", Assert.Single(answer.Headers.GetValues("Access-Control-Max-Age")));

        var url = await FirstDataUrlAsync("/htsget/reads/bam");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Origin", "https://igv.example.org");
        request.Headers.Range = new RangeHeaderValue(0, 9);
        using var data = await node.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, data.StatusCode);
        Assert.Equal("https://igv.example.org", Assert.Single(data.Headers.GetValues("Access-Control-Allow-Origin")));
        var exposed = string.Join(',', data.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Contains("Content-Range", exposed, StringComparison.Ordinal);
        Assert.Contains("Content-Length", exposed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ticket_has_the_htsget_content_type_and_classes_on_every_url()
    {
        using var response = await node.Client.GetAsync(new Uri("/htsget/variants/vcf?referenceName=1&start=0&end=100000", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.ga4gh.htsget.v1.3.0+json", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("{\"htsget\":{\"format\":\"VCF\",\"urls\":[", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        Assert.All(document.RootElement.GetProperty("htsget").GetProperty("urls").EnumerateArray(),
            url => Assert.True(url.GetProperty("class").GetString() is "header" or "body"));
        Assert.DoesNotContain("\\u002B", text, StringComparison.Ordinal);
    }

    private RegisteredObject Find(string id)
    {
        using var scope = node.Factory.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<HtsgetObjectStore>().Find(id)!;
    }

    private async Task<string> FirstDataUrlAsync(string ticketPath)
    {
        var ticket = await node.Client.GetStringAsync(new Uri(ticketPath, UriKind.Relative));
        using var document = JsonDocument.Parse(ticket);
        return document.RootElement.GetProperty("htsget").GetProperty("urls").EnumerateArray()
            .Select(url => url.GetProperty("url").GetString()!)
            .First(url => url.StartsWith("http", StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> GetRange(string url, string range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Range", range);
        return await node.Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> Post(string path, string body) => node.Client.PostAsync(new Uri(path, UriKind.Relative), Json(body));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Asserts the htsget error JSON with this status and error type; returns its message.</summary>
    private static async Task<string> AssertErrorAsync(HttpResponseMessage response, int status, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var htsget = Assert.Single(document.RootElement.EnumerateObject());
        Assert.Equal("htsget", htsget.Name);
        Assert.Equal(["error", "message"], htsget.Value.EnumerateObject().Select(property => property.Name));
        Assert.Equal(error, htsget.Value.GetProperty("error").GetString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        response.Dispose();
        return htsget.Value.GetProperty("message").GetString()!;
    }
}
