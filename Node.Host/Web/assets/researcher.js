// The researcher page: Beacon v2 queries against this node (one request per dataset, so each answer shows the
// granularity that dataset allowed this caller) or the Beacon network, frequency charts, records, and reads in igv.js.
import { button, element, svgElement } from "./dom.js";
import { authorization, completeSignIn, currentSession, forgetSession, showSession, webConfig } from "./signin.js";

const form = document.getElementById("query");
const formError = document.getElementById("form-error");
const filters = [];
let access = { datasets: [] };

function fail(error) {
  formError.textContent = error instanceof Error ? error.message : String(error);
  formError.hidden = false;
}

async function beaconError(response) {
  try {
    const body = await response.json();
    return body.error?.errorMessage ?? body.errorMessage ?? body.message ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

function kind() {
  return form.elements.kind.value;
}

function showKindFields() {
  for (const label of form.querySelectorAll("[data-kinds]")) {
    label.hidden = !label.dataset.kinds.split(" ").includes(kind());
  }
}

function integer(name, label) {
  const text = form.elements[name].value.trim();
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) {
    throw new Error(`${label} must be a whole number of 1 or more`);
  }
  return Number(text);
}

/** The Beacon request parameters the form describes (0-based starts, as Beacon v2 counts). */
function requestParameters() {
  const chromosome = form.elements.referenceName.value.trim();
  switch (kind()) {
    case "variant": {
      const position = integer("position", "Position");
      const parameters = { referenceName: chromosome, start: [position - 1] };
      const reference = form.elements.referenceBases.value.trim().toUpperCase();
      const alternate = form.elements.alternateBases.value.trim().toUpperCase();
      if (reference) parameters.referenceBases = reference;
      if (alternate) parameters.alternateBases = alternate;
      return parameters;
    }
    case "range": {
      const start = integer("rangeStart", "Start");
      const end = integer("rangeEnd", "End");
      if (end < start) throw new Error("End must not be before Start");
      return { referenceName: chromosome, start: [start - 1], end: [end] };
    }
    default: {
      const gene = form.elements.gene.value.trim();
      if (!gene) throw new Error("Name a gene, such as BRCA1");
      return { geneId: gene };
    }
  }
}

function requestBody(parameters) {
  return {
    meta: { apiVersion: "2.0" },
    query: {
      requestParameters: parameters,
      filters: filters.map(id => ({ id })),
      requestedGranularity: form.elements.granularity.value,
      includeResultsetResponses: "ALL",
      pagination: { skip: 0, limit: 10 },
    },
  };
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...authorization() },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    return { error: await beaconError(response), status: response.status };
  }
  return { answer: await response.json() };
}

/** Why this caller sees what it sees of a dataset, as the node's access decision words it. */
function accessCell(dataset) {
  const cell = element("td");
  const signedIn = currentSession() !== null;
  if (dataset.granted) {
    cell.append(element("span", dataset.tier === "public" ? "public" : "granted", "granted"));
  } else {
    cell.append(element("span", signedIn ? "not granted" : "not signed in", "refused"));
  }
  cell.append(element("span", dataset.reason, "why"));
  return cell;
}

function shownGranularity(answer) {
  return answer?.meta?.returnedGranularity ?? "none";
}

async function search(event) {
  event?.preventDefault();
  formError.hidden = true;
  let parameters;
  try {
    parameters = requestParameters();
  } catch (error) {
    fail(error);
    return;
  }

  const body = requestBody(parameters);
  const rows = document.querySelector("#datasets tbody");
  const records = document.getElementById("records");
  rows.replaceChildren();
  records.replaceChildren();
  document.getElementById("genome").hidden = true;
  document.getElementById("results").hidden = false;
  const summary = document.getElementById("summary");
  summary.textContent = "Asking…";

  const network = form.elements.network?.checked === true;
  const [first, second] = document.querySelectorAll("#datasets thead th");
  first.textContent = network ? "Beacon" : "Dataset";
  second.textContent = network ? "Status" : "Your access";
  if (network) {
    await searchNetwork(body, rows, records, summary);
    return;
  }

  const answers = await Promise.all(access.datasets.map(async dataset =>
    ({ dataset, ...(await post(`api/datasets/${encodeURIComponent(dataset.id)}/g_variants`, body)) })));
  let found = 0;
  for (const { dataset, answer, error } of answers) {
    const row = element("tr");
    row.dataset.dataset = dataset.id;
    row.append(element("td", dataset.name), accessCell(dataset));
    if (error) {
      row.append(element("td", "refused", "refused"), element("td", "–"), element("td", error));
    } else {
      const granularity = shownGranularity(answer);
      const exists = answer.responseSummary?.exists === true;
      found += exists ? 1 : 0;
      row.append(element("td", granularity), element("td", exists ? "yes" : "no"),
        element("td", granularity === "boolean" ? "–" : String(answer.responseSummary?.numTotalResults ?? 0)));
      for (const set of answer.response?.resultSets ?? []) {
        showRecords(records, dataset, set, parameters);
      }
    }
    rows.append(row);
  }
  summary.textContent = `${found} of ${answers.length} dataset(s) hold a match. ` +
    (currentSession() ? "Signed in: datasets your passport grants answer with records." : "Anonymous: sign in to see what your grants allow.");
}

