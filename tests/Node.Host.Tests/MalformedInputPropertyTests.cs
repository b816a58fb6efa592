using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.AspNetCore.Http;
using static GenomeNode.Node.Host.Tests.HostileInputs;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// Property: nothing a caller sends (Beacon query strings and bodies, htsget parameters and bodies, /dataUse bodies,
/// Authorization headers) gets a 5xx or a stack trace, and every 4xx is in the protocol's own error format: a Beacon
/// errorResponse with error.errorCode, htsget's {"htsget":{"error","message"}}, problem details for /dataUse, and a
/// WWW-Authenticate challenge with 401.
/// </summary>
/// <remarks>
/// By default (CI) each property runs the same bounded set of cases, each from its own seed derived from
/// <see cref="FixedSeed"/>. GENOMENODE_PROPERTY_ITERATIONS=N runs N fresh random cases per property instead, with
/// CsCheck shrinking a failure (docs/architecture.md, Tests). A failure names its seed: CsCheck_Seed=SEED with a
/// filter on the failing property replays that one case.
/// </remarks>
public sealed class MalformedInputPropertyTests(HostileInputNode node) : IClassFixture<HostileInputNode>
{
    private const ulong FixedSeed = 0x6E0DE_2026;

    // ----- Beacon -----

    private static readonly string[] BeaconParameters =
    [
        "referenceName", "start", "end", "referenceBases", "alternateBases", "variantType", "variantMinLength", "variantMaxLength",
        "assemblyId", "geneId", "aminoacidChange", "genomicAlleleShortForm", "mateName", "datasetIds", "datasets",
    ];

    private static readonly string[] BeaconControls =
        ["requestedGranularity", "includeResultsetResponses", "skip", "limit", "testMode", "filters", "requestedSchema"];

    private static readonly string[] BeaconValues =
    [
        "17", "chr17", "NC_000017.11", "NC_000017.10", "22", "X", "MT", "43045711", "43045712", "43044294", "43125483", "G", "A", "AT",
        "N", "CTACTGGCATA", "BRCA1", "TP53", "SNP", "DEL", "INS", "INDEL", "CNV", "DUP", "GRCh38", "GRCh37", "hg19", "p.Arg1831Trp",
        "V600E", "NC_000017.11:g.43045712G>A", "NC_000017.11:g.43045712_43045714del", "NC_000017.11:g.43045712_43045713insAT",
        "17:43045711:G:A", "demo", HostileInputNode.LockedDataset, "record", "count", "boolean", "HIT", "MISS", "ALL", "NONE", "true",
        "false", "0", "10", "1000", "1001",
    ];

    /// <summary>Values with a shape the parser reads further (HGVS, variant ids, amino-acid changes) and numbers inside.</summary>
    private static readonly Gen<string> ShapedBeaconValue =
        from sequence in Gen.OneOf<string>("NC_000017.11", "NC_000017.10", "17", "chr17", "NC_000099.1", "")
        from first in Number
        from second in Number
        from change in Gen.OneOf<string>("G>A", "A>G", "del", "insAT", "delinsAT", "dup", "=", "GG>A", "")
        from shape in Gen.Int[0, 3]
        select shape switch
        {
            0 => $"{sequence}:g.{first}{change}",
            1 => $"{sequence}:g.{first}_{second}{change}",
            2 => $"{sequence}:{first}:{change.Replace(">", ":", StringComparison.Ordinal)}",
            _ => $"p.Arg{first}Trp",
        };

    private static readonly Gen<string> BeaconValue = Gen.Frequency<string>((4, Text(BeaconValues)), (1, ShapedBeaconValue));

    private static readonly Gen<string> BeaconJsonValue = Gen.Frequency<string>(
        (6, JsonText(BeaconValue)),
        (3, from first in JsonNumber from second in JsonNumber from two in Gen.Bool select two ? $"[{first},{second}]" : $"[{first}]"),
        (1, JsonNumber),
        (1, JsonAny(Text(BeaconParameters), BeaconValue)));

    private static readonly Gen<string> Granularity = Text("boolean", "count", "record");

    private static readonly Gen<string> Inclusion = Text("HIT", "MISS", "ALL", "NONE");

    private static readonly Gen<string> Flag = Text("true", "false");

