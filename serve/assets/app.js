// hybridsim serve: the what-if page. Plain JavaScript, no libraries; the
// charts are SVG drawn here. The server does the statistics; the page only
// draws what it is sent.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const COL = { base: "#6b6b6b", what: "#1f6fb4", formal: "#8a8a8a", informal: "#2c7fb8", coord: "#d4a017", cross: "#e6550d" };
const MODE_COL = { mode_unnoticed: "#bdbdbd", mode_waiting: "#fdae6b", mode_formal_only: "#9e9ac8", mode_informal_only: "#a1d99b", mode_intermediated: "#6baed6", mode_joint: "#08519c" };

let setup = null;      // /api/setup
let lang = 0;          // 0 English, 1 Dutch
let current = null;    // the running comparison's AbortController
let state = null;      // what the charts show
const session = Array.from(crypto.getRandomValues(new Uint8Array(8)), b => b.toString(16).padStart(2, "0")).join("");

const $ = id => document.getElementById(id);
const domId = id => id.replace(/\./g, "-"); // element ids without dots, for CSS selectors
const w = key => (setup && setup.words[key] ? setup.words[key][lang] : key);
function el(tag, attrs, ...kids) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v; else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const k of kids) if (k) e.append(k);
  return e;
}

// ---- set-up panel -------------------------------------------------------

async function init() {
  const res = await fetch("/api/setup");
  setup = await res.json();
  const sel = $("scenario");
  for (const s of setup.scenarios) sel.append(el("option", { value: s.id, text: s.label }));
  sel.value = setup.start;
  sel.addEventListener("change", () => applyScenario(sel.value));
  buildGroups();
  applyScenario(setup.start);
  buildCharts();
  $("run").addEventListener("click", run);
  $("i-weeks").addEventListener("input", weeksChanged);
  if (controls.weeks.spec.range) controls.weeks.spec.range.addEventListener("input", weeksChanged);
  $("lang").addEventListener("click", () => { lang = 1 - lang; translate(); });
  window.addEventListener("pagehide", () => { if (current) current.abort(); });
  translate();
}

const controls = {}; // control id → {spec, get(), set(v), row}

function buildGroups() {
  const root = $("groups");
  // Interventions first (the wijktafel open), then the area and the run.
  const order = setup.groups.filter(g => g.switch).concat(setup.groups.filter(g => !g.switch));
  for (const g of order) {
    const d = el("details", { class: "group", id: "group-" + g.id, "data-group": g.id });
    if (g.id === "wijktafel" || g.id === "area") d.open = true;
    const sum = el("summary", {}, el("span", { "data-title": g.id }));
    if (g.switch) {
      const cb = el("input", { type: "checkbox", id: "on-" + g.id });
      cb.addEventListener("click", e => e.stopPropagation());
      cb.addEventListener("change", () => d.classList.toggle("off", !cb.checked));
      sum.append(el("label", { class: "on" }, cb, el("span", { "data-w": "on" })));
    }
    d.append(sum);
    const body = el("div", { class: "body" });
    for (const c of g.controls) body.append(buildControl(g, c));
    d.append(body);
    root.append(d);
  }
}

