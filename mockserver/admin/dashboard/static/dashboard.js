// The cvs-mock dashboard: a client of the admin API next to it. Every value is shown with
// textContent, never as markup: journal fields are whatever a caller sent.
"use strict";

const REFRESH_MS = 1000;
const JOURNAL_LIMIT = 300;
const PAGE = 50; // keys and files per page: the listings are paged, as a shared fake can hold thousands
const FAULT_CHOICES = [
  ["drop", "fault: connection dropped", { fault: "drop" }],
  ["cut", "fault: body cut mid-stream", { fault: "cut" }],
  ["truncate", "fault: truncated body", { fault: "truncate" }],
  ["non_json", "fault: HTML instead of JSON", { fault: "non_json" }],
  ["gateway502", "fault: 502 gateway page", { fault: "gateway", status: 502 }],
  ["gateway503", "fault: 503 gateway page", { fault: "gateway", status: 503 }],
  ["gateway504", "fault: 504 gateway page", { fault: "gateway", status: 504 }],
  ["latency", "fault: 2 s latency", { fault: "latency", seconds: 2 }],
];
const state = { mode: "fake", entries: [], selected: null, codes: null, lastId: -1, timer: null, offsets: { usage: 0, files: 0 } };
const $ = (id) => document.getElementById(id);

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}

// A shared fake started with --admin-token answers remote pages only with the token: the page
// asks for it once, keeps it for this tab (sessionStorage) and sends it with every call.
const TOKEN_KEY = "cvs-mock-admin-token";
let asking = null;

function askForToken(refused) {
  if (!asking) {
    asking = new Promise((resolve) => {
      const form = $("token-form");
      $("token-reason").textContent = refused ? "That token was refused; try again." : "This fake needs its admin token.";
      form.hidden = false;
      $("token").focus();
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
        form.hidden = true;
        asking = null;
        resolve();
      }, { once: true });
    });
  }
  return asking;
}

async function admin(path, options, tries = 3) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = { ...((options && options.headers) || {}) };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { cache: "no-store", ...options, headers });
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch (_) { /* keep the text */ }
  if (!response.ok && body && body.token === "required" && tries > 0) {
    await askForToken(Boolean(token));
    return admin(path, options, tries - 1);
  }
  if (!response.ok) throw new Error((body && body.error) || `${response.status} ${text.slice(0, 120)}`);
  return body;
}

