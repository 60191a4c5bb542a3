"use strict";
// panes.js: the four linked panes, each redrawn from the state S after every change.

const Panes = (() => {
  const RED = "#d62728", BLUE = "#1f77b4", ORANGE = "#ff7f0e", GREEN = "#2ca02c", GREY = "#777";
  const scatterAxes = new Plot.Axes(document.getElementById("scatter"));
  const contourAxes = new Plot.Axes(document.getElementById("contour"), {l: 70});
  const stepsAxes = new Plot.Axes(document.getElementById("steps"), {l: 70});
  const lossAxes = new Plot.Axes(document.getElementById("losses"), {l: 190, r: 60, t: 30});
  const XMAX = 1.05 * Math.max(...X, ...XT, ...Y, ...YT);

  function scatter() {
    const A = scatterAxes.begin([0, XMAX], [0, XMAX]), p = current(), ex = DATA.exact[S.loss];
    A.frame(tr("lab.axis.yesterday"), tr("lab.axis.today"));
    A.clip();
    A.points(X, Y, 1.6, BLUE, 0.25);
    A.points(XT, YT, 2.6, ORANGE, 0.9);
    A.line([0, XMAX], [ex.b, ex.b + ex.w[0] * XMAX], {color: GREEN, width: 1.5, dash: [6, 4]});
    A.line([0, XMAX], [p.b, p.b + p.w * XMAX], {color: RED, width: 2.5});
    A.unclip();
    A.legend([{label: tr("lab.legend.train_days"), color: BLUE, kind: "dot"},
              {label: tr("lab.legend.test_days"), color: ORANGE, kind: "dot"},
              {label: tr("lab.legend.your_line") + "  y = b + w·x₁", color: RED, kind: "line"},
              {label: tr("lab.legend.optimum"), color: GREEN, kind: "dash"}], "tl");
  }

  function contour() {
    const g = DATA.grid, Z = g[S.loss], ex = DATA.exact[S.loss];
    const A = contourAxes.begin([g.w[0], g.w[g.w.length - 1]], [g.b[0], g.b[g.b.length - 1]]);
    let zmax = 0;
    for (const row of Z) for (const v of row) zmax = Math.max(zmax, v);
    // colour by log(L / L*): the valley floor stays visible next to walls thousands of times higher
    const span = Math.log(zmax / ex.L);
    A.heatmap(g.w, g.b, Z, v => Math.sqrt(Math.log(v / ex.L) / span));
    for (const lv of LEVELS) A.contour(g.w, g.b, Z, ex.L * lv, {color: "#fff", width: lv === LEVELS[0] ? 1.8 : 0.9});
    A.frame("w", "b", null, null, false);
    A.clip();
    const ws = S.path.map(p => p.w), bs = S.path.map(p => p.b);
    A.line(ws, bs, {color: "#fff", width: 4, alpha: 0.8});
    A.line(ws, bs, {color: RED, width: 2});
    if (S.path.length <= 60) A.points(ws, bs, 2.2, RED);
    A.marker(DATA.book.w, DATA.book.b, "square", ORANGE, 5);
    A.marker(ex.w[0], ex.b, "star", RED, 7);
    A.marker(S.path[0].w, S.path[0].b, "ring", "#fff", 6);
    A.marker(current().w, current().b, "circle", RED, 5.5);
    A.unclip();
    A.legend([{label: tr("lab.legend.start"), color: "#333", kind: "ring"},
              {label: tr("lab.legend.path"), color: RED, kind: "line"},
              {label: tr("lab.legend.optimum"), color: RED, kind: "star"},
              {label: tr("lab.legend.book"), color: ORANGE, kind: "square"}], "tr");
  }

  function steps() {
    const P = S.path, best = DATA.exact[S.loss].L, Ls = P.map(p => p.L);
    // before the first update there is no curve yet: the pane says how to get one
    document.getElementById("steps-hint").hidden = P.length > 1 || S.diverged !== null;
    const top = Math.max(...Ls, best * 1.02) * 1.15, bottom = Math.min(...Ls, best) * 0.97;
    const last = P.length - 1 + (S.diverged ? 1 : 0);
    const A = stepsAxes.begin([0, Math.max(10, last)], [bottom, top], {ylog: top / bottom > 20});
    A.frame(tr("lab.axis.update"), "L (" + tr("lab.unit_" + S.loss) + ")", null, null);
    A.clip();
    A.line([0, A.xlim[1]], [best, best], {color: GREEN, width: 1.5, dash: [6, 4]});
    A.line([0, A.xlim[1]], [best * 1.01, best * 1.01], {color: GREEN, width: 1, dash: [2, 3]});
    A.line(P.map((p, i) => i), Ls, {color: BLUE, width: 2});
    if (P.length <= 60) A.points(P.map((p, i) => i), Ls, 2.5, BLUE);
    if (S.diverged) {
      A.line([last - 1, last], [Ls[Ls.length - 1], top * 10], {color: RED, width: 2, dash: [4, 3]});
      A.marker(last, top / 1.08, "square", RED, 5);
    }
    A.unclip();
    A.legend([{label: "L", color: BLUE, kind: "line"}, {label: tr("lab.legend.optimum"), color: GREEN, kind: "dash"},
              {label: tr("lab.legend.within"), color: GREEN, kind: "dash"}], "tr");
  }

  function rows() {
    const p = current(), k = S.loss;
    const out = [{label: tr("lab.row.yours") + " (linear:1)", L: p.L, Lp: lossOf(XT, YT, p.w, p.b, k), book: null, mine: true},
                 {label: tr("lab.row.exact", {model: "linear:1"}), L: DATA.exact[k].L, Lp: DATA.exact[k].Lp,
                  book: DATA.book.linear["linear:1"]}];
    for (const r of DATA.refs) {
      out.push({label: tr("lab.row.exact", {model: r.model}), L: r[k].L, Lp: r[k].Lp, book: DATA.book.linear[r.model]});
    }
    out.push({label: tr("lab.row.fitted", {model: DATA.fitted.spec}), L: DATA.fitted[k].L, Lp: DATA.fitted[k].Lp, book: null});
    return out;
  }

  function losses() {
    const R = rows(), ref = Math.max(...R.slice(1).flatMap(r => [r.L, r.Lp]));
    const A = lossAxes.begin([0, ref * 1.3], [0, R.length]);
    A.frame("", "", null, () => "");
    const g = A.g, bh = Math.min(14, A.ph / R.length / 2.6);
    g.save(); g.font = "12px system-ui, sans-serif";
    R.forEach((r, i) => {
      const yc = A.Y(R.length - i - 0.5);
      g.fillStyle = "#222"; g.textAlign = "right"; g.textBaseline = "middle";
      g.font = (r.mine ? "bold " : "") + "12px system-ui, sans-serif";
      g.fillText(r.label, A.m.l - 6, yc);
      g.font = "11px system-ui, sans-serif";
      [[r.L, BLUE, -bh - 1, 0], [r.Lp, ORANGE, 1, 1]].forEach(([v, c, dy, j]) => {
        const x1 = Math.min(A.X(v), A.m.l + A.pw), cut = A.X(v) > x1;
        g.fillStyle = c; g.fillRect(A.m.l, yc + dy, x1 - A.m.l, bh);
        // a bar past the scale is cut at the frame, its number written inside it
        g.fillStyle = cut ? "#fff" : "#222"; g.textAlign = cut ? "right" : "left";
        g.fillText(fmt(v, 4) + (cut ? " ›" : ""), cut ? x1 - 4 : x1 + 3, yc + dy + bh / 2);
        if (r.book && S.loss === "mae") {  // the book's channel: a black tick on the bar's scale
          const bx = A.X(r.book[j]);
          g.fillStyle = "#000"; g.fillRect(bx - 1, yc + dy - 2, 2.5, bh + 4);
        }
      });
    });
    g.restore();
    const items = [{label: tr("lab.legend.train"), color: BLUE, kind: "square"},
                   {label: tr("lab.legend.test"), color: ORANGE, kind: "square"}];
    if (S.loss === "mae") items.push({label: tr("lab.legend.book_channel"), color: "#000", kind: "tick"});
    A.legendRow(items);
  }

  function bookNote() {
    const b = DATA.book.linear, rows = Object.keys(b).map(m => m + " " + fmt(b[m][0], 2) + " / " + fmt(b[m][1], 2));
    let text = tr("lab.book_note", {rows: rows.join(", ")});
    if (DATA.left_out.length) text += " " + tr("lab.left_out", {models: DATA.left_out.join(", ")});
    document.getElementById("book-note").textContent = text;
  }

  function draw() { scatter(); contour(); steps(); losses(); bookNote(); }

  return {draw, contourAxes};
})();