function buildControl(g, c) {
  const row = el("div", { class: "control", id: "c-" + domId(c.id) });
  const name = el("span", { class: "name", text: c.key + (c.unit && c.unit !== c.key ? " (" + c.unit + ")" : "") });
  const meaning = el("div", { class: "meaning" });
  const allowed = el("div", { class: "allowed" });
  const inputs = el("div", { class: "inputs" });
  let get, set;
  if (c.kind === "bool") {
    const cb = el("input", { type: "checkbox", id: "i-" + domId(c.id) });
    inputs.append(cb);
    get = () => cb.checked; set = v => { cb.checked = !!v; };
    cb.addEventListener("change", () => touched(g));
  } else if (c.kind === "choice") {
    const s = el("select", { id: "i-" + domId(c.id) });
    for (const word of c.words) s.append(el("option", { value: word, text: word }));
    inputs.append(s);
    get = () => s.value; set = v => { s.value = v; };
    s.addEventListener("change", () => touched(g));
  } else {
    const num = el("input", { type: "text", inputmode: "decimal", id: "i-" + domId(c.id), "aria-label": c.key });
    let range = null;
    if (c.slider) {
      range = el("input", { type: "range", min: c.slider[0], max: c.slider[1], step: c.slider[2], id: "r-" + domId(c.id), "aria-label": c.key });
      range.addEventListener("input", () => { num.value = range.value; touched(g); });
      inputs.append(range);
    }
    num.addEventListener("input", () => { const u = num.value.trim().replace(",", "."); if (range && u !== "" && isFinite(+u)) range.value = u; touched(g); });
    inputs.append(num);
    // A decimal comma is read as a point (0,8 is 0.8); anything else that
    // is not a number goes to the server as text, which refuses it.
    get = () => { const t = num.value.trim(), u = t.replace(",", "."); return u !== "" && isFinite(+u) ? +u : t; };
    set = v => { num.value = v; if (range) range.value = v; };
    c.range = range;
  }
  row.append(el("div", { class: "head" }, name), meaning, allowed, inputs);
  controls[c.id] = { spec: c, get, set, row, meaning, allowed, group: g.id };
  return row;
}

// touched switches an intervention on when one of its controls is moved.
function touched(g) {
  if (!g.switch) return;
  const cb = $("on-" + g.id);
  if (!cb.checked) { cb.checked = true; $("group-" + g.id).classList.remove("off"); }
}

function applyScenario(id) {
  const s = setup.scenarios.find(x => x.id === id);
  for (const [cid, c] of Object.entries(controls)) {
    if (cid in s.values) c.set(s.values[cid]);
  }
  for (const g of setup.groups.filter(g => g.switch)) {
    const on = s.on.includes(g.id);
    $("on-" + g.id).checked = on;
    $("group-" + g.id).classList.toggle("off", !on);
  }
  weeksChanged();
  $("scenario-desc").textContent = s.description[lang];
  const a = $("always");
  a.textContent = "";
  if (s.always.length) {
    a.append(el("span", { "data-w": "always", text: w("always") }));
    for (const x of s.always) a.append(el("div", { text: "· " + x }));
  }
}

// The start-week sliders reach the run's last week.
function weeksChanged() {
  const weeks = +controls.weeks.get() || 156;
  for (const c of Object.values(controls)) {
    if (c.spec.weeks && c.spec.range) c.spec.range.max = Math.max(1, weeks - 1);
  }
}

function form() {
  const f = { session, scenario: $("scenario").value, params: {}, interventions: [] };
  for (const k of ["weeks", "replications", "seed"]) f[k] = controls[k].get();
  for (const g of setup.groups) {
    if (g.id === "area") for (const c of g.controls) f.params[c.id] = controls[c.id].get();
    if (g.switch && $("on-" + g.id).checked) {
      const values = {};
      for (const c of g.controls) values[c.key] = controls[c.id].get();
      f.interventions.push({ type: g.id, values });
    }
  }
  return f;
}

function translate() {
  document.documentElement.lang = lang ? "nl" : "en";
  for (const e of document.querySelectorAll("[data-w]")) e.textContent = w(e.dataset.w);
  for (const e of document.querySelectorAll("[data-title]")) e.textContent = w(e.dataset.title);
  for (const g of setup.groups) {
    const t = document.querySelector(`[data-title="${g.id}"]`);
    if (t) t.textContent = g.title[lang];
  }
  for (const c of Object.values(controls)) {
    c.meaning.textContent = c.spec.meaning[lang];
    c.allowed.textContent = w("allowed") + ": " + c.spec.allowed[lang];
  }
  for (const m of setup.metrics) {
    for (const e of document.querySelectorAll(`[data-metric="${m.name}"]`)) e.textContent = m.label[lang];
    for (const e of document.querySelectorAll(`[data-axis="${m.name}"]`)) e.textContent = m.axis[lang];
  }
  const s = setup.scenarios.find(x => x.id === $("scenario").value);
  if (s) $("scenario-desc").textContent = s.description[lang];
  drawAll();
  if (state) { showEffect(); showStatus(); }
}

// ---- running ------------------------------------------------------------