function postJSON(path, body, method = "POST") {
  return admin(path, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

function say(text, ok = false) {
  const box = $("message");
  box.textContent = text;
  box.className = ok ? "message ok" : "message";
  box.hidden = false;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { box.hidden = true; }, 5000);
}

// -- journal ---------------------------------------------------------------------------
const FAKE_COLUMNS = ["#", "time", "method", "path", "key", "flow", "code", "trigger", "billable", "HTTP"];
const PROXY_COLUMNS = ["#", "time", "method", "path", "HTTP", "violations"];

function cellsOf(entry) {
  const time = new Date(entry.time * 1000).toLocaleTimeString();
  if (state.mode === "proxy") {
    return [entry.id, time, entry.method, entry.path, entry.status, (entry.violations || []).length];
  }
  return [entry.id, time, entry.method, entry.path, entry.api_key ?? "–", entry.flow, entry.code,
    entry.trigger, entry.billable ? "billable" : "", entry.status];
}

function matches(entry) {
  const flow = $("filter-flow").value, key = $("filter-key").value.trim();
  const code = $("filter-code").value.trim(), trigger = $("filter-trigger").value.trim();
  if (flow && entry.flow !== flow) return false;
  if (key && !String(entry.api_key ?? "").includes(key)) return false;
  if (code && String(entry.code) !== code) return false;
  if (trigger && !String(entry.trigger ?? "").includes(trigger)) return false;
  return !($("filter-billable").checked && !entry.billable);
}

function renderJournal() {
  const columns = state.mode === "proxy" ? PROXY_COLUMNS : FAKE_COLUMNS;
  $("journal-head").replaceChildren(...columns.map((c) => el("th", {}, c)));
  const shown = state.entries.filter(matches).reverse();
  const rows = shown.map((entry) => {
    const cells = cellsOf(entry).map((value, i) => el("td", { className: columns[i] === "path" ? "path" : columns[i] === "billable" ? "bill" : columns[i] }, value));
    cells[3].title = String(entry.path);
    const row = el("tr", { className: "entry" }, ...cells);
    row.dataset.id = String(entry.id);
    if (entry.billable) row.classList.add("billable");
    if (entry.code !== undefined && !["0", "-"].includes(String(entry.code))) row.classList.add("failed");
    if (entry.id === state.selected) row.classList.add("selected");
    row.addEventListener("click", () => openEntry(entry));
    return row;
  });
  $("journal-body").replaceChildren(...rows);
  $("journal-count").textContent = `${shown.length} of ${state.entries.length}`;
}

async function openEntry(entry) {
  state.selected = entry.id;
  renderJournal();
  let full = entry;
  if (state.mode === "fake") {
    try { full = await admin(`journal/${entry.id}`); } catch (error) { say(error.message); return; }
  }
  const { answer, request: fields, method, path, query, headers, violations, ...meta } = full;
  const summary = state.mode === "proxy" ? `HTTP ${full.status}`
    : `key ${meta.api_key ?? "–"} · ${meta.flow} · code ${meta.code} · ${meta.billable ? "billable" : "not billable"} · trigger ${meta.trigger} · HTTP ${meta.status}`;
  $("detail-title").textContent = `#${entry.id} ${method} ${path}`;
  $("detail-summary").textContent = summary;
  $("detail-request").textContent = JSON.stringify({ method, path, query, headers, ...(fields || {}) }, null, 2);
  $("detail-answer").textContent = typeof answer === "string" ? answer : JSON.stringify(answer ?? violations ?? null, null, 2);
  $("detail").hidden = false;
}

// -- side panels ---------------------------------------------------------------------
function renderUsage(usage) {
  const rows = usage.keys.map((key) => {
    const endpoints = Object.values(usage.totals[key.api_key] || {});
    const requests = endpoints.reduce((n, c) => n + c.requests, 0);
    const billable = endpoints.reduce((n, c) => n + c.billable, 0);
    const left = key.quota === null ? "∞" : Math.max(0, key.quota - key.used);
    return el("tr", {}, el("td", {}, key.api_key), el("td", {}, requests), el("td", { className: "bill" }, billable),
      el("td", {}, key.quota ?? "none"), el("td", {}, left));
  });
  $("usage-body").replaceChildren(...rows);
}

// A listing's page: "keys 51–100 of 230", with buttons to the pages before and after it.
function renderPager(id, what, page, listing) {
  const first = page.total ? page.offset + 1 : 0;
  const last = page.offset + Math.min(page.limit, page.total - page.offset);
  const move = (offset) => { state.offsets[listing] = Math.max(0, offset); refresh(); };
  const buttons = [];
  if (page.offset > 0) buttons.push(el("button", { type: "button", onclick: () => move(page.offset - page.limit) }, "‹ previous"));
  if (page.next_offset !== null) buttons.push(el("button", { type: "button", onclick: () => move(page.next_offset) }, "next ›"));
  $(id).replaceChildren(`${what} ${first}–${Math.max(first, last)} of ${page.total} `, ...buttons);
}

function renderPending(pending) {
  const items = Object.entries(pending).map(([flow, n]) => el("li", {}, `${flow}: ${n} queued`));
  $("pending").replaceChildren(...(items.length ? items : [el("li", { className: "muted" }, "nothing queued")]));
}

function fileUrl(id) { return `${location.origin}${location.pathname.replace(/\/$/, "")}/files/${id}`; }

function renderFiles(files) {
  const items = files.slice().reverse().map((f) => {
    const link = el("a", { href: fileUrl(f.id), target: "_blank", rel: "noopener" }, fileUrl(f.id));
    return el("li", {}, link, el("span", { className: "muted" }, ` ${f.kind}, ${f.content_type}, ${f.size} bytes`));
  });
  $("files").replaceChildren(...(items.length ? items : [el("li", { className: "muted" }, "no files")]));
}

function renderViolations(found) {
  $("violations-count").textContent = String(found.length);
  $("violations").replaceChildren(...found.slice().reverse().map((v) => el("li", {},
    el("strong", {}, `${v.method} ${v.path} → ${v.status}`),
    ...v.violations.map((p) => el("div", {}, `${p.path || "/"}: expected ${p.expected}, got ${p.got}`)))));
}

// -- refresh ---------------------------------------------------------------------------
async function refresh() {
  try {
    const journal = await admin(`journal?limit=${JOURNAL_LIMIT}`);
    const last = journal.entries.length ? journal.entries[journal.entries.length - 1].id : 0;
    if (last !== state.lastId || journal.entries.length !== state.entries.length) {
      state.entries = journal.entries;
      state.lastId = last;
      renderJournal();
    }
    if (state.mode === "fake") {
      const [usage, outcomes, files] = await Promise.all([
        admin(`usage?limit=${PAGE}&offset=${state.offsets.usage}`),
        admin("outcomes"),
        admin(`files?limit=${PAGE}&offset=${state.offsets.files}`),
      ]);
      renderUsage(usage);
      renderPager("usage-pager", "keys", usage.page, "usage");
      renderPending(outcomes.pending);
      renderFiles(files.files);
      renderPager("files-pager", "files", files.page, "files");
    } else {
      renderViolations((await admin("violations")).violations);
    }
    $("status").textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    $("status").textContent = `not reachable: ${error.message}`;
  }
}

function schedule() {
  clearInterval(state.timer);
  if ($("live").checked) state.timer = setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
}

// -- forms -----------------------------------------------------------------------------
function fillOutcomes() {
  const codes = state.codes.flows[$("force-flow").value] || [];
  const options = codes.map((c) => el("option", { value: `code:${c.code}` }, `${c.code} — ${c.message}`));
  for (const [value, label] of FAULT_CHOICES) options.push(el("option", { value: `fault:${value}` }, label));
  $("force-outcome").replaceChildren(...options);
}

function outcomeOf(choice) {
  const [kind, value] = choice.split(":");
  if (kind === "code") return { code: value };
  return { ...FAULT_CHOICES.find(([name]) => name === value)[2] };
}

function wireForms() {
  const reload = () => refresh();
  for (const id of ["filter-flow", "filter-key", "filter-code", "filter-trigger", "filter-billable"]) {
    $(id).addEventListener("input", renderJournal);
    $(id).addEventListener("change", renderJournal);
  }
  $("journal-filters").addEventListener("submit", (event) => event.preventDefault());
  $("detail-close").addEventListener("click", () => { $("detail").hidden = true; state.selected = null; renderJournal(); });
  $("live").addEventListener("change", schedule);
  $("reset").addEventListener("click", async () => {
    try { await admin("reset", { method: "POST" }); $("detail").hidden = true; say("the fake was reset", true); reload(); } catch (error) { say(error.message); }
  });
  $("force-flow").addEventListener("change", fillOutcomes);
  $("force-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { flow: $("force-flow").value, count: Number($("force-count").value || 1), ...outcomeOf($("force-outcome").value) };
    try { await postJSON("outcomes", body); say(`queued for ${body.flow}`, true); reload(); } catch (error) { say(error.message); }
  });
  $("pending-clear").addEventListener("click", async () => {
    try { await admin("outcomes", { method: "DELETE" }); reload(); } catch (error) { say(error.message); }
  });
  $("key-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const quota = $("key-quota").value === "" ? null : Number($("key-quota").value);
    try {
      await postJSON("keys", { api_key: $("key-name").value, api_secret: $("key-secret").value, quota });
      say(`key ${$("key-name").value} created`, true);
      event.target.reset();
      reload();
    } catch (error) { say(error.message); }
  });
  $("file-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = $("file-input").files[0];
    if (!file) return;
    const form = new FormData();
    form.append("file", file, file.name);
    try {
      const hosted = await admin("files", { method: "POST", body: form });
      $("file-url").textContent = hosted.url;
      say("file hosted; use its URL in url mode", true);
      reload();
    } catch (error) { say(error.message); }
  });
}

async function start() {
  wireForms();
  try {
    const health = await admin("health");
    state.mode = health.mode === "proxy" ? "proxy" : "fake";
    $("mode").textContent = state.mode === "proxy" ? "proxy" : "fake";
    if (health.upstream) $("upstream").textContent = `→ ${health.upstream}`;
  } catch (error) {
    $("status").textContent = `not reachable: ${error.message}`;
  }
  for (const node of document.querySelectorAll(".fake-only")) node.hidden = state.mode !== "fake";
  for (const node of document.querySelectorAll(".proxy-only")) node.hidden = state.mode !== "proxy";
  if (state.mode === "fake") {
    state.codes = await admin("codes");
    const flows = Object.keys(state.codes.flows);
    $("force-flow").replaceChildren(...flows.map((f) => el("option", { value: f }, f)));
    $("filter-flow").append(...flows.map((f) => el("option", { value: f }, f)));
    fillOutcomes();
  } else {
    $("filter-flow").closest("label").hidden = true;
  }
  await refresh();
  schedule();
}

document.addEventListener("DOMContentLoaded", start);