    private static readonly Gen<string> Chromosome = Gen.Frequency<string>(
        (4, Gen.OneOf<string>("17", "chr17", "NC_000017.11", "NC_000017.10", "22", "X", "MT", "chrUn", "NC_000099.1")), (1, Noise));

    private static readonly Gen<string> Coordinate = Gen.Frequency<string>(
        (3, Gen.Int[0, 250_000_000].Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.OneOf<string>("43045711", "43045422", "43044294", "43125483")),
        (3, Number));

    private static readonly Gen<string> Bases = Gen.Frequency<string>((4, Gen.OneOf<string>("G", "A", "AT", "N", "CTACTGGCATA", "acgtRYKM")), (1, Noise));

    private static readonly Gen<string> JsonCoordinates = Gen.Frequency<string>(
        (4, Coordinate.Select(n => $"[{n}]")),
        (1, from a in Coordinate from b in Coordinate select $"[{a},{b}]"),
        (1, Coordinate),
        (1, BeaconJsonValue));

    /// <summary>requestParameters of the query shapes Beacon reads, bent; or any members; or any JSON.</summary>
    private static readonly Gen<string> BeaconParameterObject = Gen.Frequency<string>(
        (2, ObjectOf(Member("referenceName", JsonText(Chromosome), 4), Member("start", JsonCoordinates, 4), Member("referenceBases", JsonText(Bases), 4),
            Member("alternateBases", JsonText(Bases), 4), Member("assemblyId", JsonText(Text("GRCh38", "GRCh37")), 1),
            Member("datasetIds", Gen.Frequency<string>((3, Array(JsonText(Text("demo", HostileInputNode.LockedDataset)), 0, 2)), (1, BeaconJsonValue)), 1))),
        (2, ObjectOf(Member("referenceName", JsonText(Chromosome), 4), Member("start", JsonCoordinates, 4), Member("end", JsonCoordinates, 4),
            Member("variantType", JsonText(BeaconValue), 1), Member("variantMinLength", JsonNumber, 1), Member("variantMaxLength", JsonNumber, 1))),
        (1, ObjectOf(Member("geneId", JsonText(Text("BRCA1", "TP53")), 4), Member("aminoacidChange", JsonText(BeaconValue), 1),
            Member("variantType", JsonText(BeaconValue), 1))),
        (1, ObjectOf(Member("genomicAlleleShortForm", JsonText(Gen.Frequency<string>((3, ShapedBeaconValue), (1, BeaconValue))), 4),
            Member("assemblyId", JsonText(Text("GRCh38", "GRCh37")), 1))),
        (2, ObjectOf([.. BeaconParameters.Select(name => Member(name, BeaconJsonValue, presence: 1)),
            Member("colour", BeaconJsonValue, presence: 0), Member("g_variant", JsonAny(Text(BeaconParameters), BeaconValue), presence: 0)])),
        (1, JsonAny(Text(BeaconParameters), BeaconValue)));

    private static readonly Gen<string> RequestParameters = Gen.Frequency<string>(
        (12, BeaconParameterObject),
        (4, BeaconParameterObject.Select(parameters => $"{{\"g_variant\":{parameters}}}")),
        (4, Array(BeaconParameterObject, 0, 3)),
        (1, DeepNesting));

    private static readonly Gen<string> BeaconBody = Gen.Frequency<string>(
        (6, ObjectOf(
            Member("meta", ObjectOf(
                Member("apiVersion", JsonText(Text("v2.0", "v2.1.1", "2.0"))),
                Member("requestedSchemas", JsonAny(Text("entityType", "schema"), Text("genomicVariant", "ga4gh-beacon-variant-v2.1.0")), 1),
                Member("requestedGranularity", JsonText(Granularity), 1)), 1),
            Member("query", ObjectOf(
                Member("requestParameters", RequestParameters, 4),
                Member("requestedGranularity", JsonText(Granularity), 2),
                Member("includeResultsetResponses", JsonText(Inclusion), 1),
                Member("pagination", ObjectOf(Member("skip", JsonNumber), Member("limit", JsonNumber)), 1),
                Member("testMode", Gen.Frequency<string>((4, Gen.OneOf<string>("true", "false")), (1, JsonAny(BeaconValue, BeaconValue))), 1),
                Member("filters", Gen.Frequency<string>((4, Gen.Const("[]")), (1, JsonAny(Text("id", "scope"), BeaconValue))), 1)), 4),
            Member("requestedGranularity", JsonText(Granularity), 1))),
        (3, BeaconParameterObject),
        (1, JsonAny(Text([.. BeaconParameters, "meta", "query"]), BeaconValue)),
        (1, DeepNesting),
        (1, Noise));

