"use strict";
// lab.js: the state (all of it in the URL), the maths of y = b + w·x₁ (its loss and gradient descent),
// the controls and the four linked panes. The numbers come from the page's embedded data only.

const DATA = JSON.parse(document.getElementById("lab-data").textContent);
const MSG = JSON.parse(document.getElementById("lab-messages").textContent);
const X = DATA.train.x, Y = DATA.train.y, XT = DATA.test.x, YT = DATA.test.y;  // (n,), (m,) raw views
const MEAN = DATA.scaler.mean, STD = DATA.scaler.std;
// Gradient descent runs in standard units: in raw views the bowl is ~1e9 times longer than wide.
const XS = X.map(v => (v - MEAN) / STD), YS = Y.map(v => (v - MEAN) / STD);
const MAX_REPLAY = 20000;  // updates a URL may ask to replay (~0.3 s): a typo must not freeze the page
const LEVELS = [1.01, 1.05, 1.2, 1.5, 2, 3, 5];  // contour lines at these multiples of the optimum's loss

const S = {lang: document.documentElement.lang, loss: "mae", lr: DATA.lrs.mae[1], path: [], diverged: null,
           running: 0};

function tr(key, vars) {
  const text = (MSG[S.lang] || MSG.en)[key];
  return text.replace(/{(\w+)}/g, (m, k) => (vars && k in vars ? vars[k] : m));
}

// v with at least `sig` significant digits, thousands grouped: 1595.58 → "1,595.58".
function fmt(v, sig) {
  if (!isFinite(v)) return String(v);
  const a = Math.abs(v), d = a === 0 ? 0 : Math.min(10, Math.max(0, (sig || 6) - 1 - Math.floor(Math.log10(a))));
  return v.toLocaleString("en-US", {minimumFractionDigits: d, maximumFractionDigits: d});
}

function fmtLoss(v) { return fmt(v, 6) + " " + tr("lab.unit_" + S.loss); }

function lossOf(x, y, w, b, loss) {  // mean over the days of |e| or e², e = b + w·x − y
  let s = 0;
  for (let i = 0; i < x.length; i++) { const e = b + w * x[i] - y[i]; s += loss === "mae" ? Math.abs(e) : e * e; }
  return s / x.length;
}

// y = b + w·x in views is y' = b' + w·x' in standard units (x' = (x − mean)/std): the same w.
function toStd(w, b) { return [w, (b + (w - 1) * MEAN) / STD]; }
function fromStd(w, bs) { return [w, bs * STD - (w - 1) * MEAN]; }

function point(ws, bs) {
  const [w, b] = fromStd(ws, bs);
  return {ws, bs, w, b, L: lossOf(X, Y, w, b, S.loss)};
}

function current() { return S.path[S.path.length - 1]; }

function setStart(w, b) {
  S.running = 0;
  S.path = [point(...toStd(w, b))];
  S.diverged = null;
}

// One update θ ← θ − η∇L in standard units (MAE: the subgradient, sign(0) = 0). false: it diverged.
function step() {
  const p = current(), n = XS.length;
  let gw = 0, gb = 0;
  for (let i = 0; i < n; i++) {
    const e = p.bs + p.ws * XS[i] - YS[i], g = S.loss === "mae" ? Math.sign(e) : 2 * e;
    gw += g * XS[i]; gb += g;
  }
  const q = point(p.ws - S.lr * gw / n, p.bs - S.lr * gb / n);
  if (!isFinite(q.L) || q.L > DATA.diverge * S.path[0].L) {  // the library's rule; the point is not kept
    S.diverged = {t: S.path.length, L: q.L};
    return false;
  }
  S.path.push(q);
  return true;
}