async function run() {
  if (current) current.abort();
  const ac = new AbortController();
  current = ac;
  clearProblems();
  $("status").textContent = w("running");
  let res;
  try {
    res = await fetch("/api/run", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(form()), signal: ac.signal });
  } catch (e) {
    if (e.name !== "AbortError") showProblems({ error: String(e) });
    return;
  }
  if (!res.ok) {
    // Refused (the settings, or a busy server): the charts keep the last
    // comparison, and the problems say what to change.
    let body;
    try { body = await res.json(); } catch (e) { body = { error: res.status + " " + res.statusText }; }
    showProblems(body, res.status === 503 ? "busy" : "problems");
    if (state) showStatus(); else $("status").textContent = "";
    return;
  }
  $("dl-scenario").classList.add("disabled");
  $("dl-data").classList.add("disabled");
  if (state && state.netTimer) clearInterval(state.netTimer);
  state = { weeks: 0, reps: 0, n: 0, metrics: [], live: [[], []], bands: null, effects: {}, net: [newNet(), newNet()], phase: "running" };
  showEffect();
  showStatus();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const chunk = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let ev = "message", data = "";
        for (const line of chunk.split("\n")) {
          if (line.startsWith("event: ")) ev = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        if (current === ac) handle(ev, JSON.parse(data));
      }
    }
  } catch (e) {
    if (e.name !== "AbortError") { state.phase = "error"; showProblems({ error: String(e) }); }
    return;
  }
  if (current === ac && state.phase === "running") { state.phase = "cancelled"; showStatus(); }
}

function handle(ev, d) {
  switch (ev) {
    case "start": {
      state.weeks = d.weeks; state.reps = d.reps; state.metrics = d.metrics; state.window = d.window;
      const a = $("dl-scenario");
      a.href = d.scenario; a.classList.remove("disabled"); a.removeAttribute("aria-disabled");
      $("dl-data").href = d.data;
      for (let v = 0; v < 2; v++) {
        $("net-" + v).textContent = "";
        $("netinfo-" + v).textContent = d.network ? "" : w("no_network");
      }
      break;
    }
    case "week":
      for (let v = 0; v < 2; v++) state.live[v][d.week] = d.values[v];
      break;
    case "network":
      pushFrame(state.net[d.variant === "baseline" ? 0 : 1], d);
      break;
    case "summary": {
      state.bands = d.bands; state.effects = d.effects; state.n = d.n;
      showEffect();
      break;
    }
    case "done": {
      state.phase = "done";
      const b = $("dl-data");
      b.classList.remove("disabled"); b.removeAttribute("aria-disabled");
      break;
    }
    case "error":
      state.phase = "error";
      showProblems(d);
      break;
  }
  showStatus();
  schedule();
}

function showStatus() {
  if (!state) { $("status").textContent = w("press_run"); return; }
  const reps = w("reps_done").replace("%d", state.n).replace("%d", state.reps);
  const p = { running: w("running"), done: w("done"), cancelled: w("cancelled"), error: "" }[state.phase];
  $("status").textContent = state.reps ? `${p} ${reps}` : p;
  $("status").dataset.phase = state.phase;
}

// showEffect writes the what-if's paired difference from the baseline
// over the last weeks: hybridisation in the headline, and under every
// chart its own, in bold when the 95% interval leaves out 0 (a clear
// difference).
function showEffect() {
  const effects = (state && state.effects) || {};
  const e = effects.hybridisation;
  const f = (x, d) => (x >= 0 ? "+" : "−") + dec(Math.abs(x).toFixed(d));
  $("effect").textContent = e ? w("effect").replace("%d", e.window).replace("%s", f(e.mean, 3)).replace("%s", f(e.lo, 3)).replace("%s", f(e.hi, 3)).replace("%d", e.n).replace("%%", "%") : "";
  for (const c of charts) {
    if (!c.metric) continue;
    const box = $("eff-" + c.metric), x = effects[c.metric];
    box.textContent = "";
    box.classList.remove("clear");
    if (!x) continue;
    const big = Math.max(Math.abs(x.lo), Math.abs(x.hi), 1e-9);
    const d = Math.min(4, Math.max(0, 1 - Math.floor(Math.log10(big))));
    box.textContent = w("difference").replace("%s", f(x.mean, d)).replace("%s", f(x.lo, d)).replace("%s", f(x.hi, d)).replace("%%", "%");
    box.classList.toggle("clear", x.n > 1 && (x.lo > 0 || x.hi < 0));
  }
}