    private static readonly Gen<string> BeaconPath = Gen.Frequency<string>(
        (5, Gen.Const("/api/g_variants")),
        (2, Gen.Frequency<string>(
                (2, Segment("17:43045711:G:A", "chr17:43045711:G:A", "17:43045422:CTACTGGCATA:C", "17:43045711:-:A", "X:0:N:N")),
                (1, ShapedBeaconValue.Select(id => id.Replace('/', '_')).Where(id => id.Length > 0)))
            .Select(id => $"/api/g_variants/{id}")));

    private static readonly Gen<(string Name, string Value)> AnyBeaconPair =
        from name in Text([.. BeaconParameters, .. BeaconControls]) from value in BeaconValue select (name, value);

    /// <summary>The query shapes Beacon reads (sequence, range, bracket, gene, HGVS), with their values bent, and the controls.</summary>
    private static readonly Gen<string> BeaconQuery = Gen.Frequency<string>(
        (4, QueryOf(Gen.OneOf<(string Name, string Value)[]>(
            Pairs(AnyBeaconPair, Given("referenceName", Chromosome), Given("start", Coordinate), Given("referenceBases", Bases), Given("alternateBases", Bases),
                Maybe("assemblyId", Text("GRCh38", "GRCh37")), Maybe("testMode", Flag), Maybe("requestedGranularity", Granularity), Maybe("limit", Number), Maybe("skip", Number)),
            Pairs(AnyBeaconPair, Given("referenceName", Chromosome), Given("start", Coordinate), Given("end", Coordinate), Maybe("variantType", BeaconValue),
                Maybe("variantMinLength", Number), Maybe("variantMaxLength", Number), Maybe("datasetIds", BeaconValue), Maybe("includeResultsetResponses", Inclusion)),
            Pairs(AnyBeaconPair, Given("referenceName", Chromosome), Given("start", from a in Coordinate from b in Coordinate select $"{a},{b}"),
                Given("end", from a in Coordinate from b in Coordinate select $"{a},{b}"), Maybe("requestedGranularity", Granularity)),
            Pairs(AnyBeaconPair, Given("geneId", Text("BRCA1", "TP53")), Maybe("aminoacidChange", BeaconValue), Maybe("variantType", BeaconValue),
                Maybe("variantMinLength", Number), Maybe("variantMaxLength", Number), Maybe("limit", Number), Maybe("skip", Number)),
            Pairs(AnyBeaconPair, Given("genomicAlleleShortForm", Gen.Frequency<string>((3, ShapedBeaconValue), (1, BeaconValue))),
                Maybe("assemblyId", Text("GRCh38", "GRCh37")), Maybe("requestedGranularity", Granularity))))),
        (1, Query(Text([.. BeaconParameters, .. BeaconControls]), BeaconValue)));

    // ----- htsget -----

    private static readonly string[] HtsgetParameters = ["format", "class", "referenceName", "start", "end", "fields", "tags", "notags"];

    private static readonly Gen<string> HtsgetValue = Text(
        "BAM", "CRAM", "VCF", "BCF", "bam", "header", "body", "chr17", "17", "chr22", "*", "0", "43044000", "43126000", "QNAME",
        "QNAME,FLAG,POS", "NM", "MD,NM", "OQ", "");

    private static readonly Gen<string> HtsgetObject =
        Gen.Frequency<string>((5, Gen.OneOf<string>("demo-reads", "demo-variants", HostileInputNode.LockedReads)), (1, Segment("demo-reads")));

    private static readonly Gen<string> HtsgetRegion = ObjectOf(
        Member("referenceName", Gen.Frequency<string>((4, JsonText(HtsgetValue)), (1, JsonAny(HtsgetValue, HtsgetValue))), 3),
        Member("start", Gen.Frequency<string>((4, JsonNumber), (1, JsonAny(HtsgetValue, HtsgetValue)))),
        Member("end", Gen.Frequency<string>((4, JsonNumber), (1, JsonAny(HtsgetValue, HtsgetValue)))));

