"use strict";
// builder.js: the piecewise-linear builder. A curve is a constant plus pieces c·act(b + w·x₁) with x₁ and
// c in thousands of views: hard sigmoids, ReLU pairs c·ReLU(z) − c·ReLU(z − 1) (the same function, shown
// as its two ReLUs) and sigmoids. Each piece has two handles, at z = zL and z = zR of its own curve.

const Builder = (() => {
  const RED = "#d62728", BLUE = "#1f77b4", LIGHT = "#6baed6", GREY = "#888";
  const relu = z => Math.max(0, z), sigm = z => 1 / (1 + Math.exp(-z));
  const KINDS = {
    hard: {code: "h", zL: 0, zR: 1, act: z => Math.min(1, Math.max(0, z))},
    relu: {code: "r", zL: 0, zR: 1, act: z => relu(z) - relu(z - 1)},
    sigmoid: {code: "s", zL: -2, zR: 2, act: sigm},
  };
  const XK = X.map(v => v / 1000), YK = Y.map(v => v / 1000);
  const XMAX = 1.05 * Math.max(...XK), YMAX = 1.05 * Math.max(...YK);
  const FIT = {c0: DATA.fitted.const, pieces: DATA.fitted.pieces.map(([c, b, w]) => ({kind: "hard", c, b, w}))};
  const BOOK = bookCurve();
  const B = {target: "fit", c0: 0, pieces: []};
  const axes = new Plot.Axes(document.getElementById("builder"), {l: 60});
  let drag = null;

  // A red curve like the book's (up, down, up) across the data's range.
  function bookCurve() {
    const piece = (c, x0, x1) => ({kind: "hard", c, w: 1 / (x1 - x0), b: -x0 / (x1 - x0)});
    return {c0: 0.25 * YMAX, pieces: [piece(0.4 * YMAX, 0.1 * XMAX, 0.3 * XMAX), piece(-0.3 * YMAX, 0.45 * XMAX, 0.6 * XMAX),
                                      piece(0.35 * YMAX, 0.7 * XMAX, 0.9 * XMAX)]};
  }

  function value(curve, x) {
    let y = curve.c0;
    for (const p of curve.pieces) y += p.c * KINDS[p.kind].act(p.b + p.w * x);
    return y;
  }

  function target() { return B.target === "book" ? BOOK : FIT; }

  function defaults() {  // one hard sigmoid from the 10th to the 90th percentile of x₁, on the red curve
    const xs = XK.slice().sort((a, b) => a - b), x0 = xs[Math.floor(0.1 * xs.length)], x1 = xs[Math.floor(0.9 * xs.length)];
    const T = target(), y0 = value(T, x0);
    B.c0 = y0;
    B.pieces = [{kind: "hard", c: value(T, x1) - y0, w: 1 / (x1 - x0), b: -x0 / (x1 - x0)}];
  }

  function trainLoss(curve) {  // L of the curve on the training days, in views (views²)
    let s = 0;
    for (let i = 0; i < XK.length; i++) {
      const e = 1000 * (value(curve, XK[i]) - YK[i]);
      s += S.loss === "mae" ? Math.abs(e) : e * e;
    }
    return s / XK.length;
  }

  function handles() {
    const out = [{i: -1, side: "c", x: 0.03 * XMAX, y: B.c0}];
    B.pieces.forEach((p, i) => {
      const K = KINDS[p.kind];
      for (const [side, z] of [["L", K.zL], ["R", K.zR]]) out.push({i, side, x: (z - p.b) / p.w, y: p.c * K.act(z)});
    });
    return out;
  }

  // Move one handle to data point (x, y): the other handle of the piece stays where it is.
  function moveHandle(h, x, y) {
    if (h.side === "c") { B.c0 = y; return; }
    const p = B.pieces[h.i], K = KINDS[p.kind];
    let xL = (K.zL - p.b) / p.w, xR = (K.zR - p.b) / p.w;
    if (h.side === "L") xL = x; else { xR = x; p.c = y / K.act(K.zR); }
    if (Math.abs(xR - xL) < 0.01 * XMAX) return;  // a vertical step has no finite w
    p.w = (K.zR - K.zL) / (xR - xL);
    p.b = K.zL - p.w * xL;
  }

  function draw() {
    const T = target(), xs = Array.from({length: 301}, (_, k) => k * XMAX / 300);
    const curves = B.pieces.map(p => xs.map(x => p.c * KINDS[p.kind].act(p.b + p.w * x)));
    const sum = xs.map(x => value(B, x)), red = xs.map(x => value(T, x));
    const lo = Math.max(-0.6 * YMAX, Math.min(0, ...curves.flat(), ...sum, ...red));
    const hi = Math.min(2 * YMAX, Math.max(YMAX, ...sum, ...red)) * 1.04;
    const A = axes.begin([0, XMAX], [lo - 0.03 * (hi - lo), hi]);  // room for handles on the lowest piece
    A.frame(tr("lab.axis.yesterday") + " (k)", tr("lab.axis.today") + " (k)", v => String(+v.toFixed(2)), v => String(+v.toFixed(2)));
    A.clip();
    A.points(XK, YK, 1.3, "#999", 0.22);
    A.line([0, XMAX], [B.c0, B.c0], {color: GREY, width: 1.2, dash: [3, 3]});
    B.pieces.forEach((p, i) => {
      if (p.kind === "relu") {  // its two ReLUs, which add up to the solid piece
        A.line(xs, xs.map(x => p.c * relu(p.b + p.w * x)), {color: LIGHT, width: 1.2, dash: [5, 4]});
        A.line(xs, xs.map(x => -p.c * relu(p.b + p.w * x - 1)), {color: LIGHT, width: 1.2, dash: [5, 4]});
      }
      A.line(xs, curves[i], {color: LIGHT, width: 1.8});
    });
    A.line(xs, red, {color: RED, width: 3.5, alpha: 0.85});
    A.line(xs, sum, {color: BLUE, width: 2.5});
    for (const h of handles()) {
      A.marker(h.x, h.y, h.side === "c" ? "square" : "circle", h.side === "c" ? GREY : BLUE, 6);
      if (h.side === "R") { A.g.fillStyle = "#000"; A.g.font = "11px system-ui"; A.g.fillText(String(h.i + 1), A.X(h.x) + 8, A.Y(h.y) - 8); }
    }
    A.unclip();
    A.legend([{label: tr("lab.builder.target") + ": " + (B.target === "book" ? tr("lab.builder.target_book") :
                tr("lab.builder.target_fit", {model: DATA.fitted.spec})), color: RED, kind: "line"},
              {label: tr("lab.builder.sum"), color: BLUE, kind: "line"},
              {label: tr("lab.builder.kind"), color: LIGHT, kind: "line"},
              {label: tr("lab.builder.const"), color: GREY, kind: "dash"}], "tl");
    const r = document.getElementById("builder-readout");
    r.textContent = tr("lab.builder.readout", {L: fmtLoss(trainLoss(B)), model: DATA.fitted.spec,
                                               Lfit: fmtLoss(DATA.fitted[S.loss].L)});
    r.dataset.value = String(trainLoss(B));
  }

  function table() {
    const rows = [`<tr><th>${tr("lab.builder.kind")}</th><th>c</th><th>b</th><th>w</th><th></th></tr>`,
                  `<tr><td>${tr("lab.builder.const")}</td><td><input data-i="-1" data-k="c0" value="${+B.c0.toPrecision(6)}"></td><td></td><td></td><td></td></tr>`];
    B.pieces.forEach((p, i) => {
      const cell = k => `<td><input data-i="${i}" data-k="${k}" value="${+p[k].toPrecision(6)}"></td>`;
      const swap = p.kind === "hard" ? `<button data-i="${i}" data-act="split">${tr("lab.builder.split")}</button>` :
                   p.kind === "relu" ? `<button data-i="${i}" data-act="merge">${tr("lab.builder.merge")}</button>` : "";
      rows.push(`<tr data-kind="${p.kind}"><td>${i + 1}. ${tr("lab.builder." + p.kind)}</td>${cell("c")}${cell("b")}${cell("w")}` +
                `<td>${swap} <button data-i="${i}" data-act="delete">${tr("lab.builder.delete")}</button></td></tr>`);
    });
    document.getElementById("pieces").innerHTML = rows.join("");
  }

  function changed() { table(); update(); }

  function add(kind) {
    const x0 = 0.4 * XMAX, x1 = 0.6 * XMAX, K = KINDS[kind], w = (K.zR - K.zL) / (x1 - x0);
    B.pieces.push({kind, c: 0.15 * YMAX / K.act(K.zR), w, b: K.zL - w * x0});
    changed();
  }

  function init() {
    const $ = id => document.getElementById(id), cv = $("builder");
    $("add-hard").onclick = () => add("hard");
    $("add-relu").onclick = () => add("relu");
    $("add-sigmoid").onclick = () => add("sigmoid");
    $("clear").onclick = () => { B.pieces = []; changed(); };
    $("load-fitted").onclick = () => { B.c0 = FIT.c0; B.pieces = FIT.pieces.map(p => Object.assign({}, p)); changed(); };
    $("target").onchange = e => { B.target = e.target.value; changed(); };
    $("pieces").addEventListener("change", e => {
      const i = +e.target.dataset.i, v = parseFloat(e.target.value);
      if (!isFinite(v) || (e.target.dataset.k === "w" && v === 0)) return changed();
      if (i < 0) B.c0 = v; else B.pieces[i][e.target.dataset.k] = v;
      changed();
    });
    $("pieces").addEventListener("click", e => {
      const i = +e.target.dataset.i, act = e.target.dataset.act;
      if (act === "delete") B.pieces.splice(i, 1);
      else if (act === "split") B.pieces[i].kind = "relu";
      else if (act === "merge") B.pieces[i].kind = "hard";
      else return;
      changed();
    });
    const at = e => { const r = cv.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    cv.addEventListener("pointerdown", e => {
      const [px, py] = at(e);
      let best = null, dmin = 12;
      for (const h of handles()) {
        const d = Math.hypot(axes.X(h.x) - px, axes.Y(h.y) - py);
        if (d < dmin) { dmin = d; best = h; }
      }
      if (best) { drag = best; cv.setPointerCapture(e.pointerId); e.preventDefault(); }
    });
    cv.addEventListener("pointermove", e => {
      const [px, py] = at(e);
      if (!drag) {
        cv.style.cursor = handles().some(h => Math.hypot(axes.X(h.x) - px, axes.Y(h.y) - py) < 12) ? "grab" : "default";
        return;
      }
      moveHandle(drag, axes.invX(px), axes.invY(py));
      table(); draw();
    });
    cv.addEventListener("pointerup", () => { if (drag) { drag = null; update(); } });
    table();
  }

  function texts() {
    const m = {model: DATA.fitted.spec};
    document.getElementById("builder-intro").textContent = tr("lab.builder.intro", m);
    document.getElementById("target-fit").textContent = tr("lab.builder.target_fit", m);
    document.getElementById("load-fitted").textContent = tr("lab.builder.load", m);
    document.getElementById("target").value = B.target;
    if (document.getElementById("pieces").rows.length) table();
  }

  function save(q) {
    q.set("target", B.target); q.set("c0", String(B.c0));
    q.set("p", B.pieces.map(p => [KINDS[p.kind].code, p.c, p.b, p.w].join(",")).join(";"));
  }

  function load(q) {
    if (q.get("target") === "book") B.target = "book";
    const code = Object.fromEntries(Object.entries(KINDS).map(([k, v]) => [v.code, k]));
    if (!q.has("p")) return defaults();
    B.c0 = isFinite(parseFloat(q.get("c0"))) ? parseFloat(q.get("c0")) : 0;
    B.pieces = q.get("p").split(";").map(s => s.split(",")).filter(a => a.length === 4 && code[a[0]])
      .map(a => ({kind: code[a[0]], c: +a[1], b: +a[2], w: +a[3]})).filter(p => [p.c, p.b, p.w].every(isFinite) && p.w !== 0);
  }

  // Where handle `side` ("L", "R"; "c": the constant) of piece i is, in page pixels (for tests and scripts).
  function pixel(i, side) {
    const h = handles().find(k => k.i === i && k.side === side), r = document.getElementById("builder").getBoundingClientRect();
    return [r.left + axes.X(h.x), r.top + axes.Y(h.y)];
  }

  return {init, draw, texts, save, load, value, pixel, state: B};
})();