function clearProblems() {
  $("problems").hidden = true;
  for (const c of Object.values(controls)) c.row.classList.remove("invalid");
}

function showProblems(body, heading) {
  const p = $("problems");
  p.textContent = "";
  // The server's messages are the scenario loader's (English, as for a
  // file); a refusal without a list (busy, malformed) says it in one line.
  p.append(el("strong", { text: w(heading || "problems") }));
  if (!(body.problems || []).length) p.append(el("div", { text: body.error || "" }));
  for (const x of body.problems || []) {
    p.append(el("div", { text: x.message }));
    const c = controls[x.control];
    if (c) {
      c.row.classList.add("invalid");
      const d = $("group-" + c.group);
      if (d) d.open = true;
    }
  }
  p.hidden = false;
}

// ---- charts -------------------------------------------------------------

// The layout: which outputs go in which card.
const LAYOUT = [
  { id: "hyb", title: "hybridisation_title", span: "span6", cols: 1, metrics: ["hybridisation"], h: 190 },
  { id: "src", title: "sources_title", span: "span6", cols: 5, metrics: ["ei_index", "conception_distance", "negative_contacts", "threat_formal", "threat_informal"], subs: ["onbekendheid", "onenigheid", "onenigheid", "onbestemdheid", "onbestemdheid"], h: 130 },
  { id: "gap", title: "wijzij_title", span: "span3", cols: 2, metrics: ["wij_zij_gap_formal", "wij_zij_gap_informal"], h: 130 },
  { id: "hh", title: "households_title", span: "span3", cols: 3, metrics: ["unmet_need", "wait_weeks", "late_escalations"], h: 130 },
  { id: "modes", title: "modes_title", span: "span6", cols: 2, modes: true, h: 150 },
  { id: "net", title: "network_title", span: "span6", cols: 2, network: true, h: 260 },
];
const MODES = ["mode_unnoticed", "mode_waiting", "mode_formal_only", "mode_informal_only", "mode_intermediated", "mode_joint"];
const charts = []; // {svg, metric | modes variant | net variant}

function buildCharts() {
  const root = $("charts");
  const have = new Set(setup.metrics.map(m => m.name));
  for (const L of LAYOUT) {
    const card = el("div", { class: "card " + L.span, id: "card-" + L.id });
    card.append(el("h2", { "data-w": L.title }));
    if (L.metrics && L.metrics.length === 1) card.append(el("div", { class: "sub", "data-axis": L.metrics[0] }));
    let ms = L.metrics ? L.metrics.filter(m => have.has(m)) : [];
    if (L.metrics && !ms.length) continue;
    const row = el("div", { class: "row c" + (L.metrics ? ms.length : L.cols) });
    if (L.modes || L.network) {
      for (let v = 0; v < 2; v++) {
        const cell = el("div", {});
        cell.append(el("h3", { "data-w": v ? "what-if" : "baseline" }));
        const svg = el("svg:svg", { viewBox: `0 0 460 ${L.h}`, id: (L.modes ? "modes-" : "net-") + v });
        cell.append(svg);
        if (L.network) cell.append(el("div", { class: "sub", id: "netinfo-" + v }));
        row.append(cell);
        charts.push(L.modes ? { svg, modes: v, h: L.h } : { svg, net: v, h: L.h });
      }
      if (L.network) card.append(row, el("div", { class: "sub", "data-w": "network_note" }));
      else card.append(row, modesLegend());
    } else {
      ms.forEach((m, i) => {
        const cell = el("div", {});
        if (L.subs) cell.append(el("div", { class: "sub", "data-w": L.subs[i] }));
        if (L.metrics.length > 1) cell.append(el("h3", { "data-metric": m }));
        const width = L.span === "span6" ? 960 / ms.length : 460 / ms.length;
        const svg = el("svg:svg", { viewBox: `0 0 ${Math.max(width, 300)} ${L.h}`, id: "chart-" + m });
        cell.append(svg, el("div", { class: "eff", id: "eff-" + m }));
        row.append(cell);
        charts.push({ svg, metric: m, w: Math.max(width, 300), h: L.h });
      });
      card.append(row);
    }
    root.append(card);
  }
  drawAll();
}

