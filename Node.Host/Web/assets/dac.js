// The committee console: a member's pending requests with the DUO match explained, decisions, grants and each
// request's audit trail, all from the committee API (/dac) with the member's token from the node's broker.
import { button, element } from "./dom.js";
import { authorization, completeSignIn, showSession } from "./signin.js";

const errorLine = document.getElementById("console-error");

function fail(error) {
  errorLine.textContent = error instanceof Error ? error.message : String(error);
  errorLine.hidden = false;
}

async function dac(method, path, body) {
  const response = await fetch(`dac${path}`, {
    method,
    headers: { Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}), ...authorization() },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(answer.message ?? `the committee API answered ${response.status}`);
  }
  return answer;
}

function when(text) {
  return text ? new Date(text).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "–";
}

async function listApplications() {
  const state = document.getElementById("state-filter").value;
  const applications = await dac("GET", `/applications${state ? `?state=${encodeURIComponent(state)}` : ""}`);
  const rows = document.querySelector("#applications tbody");
  rows.replaceChildren();
  const matchSummaries = [];
  if (applications.length === 0) {
    const empty = element("tr");
    const cell = element("td", "No requests in this state.");
    cell.colSpan = 6;
    empty.append(cell);
    rows.append(empty);
  }
  for (const application of applications) {
    const row = element("tr", undefined, "selectable");
    row.dataset.application = String(application.id);
    const match = element("td", "…");
    row.append(element("td", application.id), element("td", application.applicant?.name ?? application.applicant?.userid),
      element("td", (application.datasets ?? []).join(", ")), element("td", application.title ?? ""),
      element("td", application.state), match);
    row.addEventListener("click", () => showApplication(application.id).catch(fail));
    rows.append(row);
    matchSummaries.push(dac("GET", `/applications/${application.id}`).then(detail => {
      match.replaceChildren(...(detail.match ?? []).map(m => element("span", `${m.datasetId}: ${m.decision} `, `decision-${m.decision}`)));
    }));
  }
  await Promise.all(matchSummaries);
}

function matchList(application) {
  const list = element("ul");
  list.className = "match";
  for (const match of application.match ?? []) {
    const item = element("li");
    item.append(element("strong", `${match.datasetId}: `), element("span", match.decision, `decision-${match.decision}`),
      element("span", ` (dataset conditions: ${match.conditions ?? "none recorded"})`));
    const reasons = element("ul");
    for (const reason of match.reasons ?? []) {
      reasons.append(element("li", `${reason.rule}: ${reason.decision}. ${reason.explanation}`));
    }
    item.append(reasons);
    list.append(item);
  }
  return list;
}

function defaultEnd() {
  const end = new Date();
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  return end.toISOString().slice(0, 10);
}

async function showApplication(id) {
  errorLine.hidden = true;
  const [application, events] = await Promise.all([dac("GET", `/applications/${id}`), dac("GET", `/applications/${id}/events`)]);
  const panel = document.getElementById("detail");
  panel.hidden = false;
  panel.dataset.application = String(id);
  panel.replaceChildren(element("h2", `Request #${application.id}: ${application.title ?? "(untitled)"}`));

  const facts = element("table");
  const body = element("tbody");
  const fields = application.fields ?? {};
  for (const [label, value] of [
    ["State", application.state], ["Applicant", application.applicant?.name ?? application.applicant?.userid],
    ["Datasets", (application.datasets ?? []).join(", ")], ["Committee", application.committee],
    ["Purpose (DUO)", fields.purpose], ["Description", fields.description], ["Submitted", when(application.submitted)],
    ["Members", (application.members ?? []).map(m => m.userid ?? m.name).join(", ") || "–"],
  ]) {
    const row = element("tr");
    row.append(element("th", label), element("td", value ?? "–"));
    body.append(row);
  }
  facts.append(body);
  panel.append(facts, element("h3", "DUO match"), matchList(application));

  const decide = element("div", undefined, "decide");
  if (application.state === "submitted") {
    const [endLabel, end] = field("Access until", "end", { type: "date", value: defaultEnd() });
    const [commentLabel, comment] = field("Comment or reason", "comment", { size: 40 });
    decide.append(endLabel, commentLabel,
      action("Approve", "primary", () => decideOn(id, "approve", { end: end.value, comment: comment.value || undefined })),
      action("Reject", "danger", () => decideOn(id, "reject", { reason: comment.value })));
  } else if (application.state === "approved") {
    const [reasonLabel, reason] = field("Reason", "reason", { size: 40 });
    decide.append(reasonLabel, action("Revoke", "danger", () => decideOn(id, "revoke", { reason: reason.value })));
  }
  panel.append(decide, element("h3", "Audit trail"));

  const trail = element("table");
  trail.className = "events";
  const head = element("tr");
  for (const title of ["Time", "Event", "By", "Details"]) head.append(element("th", title));
  trail.append(element("thead"), element("tbody"));
  trail.tHead.append(head);
  for (const event of events) {
    const row = element("tr");
    const payload = event.payload && Object.keys(event.payload).length ? JSON.stringify(event.payload) : "";
    row.append(element("td", when(event.time), "time"), element("td", event.type.replace("application.event/", "")),
      element("td", event.actor), element("td", payload, "payload"));
    trail.tBodies[0].append(row);
  }
  panel.append(trail);
}

/** A labelled input: [label, input]. */
function field(label, name, properties) {
  const wrapper = element("label", label);
  const input = Object.assign(element("input"), { name, ...properties });
  wrapper.append(input);
  return [wrapper, input];
}

function action(text, className, run) {
  return button(text, className, () => run().catch(fail));
}

async function decideOn(id, decision, body) {
  errorLine.hidden = true;
  const application = await dac("POST", `/applications/${id}/${decision}`, body);
  await Promise.all([listApplications(), listGrants()]);
  await showApplication(application.id);
}

async function listGrants() {
  const grants = await dac("GET", "/grants");
  const rows = document.querySelector("#grants tbody");
  rows.replaceChildren();
  for (const grant of grants) {
    const row = element("tr");
    row.append(element("td", grant.user ?? grant.userId ?? grant.subject), element("td", grant.datasetId ?? grant.resource),
      element("td", grant.applicationId ?? grant["application-id"] ?? "–"), element("td", when(grant.start)), element("td", when(grant.end)));
    rows.append(row);
  }
}

async function start() {
  try {
    await completeSignIn();
  } catch (error) {
    fail(error);
  }
  const session = await showSession(document.getElementById("session"), fail);
  if (session) {
    document.getElementById("signed-out").hidden = true;
    for (const id of ["pending", "grants-panel"]) document.getElementById(id).hidden = false;
    document.getElementById("state-filter").addEventListener("change", () => listApplications().catch(fail));
    await Promise.all([listApplications(), listGrants()]);
  }
  document.body.dataset.ready = "true";
}

start().catch(fail);
