// Test-time oracle for the node's FAIR Data Point (tests/Node.Host.Tests/FairDataPointShaclTests.cs).
// Harvests the FDP as the GDI User Portal's CKAN harvester (ckanext-fairdatapoint) does: from the root URL,
// breadth-first over every ldp:contains object, each resource fetched on its own with Accept: text/turtle; a resource
// is a catalogue or a dataset when its own document types its own IRI so. Each resource is also fetched as JSON-LD.
// Then applies the manifest's mutations (drop a predicate, replace text, append Turtle) to the dataset documents, to
// prove that the shapes bite, and validates with rdf-validate-shacl against the shape files the manifest names:
//   - each Turtle document on its own (every resource must be complete by itself, as the harvester reads it),
//   - all documents merged into one graph (what the harvester ends up with);
// and checks that each document's JSON-LD denotes the same graph as its Turtle (canonical N-Quads compared).
// Usage: node harvest.mjs MANIFEST.json. Prints one JSON object; exits 0 when it could do all this (whatever the
// verdicts), 2 otherwise.
import { readFileSync } from 'node:fs';
import { Parser, Store, Writer } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import jsonld from 'jsonld';

const manifest = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const LDP_CONTAINS = 'http://www.w3.org/ns/ldp#contains';
const DCAT = 'http://www.w3.org/ns/dcat#';
const FDPO = 'https://w3id.org/fdp/fdp-o#';
const DCT = 'http://purl.org/dc/terms/';

function literals(quads, subject, predicate) {
  return quads.filter(q => q.subject.value === subject && q.predicate.value === predicate && q.object.termType === 'Literal')
    .map(q => ({ value: q.object.value, language: q.object.language }));
}

async function get(url, accept) {
  const response = await fetch(url, { headers: { Accept: accept }, redirect: 'manual' });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} (Accept: ${accept}) answered ${response.status}: ${body}`);
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

function parseTurtle(text, baseIRI) {
  // A fresh parser per document: its blank nodes get labels of their own, so merged documents do not share any.
  return new Parser({ format: 'text/turtle', baseIRI }).parse(text);
}

function mutate(text, url) {
  if (!url.includes('/dataset/')) return text;
  for (const mutation of manifest.mutations ?? []) {
    if (mutation.op === 'replace') text = text.split(mutation.from).join(mutation.to);
    else if (mutation.op === 'append') text += '\n' + mutation.turtle.split('{DATASET}').join(`<${url}>`) + '\n';
  }
  return text;
}

function drop(quads, url) {
  if (!url.includes('/dataset/')) return quads;
  const dropped = new Set((manifest.mutations ?? []).filter(m => m.op === 'drop').map(m => m.predicate));
  return quads.filter(q => !dropped.has(q.predicate.value));
}

function describe(term) {
  return term ? (term.termType === 'Literal' ? JSON.stringify(term.value) : term.value) : null;
}

async function validate(shapes, quads) {
  const validator = new SHACLValidator(shapes);
  const report = await validator.validate(new Store(quads));
  return {
    conforms: report.conforms,
    results: report.results.map(r => ({
      focusNode: describe(r.focusNode),
      path: describe(r.path),
      message: r.message.map(m => m.value).join(' '),
      severity: describe(r.severity),
      component: describe(r.sourceConstraintComponent),
    })),
  };
}

function nquads(quads) {
  const writer = new Writer({ format: 'N-Quads' });
  writer.addQuads(quads);
  return new Promise((resolve, reject) => writer.end((error, result) => (error ? reject(error) : resolve(result))));
}

async function canonical(input, options) {
  return jsonld.canonize(input, { algorithm: 'RDFC-1.0', format: 'application/n-quads', safe: true, ...options });
}

try {
  const shapeQuads = [];
  for (const file of manifest.shapes) {
    // specs/gdi-metadata/shapes/Identifier.ttl uses foaf: without declaring it (upstream, vendored unchanged): the
    // namespace every other shape file declares for foaf: is declared first; a file's own @prefix still wins.
    const text = '@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n' + readFileSync(file, 'utf8');
    shapeQuads.push(...parseTurtle(text, `file://${file}`));
  }
  const shapes = new Store(shapeQuads);

  const documents = [];
  const merged = [];
  const queue = [manifest.root];
  const visited = new Set();
  while (queue.length > 0) {
    const url = queue.shift();
    if (visited.has(url)) continue;
    visited.add(url);
    const turtle = await get(url, 'text/turtle');
    const original = parseTurtle(turtle.body, url);
    const kinds = original.filter(q => q.subject.value === url && q.predicate.value === RDF_TYPE).map(q => q.object.value);
    const entry = {
      url,
      status: turtle.status,
      contentType: turtle.contentType,
      kind: kinds.includes(DCAT + 'Catalog') ? 'catalog' : kinds.includes(DCAT + 'Dataset') ? 'dataset'
        : kinds.includes(DCAT + 'Distribution') ? 'distribution' : kinds.includes(FDPO + 'FAIRDataPoint') ? 'fdp' : 'other',
      contains: original.filter(q => q.predicate.value === LDP_CONTAINS).map(q => q.object.value),
      // The resource's titles and descriptions as this parser read them (the test compares them with what was given).
      titles: literals(original, url, DCT + 'title'),
      descriptions: literals(original, url, DCT + 'description'),
    };
    queue.push(...entry.contains);
    const quads = drop(parseTurtle(mutate(turtle.body, url), url), url);
    merged.push(...quads);
    Object.assign(entry, { triples: quads.length }, await validate(shapes, quads));
    const json = await get(url, 'application/ld+json');
    entry.jsonLdContentType = json.contentType;
    const fromTurtle = await canonical(await nquads(original), { inputFormat: 'application/n-quads' });
    const fromJsonLd = await canonical(JSON.parse(json.body), {});
    entry.jsonLdSameGraph = fromTurtle === fromJsonLd;
    if (!entry.jsonLdSameGraph) entry.jsonLdDifference = { turtle: fromTurtle, jsonld: fromJsonLd };
    documents.push(entry);
  }

  const all = await validate(shapes, merged);
  console.log(JSON.stringify({ conforms: all.conforms && documents.every(d => d.conforms), merged: all, documents }, null, 2));
} catch (error) {
  console.error(error?.stack ?? String(error));
  process.exit(2);
}