function modesLegend() {
  const d = el("div", { class: "sub" });
  for (const m of MODES.slice().reverse()) {
    if (!setup.metrics.some(x => x.name === m)) continue;
    const sw = el("svg:svg", { width: 12, height: 10, class: "swatch" }, el("svg:rect", { width: 12, height: 10, fill: MODE_COL[m] }));
    d.append(el("span", { class: "item" }, sw, el("span", { "data-metric": m })));
  }
  return d;
}

let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; drawAll(); });
}

function drawAll() {
  for (const c of charts) {
    if (c.metric) drawLine(c);
    else if (c.modes !== undefined) drawModes(c);
  }
}

function idx(m) { return state ? state.metrics.indexOf(m) : -1; }

function niceTicks(lo, hi, n) {
  const span = hi - lo || 1;
  const raw = span / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(s => s * mag).find(s => span / s <= n) || 10 * mag;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step) out.push(+t.toFixed(10));
  return { ticks: out, step };
}
// dec writes a number's text with the page's decimal mark (a comma in Dutch).
const dec = s => (lang ? s.replace(".", ",") : s);
function fmt(t, step) { const d = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)); return dec(t.toFixed(d).replace("-", "−")); }

// frame draws axes and returns the scales.
function frame(svg, W, H, weeks, lo, hi) {
  svg.textContent = "";
  const L = 42, R = 8, T = 6, B = 20;
  const x = t => L + (W - L - R) * (weeks > 1 ? t / (weeks - 1) : 0);
  const y = v => T + (H - T - B) * (1 - (v - lo) / (hi - lo || 1));
  const yt = niceTicks(lo, hi, 4);
  for (const t of yt.ticks) {
    svg.append(el("svg:line", { x1: L, x2: W - R, y1: y(t), y2: y(t), stroke: "#eee" }));
    svg.append(el("svg:text", { x: L - 4, y: y(t) + 4, "text-anchor": "end", "font-size": 11, text: fmt(t, yt.step) }));
  }
  const xt = niceTicks(0, Math.max(1, weeks - 1), W > 500 ? 10 : 4);
  for (const t of xt.ticks) svg.append(el("svg:text", { x: x(t), y: H - 5, "text-anchor": "middle", "font-size": 11, text: String(Math.round(t)) }));
  svg.append(el("svg:line", { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: "#999" }));
  return { x, y };
}

function path(xs, x, y) {
  let d = "";
  xs.forEach((v, t) => { if (v !== null && v !== undefined) d += (d ? "L" : "M") + x(t).toFixed(1) + "," + y(v).toFixed(1); });
  return d;
}

function drawLine(c) {
  const { svg, metric, w: W, h: H } = c;
  if (!state || !state.weeks) {
    svg.textContent = "";
    if (metric === "hybridisation") svg.append(el("svg:text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty", text: w("press_run") }));
    return;
  }
  const weeks = state.weeks;
  const band = state.bands && state.bands[metric];
  const i = idx(metric);
  const live = [0, 1].map(v => state.live[v].map(r => (r ? r[i] : null)));
  let lo = Infinity, hi = -Infinity;
  const see = a => { for (const v of a) if (v !== null && v !== undefined) { lo = Math.min(lo, v); hi = Math.max(hi, v); } };
  if (band) for (const b of band) { see(b.p05); see(b.p95); see(b.mean); }
  else live.forEach(see);
  if (!isFinite(lo)) { svg.textContent = ""; return; }
  if (hi - lo < 1e-9) { hi += 0.5; lo -= 0.5; }
  const pad = (hi - lo) * 0.05;
  lo -= pad; hi += pad;
  if (lo < 0 && lo > -pad * 2 && metric !== "ei_index") lo = 0;
  const { x, y } = frame(svg, W, H, weeks, lo, hi);
  const cols = [COL.base, COL.what];
  if (band) {
    for (let v = 0; v < 2; v++) {
      const b = band[v];
      if (!b.mean.length) continue;
      let d = "M" + b.p95.map((p, t) => x(t).toFixed(1) + "," + y(p).toFixed(1)).join("L");
      for (let t = b.p05.length - 1; t >= 0; t--) d += "L" + x(t).toFixed(1) + "," + y(b.p05[t]).toFixed(1);
      svg.append(el("svg:path", { d: d + "Z", fill: cols[v], "fill-opacity": v ? 0.22 : 0.18, stroke: "none" }));
    }
    for (let v = 0; v < 2; v++) svg.append(el("svg:path", { d: path(band[v].mean, x, y), fill: "none", stroke: cols[v], "stroke-width": 2.2 }));
  } else {
    for (let v = 0; v < 2; v++) svg.append(el("svg:path", { d: path(live[v], x, y), fill: "none", stroke: cols[v], "stroke-width": 1.2, "stroke-dasharray": "3 2" }));
  }
}