// The path's state as a value (the library's Path.status); words are made only in showStatus.
function status() {
  const P = S.path, best = DATA.exact[S.loss].L, L = current().L;
  const gap = (100 * (L / best - 1)).toFixed(2) + "%";
  if (S.running) return {key: "running"};
  if (S.diverged) return {key: "diverged", t: S.diverged.t, loss: fmtLoss(S.diverged.L)};
  if (P.length === 1) return {key: "start"};
  const within = P.findIndex(p => p.L <= best * (1 + DATA.within));
  if (within >= 0) return {key: "within", t: within, gap};
  const rising = P.some((p, i) => i > 0 && p.L - P[i - 1].L > 1e-9 * Math.abs(P[0].L));
  // "too slow" is a verdict on a whole run; a path still being stepped is only "descending" so far
  const key = rising ? "oscillates" : P.length - 1 >= DATA.steps ? "too_slow" : "descending";
  return {key, t: P.length - 1, gap};
}

// ---------------------------------------------------------------- the URL holds every setting
function saveURL() {
  const p = current(), q = new URLSearchParams();
  q.set("w", String(p.w)); q.set("b", String(p.b)); q.set("loss", S.loss); q.set("lr", String(S.lr));
  if (S.path.length > 1 || S.diverged) {
    q.set("start", S.path[0].w + "," + S.path[0].b);
    q.set("t", String(S.path.length - 1 + (S.diverged ? 1 : 0)));
  }
  Builder.save(q);
  q.set("lang", S.lang);
  history.replaceState(null, "", "#" + q.toString());
  document.getElementById("share").href = location.href;
}

function loadURL() {
  const q = new URLSearchParams(location.hash.slice(1) || location.search.slice(1));
  const num = (k, d) => (q.has(k) && isFinite(parseFloat(q.get(k))) ? parseFloat(q.get(k)) : d);
  if (MSG[q.get("lang")]) S.lang = q.get("lang");
  if (q.get("loss") === "mae" || q.get("loss") === "mse") S.loss = q.get("loss");
  S.lr = num("lr", 0) > 0 ? num("lr", 0) : DATA.lrs[S.loss][1];
  const start = (q.get("start") || "").split(",").map(parseFloat);
  const t = Math.min(MAX_REPLAY, Math.max(0, Math.floor(num("t", 0))));
  if (t > 0 && start.length === 2 && start.every(isFinite)) {
    setStart(...start);
    for (let k = 0; k < t && step(); k++) {}  // replay: the same start, η and t give the same path
  } else {
    setStart(num("w", DATA.book.w), num("b", DATA.book.b));
  }
  Builder.load(q);
}

// ---------------------------------------------------------------- controls
function $(id) { return document.getElementById(id); }

function applyTexts() {
  document.documentElement.lang = S.lang;
  document.title = tr("lab.title");
  document.querySelectorAll("[data-t]").forEach(el => { el.textContent = tr(el.dataset.t); });
  const sp = DATA.split;
  $("series").textContent = tr("lab.series", {name: DATA.series, train: sp.train_start + "…" + sp.train_end,
    n: X.length, test: sp.test_start + "…" + sp.test_end, m: XT.length});
  $("run").textContent = tr("lab.run", {steps: DATA.steps});
  const e = DATA.condition.toExponential(1).split("e");
  $("lr-note").textContent = tr("lab.lr_note", {mean: fmt(MEAN, 4), std: fmt(STD, 4),
    cond: e[0] + " × 10" + [...String(+e[1])].map(c => "⁰¹²³⁴⁵⁶⁷⁸⁹"[c] || "⁻").join("")});
  $("lang").textContent = tr("lab.switch_lang");
  Builder.texts();
}

function syncControls() {
  const p = current();
  for (const [id, v] of [["w", p.w], ["b", p.b]]) {
    $(id).value = String(v);
    if (document.activeElement !== $(id + "-num")) $(id + "-num").value = String(+v.toPrecision(8));
  }
  $("loss-" + S.loss).checked = true;
  if (document.activeElement !== $("lr")) $("lr").value = String(S.lr);
}