    private static readonly Gen<string> HtsgetStrings = Gen.Frequency<string>(
        (3, Array(JsonText(HtsgetValue), 0, 4)),
        (1, JsonAny(HtsgetValue, HtsgetValue)));

    private static readonly Gen<string> HtsgetBody = Gen.Frequency<string>(
        (6, ObjectOf(
            Member("format", JsonText(HtsgetValue), 1),
            Member("class", JsonText(HtsgetValue), 1),
            Member("fields", HtsgetStrings, 1),
            Member("tags", HtsgetStrings, 1),
            Member("notags", HtsgetStrings, 1),
            Member("regions", Gen.Frequency<string>(
                (6, Array(HtsgetRegion, 0, 5)),
                (1, Gen.Int[1001, 1002].Select(n => $"[{string.Join(',', Enumerable.Repeat("{\"referenceName\":\"chr17\"}", n))}]")),
                (1, JsonAny(HtsgetValue, HtsgetValue))), 3))),
        (1, JsonAny(Text(HtsgetParameters), HtsgetValue)),
        (1, DeepNesting),
        (1, Noise));

    // ----- /dataUse -----

    private static readonly string[] PurposeFlags =
    [
        "generalResearch", "healthMedicalBiomedical", "populationOriginsAncestry", "methodsDevelopment", "commercial", "notForProfit",
        "geneticStudiesOnly", "publicationRequired", "collaborationRequired", "ethicsApproval", "timeLimit", "costRecovery",
    ];

    private static readonly Gen<string> Curie = Text("DUO:0000007", "DUO:0000042", "DUO:0000045", "DUO:0000005", "MONDO:0007254", "NCIT:C4872", "DUO:9999999");

    private static readonly Gen<string> DataUseBody = Gen.Frequency<string>(
        (6, ObjectOf(
            Member("purpose", ObjectOf([.. PurposeFlags.Select(flag => Member(flag, Gen.Frequency<string>((4, Gen.OneOf<string>("true", "false")), (1, JsonAny(Curie, Curie))), 1)),
                Member("diseases", Gen.Frequency<string>((3, Array(JsonText(Curie), 0, 3)), (1, JsonAny(Curie, Curie))), 1)]), 3),
            Member("datasetId", JsonText(Text("demo", HostileInputNode.LockedDataset, "nowhere")), 2),
            Member("conditions", ObjectOf(
                Member("duo", Gen.Frequency<string>((3, Array(JsonText(Curie), 0, 3)), (1, JsonAny(Curie, Curie))), 3),
                Member("diseases", Gen.Frequency<string>((3, Array(JsonText(Curie), 0, 3)), (1, JsonAny(Curie, Curie))), 1)), 2))),
        (1, JsonAny(Text("purpose", "datasetId", "conditions"), Curie)),
        (1, DeepNesting),
        (1, Noise));

    private static readonly Gen<string?> JsonContentType = Gen.Frequency<string?>(
        (8, Gen.Const<string?>("application/json")),
        (1, Gen.OneOf<string?>(null, "text/plain", "application/json; charset=utf-16", "application/x-www-form-urlencoded", "application/problem+json")));

    // ----- properties -----

    [Fact]
    public Task Beacon_query_strings_never_get_a_server_error() => CheckAsync(
        from path in BeaconPath
        from query in BeaconQuery
        select new Probe(Protocol.Beacon, HttpMethods.Get, path, query, null, null, null),
        ciCases: 1200);

    [Fact]
    public Task Beacon_request_bodies_never_get_a_server_error() => CheckAsync(
        from path in BeaconPath
        from body in Utf8(BeaconBody)
        from type in JsonContentType
        select new Probe(Protocol.Beacon, HttpMethods.Post, path, "", body, type, null),
        ciCases: 1200);

    [Fact]
    public Task Htsget_parameters_and_bodies_never_get_a_server_error() => CheckAsync(
        Gen.Frequency<Probe>(
            (3, from kind in Gen.OneOf<string>("reads", "variants")
                from id in HtsgetObject
                from query in Query(Text(HtsgetParameters), HtsgetValue)
                select new Probe(Protocol.Htsget, HttpMethods.Get, $"/htsget/{kind}/{id}", query, null, null, null)),
            (3, from kind in Gen.OneOf<string>("reads", "variants")
                from id in HtsgetObject
                from body in Utf8(HtsgetBody)
                from query in Gen.Frequency<string>((9, Gen.Const("")), (1, Query(Text(HtsgetParameters), HtsgetValue)))
                from type in JsonContentType
                select new Probe(Protocol.Htsget, HttpMethods.Post, $"/htsget/{kind}/{id}", query, body, type, null)),
            (1, from token in Segment("AQAAAABrEx02AAAAAAAAAAAAAAAAAAABRmRlbW8tcmVhZHM.TNMEmE7_5RBeMVMWcClDy1Cpp3VfgPKoaoEvgZ_VtfI", "a.b", ".")
                select new Probe(Protocol.Htsget, HttpMethods.Get, $"/htsget/data/{token}", "", null, null, null))),
        ciCases: 1200);

    [Fact]
    public Task Data_use_requests_never_get_a_server_error() => CheckAsync(
        Gen.Frequency<Probe>(
            (4, from body in Utf8(DataUseBody)
                from type in JsonContentType
                select new Probe(Protocol.DataUse, HttpMethods.Post, "/dataUse/match", "", body, type, null)),
            (1, from id in Segment("demo", HostileInputNode.LockedDataset)
                select new Probe(Protocol.DataUse, HttpMethods.Get, $"/dataUse/datasets/{id}", "", null, null, null))),
        ciCases: 400);

    [Fact]
    public Task Bearer_tokens_never_get_a_server_error() => CheckAsync(
        from authorization in Authorization()
        from target in Gen.OneOf<(Protocol, string, string)>(
            (Protocol.Beacon, "/api/g_variants", "referenceName=17&start=43045711&referenceBases=G&alternateBases=A&requestedGranularity=record"),
            (Protocol.Beacon, "/api/g_variants", "geneId=BRCA1&datasetIds=locked&requestedGranularity=count"),
            (Protocol.Htsget, "/htsget/reads/demo-reads", "referenceName=chr17&start=43044000&end=43046000"),
            (Protocol.Htsget, $"/htsget/reads/{HostileInputNode.LockedReads}", "class=header"))
        select new Probe(target.Item1, HttpMethods.Get, target.Item2, target.Item3, null, null, authorization),
        ciCases: 500);

    // ----- Authorization headers -----

    /// <summary>
    /// Authorization headers: none, empty and other schemes, JWT-shaped junk (bad base64url, JSON that is not JSON, is not
    /// Unicode or repeats members), huge ones, and tokens signed by the trusted broker whose claims and visas are junk.
    /// </summary>
    private Gen<string?> Authorization()
    {
        var anyJson = JsonAny(Text("alg", "kid", "typ", "jku", "iss", "sub", "exp", "iat", "ga4gh_passport_v1", "ga4gh_visa_v1"), Noise);
        var part = Gen.Frequency<string>(
            (3, anyJson.Select(B64)),
            (2, ObjectOf(Member("alg", JsonText(Text("RS256", "ES256", "none", "HS256"))), Member("kid", JsonText(Noise)),
                Member("iss", JsonText(Text(node.Broker.Issuer))), Member("ga4gh_passport_v1", anyJson)).Select(B64)),
            (1, Noise),
            (1, AnyChar.Array[0, 40].Select(chars => new string(chars))),
            (1, Gen.Byte.Array[0, 64].Select(bytes => Base64Url.EncodeToString(bytes))),
            (1, Gen.Const("")));
        var jwtShaped = Gen.Frequency<string>(
            (4, from header in part from payload in part from signature in part select $"{header}.{payload}.{signature}"),
            (1, part.Array[1, 5].Select(parts => string.Join('.', parts))));
        return Gen.Frequency<string?>(
            (2, Gen.OneOf<string?>(null, "", " ", "Bearer", "Bearer ", "Bearer  ", "bearer x", "BEARER x", "Basic dXNlcjpwYXNz", "Negotiate x",
                "Bearer a b", "Bearer ...", "Bearer ..", "Bearer a.b", "Bearer a.b.c.d", "Bearer \t", "Bearer\u00a0x")),
            (4, jwtShaped.Select(token => (string?)$"Bearer {token}")),
            (1, from scheme in Gen.OneOf<string>("Bearer", "bearer", "Token", "", "Bearer\t") from token in jwtShaped select (string?)$"{scheme} {token}"),
            (1, Noise.Select(text => (string?)$"Bearer {text}")),
            (1, Gen.Int[60_000, 100_000].Select(n => (string?)$"Bearer {new string('a', n)}.{B64("{}")}.x")),
            (4, SignedPassport().Select(token => (string?)$"Bearer {token}")));
    }

    /// <summary>A passport signed by the trusted broker: its signature verifies, and its claims and visas are junk.</summary>
    private Gen<string> SignedPassport()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Gen<string> Time(int from, int to) => Gen.Frequency<string>(
            (6, Gen.Int[from, to].Select(offset => (now + offset).ToString(CultureInfo.InvariantCulture))), (1, JsonNumber), (1, JsonAny(Noise, Noise)));
        var issued = Time(-600, 0);
        var expires = Gen.Frequency<string>((6, Time(60, 7200)), (1, Time(-7200, -1)));
        var junk = JsonAny(Text("type", "value", "source", "by", "asserted", "conditions"), Noise);

        // Claims are all there and mostly right, so that most tokens reach the checks after the signature; some lack one.
        var presence = Gen.Frequency<int>((6, Gen.Const(4)), (1, Gen.Const(3)));
        Gen<string> Claim(string name, Gen<string> value) => from p in presence from member in Member(name, value, p) select member;

        var condition = ObjectOf(
            Claim("type", JsonText(Mostly("AffiliationAndRole", "ControlledAccessGrants", "ResearcherStatus"))),
            Claim("value", JsonText(Mostly("const:faculty@uni.example", "pattern:*", "pattern:?*?", "split_pattern:a;b*;*", "const:", "pattern:"))),
            Member("source", JsonText(Mostly("const:https://grid.ac/institutes/grid.test", "pattern:https://*"))),
            Member("by", JsonText(Mostly("const:so", "const:system"))));
        var visaClaim = ObjectOf(
            Claim("type", JsonText(Mostly("ControlledAccessGrants", "AffiliationAndRole", "AcceptedTermsAndPolicies", "ResearcherStatus", "LinkedIdentities"))),
            Claim("value", JsonText(Mostly(HostileInputNode.LockedGrant, "https://doi.org/10.1038/s41431-018-0219-y", "10001,https%3A%2F%2Fbroker"))),
            Claim("source", JsonText(Mostly("https://grid.ac/institutes/grid.test"))),
            Claim("by", JsonText(Mostly("dac", "so", "self", "system", "peer"))),
            Claim("asserted", issued),
            Member("conditions", Gen.Frequency<string>((3, Array(Array(condition, 0, 3), 0, 3)), (1, junk)), 1));
        var visa = Gen.Frequency<string>(
            (6, from header in ObjectOf(
                    Claim("typ", JsonText(Mostly("vnd.ga4gh.visa+jwt", "JWT"))),
                    Claim("alg", JsonText(Mostly(node.Committee.Algorithm))),
                    Claim("jku", JsonText(Mostly(node.Committee.JwksUrl))),
                    Claim("kid", JsonText(Mostly(node.Committee.KeyId))))
                from payload in ObjectOf(
                    Claim("iss", JsonText(Mostly(node.Committee.Issuer))),
                    Claim("sub", JsonText(Mostly("researcher"))),
                    Claim("iat", issued),
                    Claim("exp", expires),
                    Member("jti", JsonText(Noise), 1),
                    Claim("ga4gh_visa_v1", Gen.Frequency<string>((6, visaClaim), (1, junk))))
                select JsonString(node.Committee.SignText(header, payload))),
            (1, junk));
        return from header in ObjectOf(
                Claim("typ", JsonText(Mostly("vnd.ga4gh.passport+jwt", "JWT"))),
                Claim("alg", JsonText(Mostly(node.Broker.Algorithm))),
                Claim("kid", JsonText(Mostly(node.Broker.KeyId))))
            from payload in ObjectOf(
                Claim("iss", JsonText(Mostly(node.Broker.Issuer))),
                Claim("sub", JsonText(Mostly("researcher"))),
                Member("aud", JsonAny(Noise, Text("genome-node")), 1),
                Claim("iat", issued),
                Claim("exp", expires),
                Member("scope", JsonText(Mostly("openid ga4gh_passport_v1")), 1),
                Claim("ga4gh_passport_v1", Gen.Frequency<string>((6, Array(visa, 0, 4)), (1, junk))))
            select node.Broker.SignText(header, payload);
    }

    private static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    // ----- running and judging -----

    private Task CheckAsync(Gen<Probe> probes, int ciCases) => Cases.RunAsync(probes, AssertAnsweredInItsProtocolAsync, ciCases, FixedSeed);

    private async Task AssertAnsweredInItsProtocolAsync(Probe probe)
    {
        var context = await node.Server.SendAsync(request =>
        {
            request.Request.Method = probe.Method;
            request.Request.Path = new PathString(probe.Path);
            request.Request.QueryString = probe.Query.Length == 0 ? QueryString.Empty : new QueryString("?" + probe.Query);
            if (probe.Authorization is not null)
            {
                request.Request.Headers.Authorization = probe.Authorization;
            }

            if (probe.Body is not null)
            {
                request.Request.Body = new MemoryStream(probe.Body);
                request.Request.ContentLength = probe.Body.Length;
            }

            if (probe.ContentType is not null)
            {
                request.Request.ContentType = probe.ContentType;
            }
        });
        var status = context.Response.StatusCode;
        using var reader = new StreamReader(context.Response.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var answer = $"answered {status}: {(body.Length > 2000 ? body[..2000] + "..." : body)}";

        // The node's own account of a server error (its log, never the response) tells what to fix.
        Assert.True(status < 500, $"{answer}\n{node.Factory.Log.Lines.LastOrDefault(line => line.StartsWith("Error", StringComparison.Ordinal))}");
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        var mediaType = context.Response.ContentType?.Split(';')[0].Trim();
        if (status < 400)
        {
            if (mediaType is not null && mediaType.EndsWith("json", StringComparison.Ordinal))
            {
                using var _ = JsonDocument.Parse(body); // a whole document, not one cut off by a failure while writing
            }

            return;
        }

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        switch (probe.Protocol)
        {
            case Protocol.Beacon:
                var error = root.GetProperty("error");
                Assert.True(error.GetProperty("errorCode").GetInt32() == status, answer);
                Assert.Equal(JsonValueKind.String, error.GetProperty("errorMessage").ValueKind);
                break;
            case Protocol.Htsget:
                Assert.True(mediaType == "application/json", answer);
                var htsget = Assert.Single(root.EnumerateObject());
                Assert.Equal("htsget", htsget.Name);
                Assert.Equal(["error", "message"], htsget.Value.EnumerateObject().Select(property => property.Name));
                Assert.All(htsget.Value.EnumerateObject(), property => Assert.Equal(JsonValueKind.String, property.Value.ValueKind));
                break;
            case Protocol.DataUse:
                // Problem details (a typed NotFound writes them as application/json, the rest as application/problem+json).
                Assert.True(mediaType is "application/problem+json" or "application/json", answer);
                Assert.True(root.GetProperty("status").GetInt32() == status, answer);
                Assert.Equal(JsonValueKind.String, root.GetProperty("title").ValueKind);
                break;
        }

        if (status == 401)
        {
            Assert.StartsWith("Bearer realm=", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }
}

/// <summary>How a property's cases are chosen: fixed in CI, random for a long run, one seed to replay.</summary>
internal static class Cases
{
    public const string IterationsVariable = "GENOMENODE_PROPERTY_ITERATIONS";

    public static async Task RunAsync<T>(Gen<T> gen, Func<T, Task> assert, int ciCases, ulong fixedSeed)
    {
        var replay = Environment.GetEnvironmentVariable("CsCheck_Seed");
        if (!string.IsNullOrWhiteSpace(replay))
        {
            await gen.SampleAsync(assert, seed: replay, iter: 1, threads: 1);
            return;
        }

        if (long.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            && iterations > 0)
        {
            // Fresh random cases; CsCheck shrinks a failure to a smaller one and prints the seed that replays it.
            await gen.SampleAsync(assert, iter: iterations, threads: Math.Max(1, Environment.ProcessorCount));
            return;
        }

        // CsCheck seeds only the first case of a sample, so CI runs one sample per case, each seeded from a fixed sequence:
        // the same cases every run, and a failure prints the seed of its own case.
        var seeds = new PCG(1, fixedSeed);
        for (var i = 0; i < ciCases; i++)
        {
            await gen.SampleAsync(assert, seed: new PCG(1, seeds.Next64()).ToString(), iter: 1, threads: 1);
        }
    }
}