function drawModes(c) {
  const { svg, modes: v, h: H } = c;
  const W = 460;
  if (!state || !state.weeks) { svg.textContent = ""; return; }
  const ms = MODES.filter(m => idx(m) >= 0);
  const weeks = state.weeks;
  const series = ms.map(m => {
    if (state.bands && state.bands[m]) return state.bands[m][v].mean;
    return state.live[v].map(r => (r ? r[idx(m)] : null));
  });
  // One scale for both panels: the larger total.
  let hi = 1;
  for (let u = 0; u < 2; u++) {
    const s = ms.map(m => (state.bands && state.bands[m]) ? state.bands[m][u].mean : state.live[u].map(r => (r ? r[idx(m)] : 0)));
    for (let t = 0; t < weeks; t++) { let tot = 0; for (const a of s) tot += a[t] || 0; hi = Math.max(hi, tot); }
  }
  const { x, y } = frame(svg, W, H, weeks, 0, hi * 1.05);
  const n = Math.max(...series.map(s => s.length));
  const base = new Array(n).fill(0);
  series.forEach((s, k) => {
    const top = base.map((b, t) => b + (s[t] || 0));
    let d = "M" + top.map((p, t) => x(t).toFixed(1) + "," + y(p).toFixed(1)).join("L");
    for (let t = n - 1; t >= 0; t--) d += "L" + x(t).toFixed(1) + "," + y(base[t]).toFixed(1);
    if (n) svg.append(el("svg:path", { d: d + "Z", fill: MODE_COL[ms[k]], stroke: "none" }));
    for (let t = 0; t < n; t++) base[t] = top[t];
  });
}

// ---- the network --------------------------------------------------------

function newNet() { return { frames: [], pos: [] }; }

// pushFrame queues a network picture; one timer shows the two variants'
// pictures of the same week together, at most six a second, so that the
// table sees the networks change.
function pushFrame(net, d) {
  net.frames.push(d);
  if (!state.netTimer) state.netTimer = setInterval(stepNets, 160);
}

function stepNets() {
  const s = state;
  const ready = Math.min(s.net[0].frames.length, s.net[1].frames.length);
  if (s.netShown === undefined) s.netShown = -1;
  if (s.netShown < ready - 1) s.netShown++;
  else if (s.phase !== "running") { clearInterval(s.netTimer); s.netTimer = null; }
  for (let v = 0; v < 2; v++) {
    const f = s.net[v].frames[s.netShown];
    if (!f) continue;
    layout(s.net[v], f, s.netShown === 0 ? 120 : 20);
    drawNet(v, s.net[v], f);
  }
}

function seedPos(i, side) {
  // Deterministic start: the same network gets the same picture.
  const a = Math.sin(i * 12.9898 + 1) * 43758.5453, b = Math.sin(i * 78.233 + 2) * 12543.1234;
  const rx = a - Math.floor(a), ry = b - Math.floor(b);
  const cx = side === 0 ? 0.3 : side === 1 ? 0.7 : 0.5;
  return [cx + (rx - 0.5) * 0.3, 0.5 + (ry - 0.5) * 0.6];
}