async function searchNetwork(body, rows, records, summary) {
  const { answer, error } = await post("network/api/g_variants", body);
  if (error) {
    summary.textContent = `The Beacon network refused the query: ${error}`;
    return;
  }
  // One row per beacon, as the network reports each (a partner that failed or timed out says so).
  const beacons = answer.info?.network?.beacons ?? [];
  for (const beacon of beacons) {
    const row = element("tr");
    row.dataset.beacon = beacon.beaconId ?? beacon.partner;
    const where = beacon.local ? "this node" : `partner ${beacon.partner}`;
    row.append(element("td", `${beacon.beaconId ?? beacon.partner} (${where})`),
      element("td", beacon.status === "ok" ? "answered" : beacon.status, beacon.status === "ok" ? "granted" : "refused"),
      element("td", beacon.returnedGranularity ?? "–"), element("td", beacon.exists ? "yes" : "no"),
      element("td", beacon.numTotalResults ?? "–"));
    rows.append(row);
  }
  const local = beacons.find(beacon => beacon.local)?.beaconId;
  for (const set of answer.response?.resultSets ?? []) {
    const mine = set.beaconId === undefined || set.beaconId === local;
    // Only this node's own datasets can open reads here; a partner's dataset of the same id is another dataset.
    showRecords(records, { id: set.id, name: `${set.id} at ${mine ? "this node" : set.beaconId}` }, set,
      mine ? body.query.requestParameters : null, mine);
  }
  const answered = beacons.filter(beacon => beacon.status === "ok").length;
  summary.textContent = `The network (${answered} of ${beacons.length} beacons answered): ` +
    `${answer.responseSummary?.exists ? "found" : "not found"}, ${answer.responseSummary?.numTotalResults ?? 0} in all.`;
}

/** One dataset's records: a frequency chart per variant and a table of the variants. */
function showRecords(container, dataset, set, parameters, local = true) {
  if (!set.results?.length) {
    return;
  }
  const block = element("div", undefined, "record");
  block.dataset.dataset = dataset.id;
  if (set.beaconId) block.dataset.beacon = set.beaconId;
  block.append(element("h3", `${dataset.name}: ${set.resultsCount} variant(s)`));
  const table = element("table");
  table.className = "records";
  const head = element("tr");
  for (const title of ["Variant", "HGVS", "Gene", "Effect", "Frequency (first population)", "Carriers listed"]) {
    head.append(element("th", title));
  }
  table.append(element("thead"), element("tbody"));
  table.tHead.append(head);
  for (const record of set.results) {
    const first = record.frequencyInPopulations?.[0]?.frequencies?.[0];
    const row = element("tr");
    row.append(
      element("td", record.variantInternalId),
      element("td", record.identifiers?.genomicHGVSId ?? ""),
      element("td", (record.molecularAttributes?.geneIds ?? []).join(", ")),
      element("td", (record.molecularAttributes?.molecularEffects ?? []).map(e => e.label).join(", ")),
      element("td", first ? `${first.population} ${first.alleleFrequency} (${first.alleleCount}/${first.alleleNumber})` : ""),
      element("td", record.caseLevelData?.length ?? 0));
    table.tBodies[0].append(row);
  }
  const charts = set.results.slice(0, 3).filter(r => r.frequencyInPopulations?.length).map(frequencyChart);
  block.append(...charts, table);
  container.append(block);

  const granted = local && access.datasets.find(d => d.id === dataset.id && d.granted && d.reads.length);
  if (granted && parameters?.referenceName) {
    const start = parameters.start[0];
    const end = parameters.end?.[0] ?? start + 1;
    block.append(button(`Show reads of ${granted.reads[0]}`, undefined,
      () => showReads(granted, parameters.referenceName, start, end).catch(fail)));
  }
}

/** Allele frequency per population as horizontal bars (SVG built node by node: labels are data, never markup). */
function frequencyChart(record) {
  const frequencies = record.frequencyInPopulations.flatMap(entry => entry.frequencies ?? []);
  const barWidth = 320;
  const rowHeight = 22;
  const figure = element("figure", undefined, "frequency-chart");
  const caption = element("figcaption", `Allele frequency of ${record.variantInternalId} per population`);
  const svg = svgElement("svg", {
    class: "chart", width: barWidth + 260, height: frequencies.length * rowHeight + 4, role: "img", "aria-label": caption.textContent,
  });
  const maximum = Math.max(0.01, ...frequencies.map(f => f.alleleFrequency ?? 0));
  frequencies.forEach((frequency, index) => {
    const y = index * rowHeight + 2;
    const bar = svgElement("rect", {
      class: "bar", x: 70, y, width: Math.max(1, (frequency.alleleFrequency ?? 0) / maximum * barWidth), height: 16,
    });
    bar.dataset.population = frequency.population;
    bar.dataset.alleleFrequency = String(frequency.alleleFrequency);
    svg.append(
      svgElement("text", { x: 0, y: y + 14 }, frequency.population),
      svgElement("rect", { class: "track", x: 70, y, width: barWidth, height: 16 }),
      bar,
      svgElement("text", { x: barWidth + 80, y: y + 14 }, `${frequency.alleleFrequency} (${frequency.alleleCount}/${frequency.alleleNumber})`));
  });
  figure.append(caption, svg);
  return figure;
}

