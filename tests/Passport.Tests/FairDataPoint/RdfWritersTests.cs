using System.Text.Json;
using GenomeNode.Passport.FairDataPoint;
using GenomeNode.Passport.Rdf;

namespace GenomeNode.Passport.Tests.FairDataPoint;

/// <summary>The hand-written Turtle and JSON-LD writers: escaping of literals, IRIs that need none, language tags.</summary>
public sealed class RdfWritersTests
{
    private static readonly IReadOnlyList<(string, string)> Prefixes = [("dct", "http://purl.org/dc/terms/"), ("ex", "http://example.org/")];

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("line\nbreak\r\n", "\"line\\nbreak\\r\\n\"")]
    [InlineData("tab\there", "\"tab\\there\"")]
    [InlineData("bell\u0007 nul\u0000 del\u007f", "\"bell\\u0007 nul\\u0000 del\\u007F\"")]
    [InlineData("backspace\b formfeed\f", "\"backspace\\b formfeed\\f\"")]
    [InlineData("ääkköset — 🧬", "\"ääkköset — 🧬\"")]
    [InlineData("'single' <angle> @at ^^hat", "\"'single' <angle> @at ^^hat\"")]
    [InlineData("\"\"\"triple", "\"\\\"\\\"\\\"triple\"")]
    public void Turtle_quotes_every_special_character(string value, string expected) =>
        Assert.Equal(expected, TurtleWriter.Quote(value));

    [Fact]
    public void Literals_carry_language_tags_in_lower_case_and_datatypes_as_names()
    {
        var graph = new RdfGraph();
        var subject = new RdfIri("http://example.org/s");
        graph.Add(subject, new RdfIri("http://purl.org/dc/terms/title"), RdfLiteral.Tagged("Otsikko", "FI"))
            .Add(subject, new RdfIri("http://example.org/count"), RdfLiteral.Typed("5", "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))
            .Add(subject, new RdfIri("http://example.org/plain"), RdfLiteral.Typed("x", RdfLiteral.XsdString));

        var turtle = TurtleWriter.Write(graph, Prefixes);

        Assert.Contains("dct:title \"Otsikko\"@fi ;", turtle, StringComparison.Ordinal);
        Assert.Contains("ex:count \"5\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> ;", turtle, StringComparison.Ordinal);
        Assert.Contains("ex:plain \"x\" .", turtle, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://example.org/1MGCompliant", "<http://example.org/1MGCompliant>")]
    [InlineData("http://example.org/a.b", "<http://example.org/a.b>")]
    [InlineData("http://example.org/a/b", "<http://example.org/a/b>")]
    [InlineData("http://example.org/", "<http://example.org/>")]
    [InlineData("http://example.org/name_with-dash", "ex:name_with-dash")]
    [InlineData("http://example.org/ä", "<http://example.org/ä>")]
    [InlineData("mailto:someone@example.org", "<mailto:someone@example.org>")]
    public void Prefixed_names_only_where_the_local_part_needs_no_escape(string iri, string expected) =>
        Assert.Equal(expected, TurtleWriter.Term(new RdfIri(iri), Prefixes));

    [Theory]
    [InlineData("relative/path")]
    [InlineData("")]
    [InlineData("http://example.org/has space")]
    [InlineData("http://example.org/<angle>")]
    [InlineData("http://example.org/\"quote")]
    [InlineData("http://example.org/{brace}")]
    [InlineData("http://example.org/pipe|")]
    [InlineData("http://example.org/caret^")]
    [InlineData("http://example.org/`tick")]
    [InlineData("http://example.org/back\\slash")]
    [InlineData("http://example.org/line\nbreak")]
    [InlineData("http://example.org/\u007f")]
    public void Iris_that_would_need_escaping_are_refused(string iri) =>
        Assert.Throws<ArgumentException>(() => new RdfIri(iri));

    [Fact]
    public void Lone_surrogates_and_bad_language_tags_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RdfLiteral.Plain("broken \ud800 text"));
        Assert.Throws<ArgumentException>(() => RdfLiteral.Plain("broken \udc00"));
        Assert.Throws<ArgumentException>(() => new RdfIri("http://example.org/\ud800"));
        Assert.Throws<ArgumentException>(() => RdfLiteral.Tagged("x", "en us"));
        Assert.Throws<ArgumentException>(() => RdfLiteral.Tagged("x", "toolonglanguage"));
        Assert.Throws<ArgumentException>(() => RdfLiteral.Tagged("x", ""));
        Assert.Equal("en-gb", RdfLiteral.Tagged("x", "en-GB").Language);
        Assert.Equal("🧬", RdfLiteral.Plain("🧬").Value);
    }

    [Fact]
    public void Json_ld_holds_the_same_values_as_turtle_and_reads_back_exactly()
    {
        const string tricky = "q\"uote \\ back\nline\ttab \u0001 ä 🧬 </script>";
        var graph = new RdfGraph();
        var subject = new RdfIri("http://example.org/s");
        var agent = graph.NewBlank();
        graph.Add(subject, new RdfIri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), new RdfIri("http://example.org/Thing"))
            .Add(subject, new RdfIri("http://purl.org/dc/terms/title"), RdfLiteral.Tagged(tricky, "fi"))
            .Add(subject, new RdfIri("http://purl.org/dc/terms/publisher"), agent)
            .Add(agent, new RdfIri("http://example.org/count"), RdfLiteral.Typed("7", "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))
            .Add(agent, new RdfIri("http://example.org/has:colon"), RdfLiteral.Plain(tricky));

        using var json = JsonDocument.Parse(JsonLdWriter.Write(graph, Prefixes));

        var nodes = json.RootElement.GetProperty("@graph").EnumerateArray().ToList();
        Assert.Equal("http://example.org/s", nodes[0].GetProperty("@id").GetString());
        Assert.Equal(["http://example.org/Thing"], nodes[0].GetProperty("@type").EnumerateArray().Select(t => t.GetString()));
        var title = Assert.Single(nodes[0].GetProperty("dct:title").EnumerateArray());
        Assert.Equal((tricky, "fi"), (title.GetProperty("@value").GetString(), title.GetProperty("@language").GetString()));
        Assert.Equal("_:b1", nodes[0].GetProperty("dct:publisher")[0].GetProperty("@id").GetString());
        Assert.Equal("_:b1", nodes[1].GetProperty("@id").GetString());
        Assert.Equal("http://www.w3.org/2001/XMLSchema#nonNegativeInteger", nodes[1].GetProperty("ex:count")[0].GetProperty("@type").GetString());
        // A local part that would read as another compact IRI is written in full.
        Assert.Equal(tricky, nodes[1].GetProperty("http://example.org/has:colon")[0].GetProperty("@value").GetString());
        Assert.Equal("http://purl.org/dc/terms/", json.RootElement.GetProperty("@context").GetProperty("dct").GetString());
    }

    [Fact]
    public void A_graph_keeps_each_statement_once_in_the_order_added()
    {
        var graph = new RdfGraph();
        var s = new RdfIri("http://example.org/s");
        var p = new RdfIri("http://example.org/p");
        graph.Add(s, p, RdfLiteral.Plain("b")).Add(s, p, RdfLiteral.Plain("a")).Add(s, p, RdfLiteral.Plain("b"));

        Assert.Equal(["b", "a"], graph.Triples.Select(t => ((RdfLiteral)t.Value).Value));
        Assert.Throws<ArgumentException>(() => graph.Add(RdfLiteral.Plain("x"), p, s));
    }

    [Theory]
    [InlineData(null, RdfFormat.Turtle)]
    [InlineData("", RdfFormat.Turtle)]
    [InlineData("*/*", RdfFormat.Turtle)]
    [InlineData("text/html,application/xhtml+xml", RdfFormat.Turtle)]
    [InlineData("text/turtle", RdfFormat.Turtle)]
    [InlineData("application/ld+json", RdfFormat.JsonLd)]
    [InlineData("application/json", RdfFormat.JsonLd)]
    [InlineData("application/ld+json, text/turtle", RdfFormat.Turtle)]
    [InlineData("text/turtle;q=0.2, application/ld+json;q=0.8", RdfFormat.JsonLd)]
    [InlineData("application/ld+json;q=0, */*", RdfFormat.Turtle)]
    [InlineData("application/ld+json;q=0.5, text/*;q=0.9", RdfFormat.Turtle)]
    [InlineData(";;;garbage", RdfFormat.Turtle)]
    public void Content_negotiation_prefers_the_higher_quality_and_defaults_to_turtle(string? accept, RdfFormat expected) =>
        Assert.Equal(expected, FairDataPointEndpoints.Negotiate(accept));
}