// layout relaxes the positions (Fruchterman–Reingold in the unit square,
// with a pull to the centre so that loose groups stay in view).
function layout(net, f, iters) {
  const n = f.sides.length, P = net.pos;
  for (let i = 0; i < n; i++) if (!P[i]) P[i] = seedPos(i, f.sides[i]);
  const alive = [];
  for (let i = 0; i < n; i++) if (f.sides[i] >= 0) alive.push(i);
  const k = 0.8 / Math.sqrt(Math.max(alive.length, 1));
  const D = new Float64Array(2 * n);
  for (let it = 0; it < iters; it++) {
    D.fill(0);
    for (let a = 0; a < alive.length; a++) {
      const i = alive[a], pi = P[i];
      for (let b = a + 1; b < alive.length; b++) {
        const j = alive[b], pj = P[j];
        const dx = pi[0] - pj[0], dy = pi[1] - pj[1];
        const d2 = dx * dx + dy * dy + 1e-9;
        const r = (k * k) / d2;
        D[2 * i] += dx * r; D[2 * i + 1] += dy * r; D[2 * j] -= dx * r; D[2 * j + 1] -= dy * r;
      }
    }
    for (const [a, b, s] of f.edges) {
      const pa = P[a], pb = P[b];
      const dx = pa[0] - pb[0], dy = pa[1] - pb[1];
      const d = Math.sqrt(dx * dx + dy * dy) + 1e-9;
      const pull = d / k * (0.2 + s / 100);
      D[2 * a] -= dx * pull; D[2 * a + 1] -= dy * pull; D[2 * b] += dx * pull; D[2 * b + 1] += dy * pull;
    }
    const temp = 0.01;
    for (const i of alive) {
      const p = P[i];
      let dx = D[2 * i] - (p[0] - 0.5) * 3, dy = D[2 * i + 1] - (p[1] - 0.5) * 3;
      const m = Math.hypot(dx, dy) + 1e-9, step = Math.min(m * k * k, temp);
      p[0] = Math.min(0.97, Math.max(0.03, p[0] + dx / m * step));
      p[1] = Math.min(0.97, Math.max(0.03, p[1] + dy / m * step));
    }
  }
}

function drawNet(v, net, f) {
  const svg = $("net-" + v);
  const W = 460, H = 260;
  svg.textContent = "";
  // The layout's box, fitted to the panel (each panel fills its space).
  let x0 = 1, x1 = 0, y0 = 1, y1 = 0;
  f.sides.forEach((s, i) => {
    if (s < 0) return;
    const p = net.pos[i];
    x0 = Math.min(x0, p[0]); x1 = Math.max(x1, p[0]); y0 = Math.min(y0, p[1]); y1 = Math.max(y1, p[1]);
  });
  const m = 8, sx = (W - 2 * m) / Math.max(x1 - x0, 1e-3), sy = (H - 2 * m) / Math.max(y1 - y0, 1e-3);
  const P = net.pos.map(p => (p ? [(m + (p[0] - x0) * sx) / W, (m + (p[1] - y0) * sy) / H] : p));
  const gIn = el("svg:g", {}), gX = el("svg:g", {}), gN = el("svg:g", {});
  let cross = 0;
  for (const [a, b, s] of f.edges) {
    const sa = f.sides[a], sb = f.sides[b];
    const isCross = (sa === 0 && sb === 1) || (sa === 1 && sb === 0);
    if (isCross) cross++;
    const line = el("svg:line", { x1: (P[a][0] * W).toFixed(1), y1: (P[a][1] * H).toFixed(1), x2: (P[b][0] * W).toFixed(1), y2: (P[b][1] * H).toFixed(1),
      stroke: isCross ? COL.cross : "#c8c8c8", "stroke-width": isCross ? 0.6 + s / 60 : 0.5, "stroke-opacity": isCross ? 0.9 : 0.5 });
    (isCross ? gX : gIn).append(line);
  }
  f.sides.forEach((s, i) => {
    if (s < 0) return;
    gN.append(el("svg:circle", { cx: (P[i][0] * W).toFixed(1), cy: (P[i][1] * H).toFixed(1), r: s === 2 ? 4.5 : 2.6, fill: [COL.formal, COL.informal, COL.coord][s], stroke: "#fff", "stroke-width": 0.5 }));
  });
  svg.append(gIn, gX, gN);
  $("netinfo-" + v).textContent = `${w("week")} ${f.week + 1} · ${w("cross_ties")}: ${cross}`;
}

init().catch(e => { $("status").textContent = String(e); });