let browser;

/** The reads of a granted dataset around the query, in igv.js, straight from the node's htsget API. */
async function showReads(dataset, referenceName, start, end) {
  const chromosome = referenceName.startsWith("chr") ? referenceName : `chr${referenceName}`;
  const middle = Math.floor((start + end) / 2);
  const locus = `${chromosome}:${Math.max(1, middle - 100)}-${middle + 100}`;
  const section = document.getElementById("genome");
  section.hidden = false;
  document.getElementById("genome-caption").textContent = `${dataset.reads[0]} (${dataset.name}) at ${locus}, streamed over htsget`;
  const { default: igv } = await import("./vendor/igv.esm.min.js");
  const track = {
    type: "alignment", format: "bam", sourceType: "htsget", name: dataset.reads[0],
    url: new URL(`htsget/reads/${encodeURIComponent(dataset.reads[0])}`, document.baseURI).href,
    headers: authorization(),
  };
  if (browser) {
    igv.removeBrowser(browser);
  }
  const container = document.getElementById("igv");
  container.replaceChildren();
  browser = await igv.createBrowser(container, {
    // Everything comes from this node: no genome list from igv.org (the page's policy would block it anyway).
    loadDefaultGenomes: false,
    reference: { id: "GRCh38", name: "GRCh38 (sizes only)", format: "chromsizes", url: new URL("web/grch38.chrom.sizes", document.baseURI).href },
    locus,
    tracks: [track],
    showSequence: false,
  });
  section.dataset.loaded = "true";
}

async function loadFilteringTerms() {
  const response = await fetch("api/filtering_terms", { headers: { Accept: "application/json", ...authorization() } });
  if (!response.ok) return;
  const list = document.getElementById("filtering-terms");
  for (const term of (await response.json()).response?.filteringTerms ?? []) {
    const option = document.createElement("option");
    option.value = term.id;
    option.label = term.label ? `${term.id} ${term.label}` : term.id;
    list.append(option);
  }
}

function addFilter() {
  const value = form.elements.filter.value.trim();
  if (!value || filters.includes(value)) return;
  filters.push(value);
  form.elements.filter.value = "";
  renderFilters();
}

function renderFilters() {
  const list = document.getElementById("filters");
  list.replaceChildren(...filters.map(id => {
    const item = element("li", id);
    const remove = button("×", undefined, () => {
      filters.splice(filters.indexOf(id), 1);
      renderFilters();
    });
    remove.setAttribute("aria-label", `Remove filter ${id}`);
    item.append(remove);
    return item;
  }));
}

function example() {
  form.elements.kind.value = "variant";
  showKindFields();
  form.elements.referenceName.value = "17";
  form.elements.position.value = "43045712";
  form.elements.referenceBases.value = "G";
  form.elements.alternateBases.value = "A";
  form.elements.granularity.value = "record";
  return search();
}

async function loadAccess() {
  let response = await fetch("web/api/access", { headers: authorization() });
  if (response.status === 401 && currentSession()) {
    // The token was refused (revoked, or the node's keys changed): carry on anonymously and say so.
    forgetSession();
    await showSession(document.getElementById("session"), fail);
    fail("The node no longer accepts your sign-in; sign in again.");
    response = await fetch("web/api/access");
  }
  if (!response.ok) {
    throw new Error(`the node could not tell what you may see (HTTP ${response.status})`);
  }
  access = await response.json();
}

async function start() {
  for (const radio of form.elements.kind) radio.addEventListener("change", showKindFields);
  showKindFields();
  form.addEventListener("submit", event => search(event).catch(fail));
  document.getElementById("example").addEventListener("click", () => example().catch(fail));
  document.getElementById("add-filter").addEventListener("click", addFilter);
  form.elements.filter.addEventListener("keydown", event => {
    if (event.key === "Enter") {
      event.preventDefault();
      addFilter();
    }
  });
  try {
    await completeSignIn();
  } catch (error) {
    fail(error);
  }
  await showSession(document.getElementById("session"), fail);
  document.getElementById("network-toggle").hidden = !(await webConfig()).network;
  await Promise.all([loadAccess(), loadFilteringTerms()]);
  document.body.dataset.ready = "true";
}

start().catch(fail);