function showStatus() {
  const st = status(), el = $("status");
  el.dataset.status = st.key;
  el.textContent = tr("lab.status." + st.key, Object.assign({lr: String(S.lr)}, st));
  if (st.key === "oscillates" && S.loss === "mae") el.textContent += " " + tr("lab.mae_bounded");
}

function update() {  // after any change: read-outs, panes, URL
  const p = current();
  $("readout-train").textContent = tr("lab.readout_train", {value: fmtLoss(p.L)});
  $("readout-train").dataset.value = String(p.L);
  $("readout-test").textContent = tr("lab.readout_test", {value: fmtLoss(lossOf(XT, YT, p.w, p.b, S.loss))});
  $("readout-point").textContent = tr("lab.readout_point", {w: fmt(p.w, 6), b: fmt(p.b, 6), t: S.path.length - 1});
  const ex = DATA.exact[S.loss];
  $("optimum").textContent = tr("lab.optimum", {w: fmt(ex.w[0], 6), b: fmt(ex.b, 6), L: fmtLoss(ex.L)}) + "  ·  " +
    tr("lab.legend.levels", {levels: LEVELS.join(", ")});
  syncControls(); showStatus(); Panes.draw(); Builder.draw(); saveURL();
}

function run() {
  const token = ++S.running;
  let left = DATA.steps;
  const frame = () => {
    if (S.running !== token) return;  // a newer action took over
    for (let k = 0; k < 5 && left > 0; k++, left--) if (!step()) { left = 0; break; }
    if (left === 0) S.running = 0;
    update();
    if (S.running === token) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

function wire() {
  const g = DATA.grid;
  for (const [id, lo, hi, st] of [["w", g.w[0], g.w[g.w.length - 1], 0.001], ["b", g.b[0], g.b[g.b.length - 1], 1]]) {
    Object.assign($(id), {min: lo, max: hi, step: st});
    const set = v => { const p = current(); setStart(id === "w" ? v : p.w, id === "b" ? v : p.b); update(); };
    $(id).addEventListener("input", e => set(parseFloat(e.target.value)));
    $(id + "-num").addEventListener("change", e => { if (isFinite(parseFloat(e.target.value))) set(parseFloat(e.target.value)); });
  }
  document.querySelectorAll("input[name=loss]").forEach(r => r.addEventListener("change", e => {
    S.loss = e.target.value; S.lr = DATA.lrs[S.loss][1];
    setStart(current().w, current().b); update();
  }));
  $("lr").addEventListener("change", e => {
    const v = parseFloat(e.target.value);
    if (v > 0 && isFinite(v)) { S.lr = v; setStart(S.path[0].w, S.path[0].b); }
    update();
  });
  document.querySelectorAll(".preset").forEach(bt => bt.addEventListener("click", () => {
    S.lr = DATA.lrs[S.loss][+bt.dataset.preset]; setStart(S.path[0].w, S.path[0].b); update();
  }));
  $("step").addEventListener("click", () => { S.running = 0; if (!S.diverged) step(); update(); });
  $("run").addEventListener("click", () => { if (!S.diverged) run(); update(); });
  $("reset").addEventListener("click", () => { setStart(S.path[0].w, S.path[0].b); update(); });
  $("contour").addEventListener("click", e => {
    const r = e.target.getBoundingClientRect(), A = Panes.contourAxes, px = e.clientX - r.left, py = e.clientY - r.top;
    if (!A.inside(px, py)) return;
    setStart(Math.round(A.invX(px) * 1000) / 1000, Math.round(A.invY(py)));
    update();
  });
  $("lang").addEventListener("click", e => {
    e.preventDefault(); S.lang = S.lang === "zh" ? "en" : "zh"; applyTexts(); update();
  });
  window.addEventListener("resize", () => { Panes.draw(); Builder.draw(); });
}

document.addEventListener("DOMContentLoaded", () => {
  loadURL(); Builder.init(); applyTexts(); wire(); update();
  document.body.dataset.ready = "1";  // for tests and scripts: the first drawing is done
});
