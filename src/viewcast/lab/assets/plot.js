"use strict";
// plot.js: the few drawing tools the lab needs, on plain canvases (no library, nothing fetched):
// axes with nice ticks, lines, points, markers, a heat map and contour lines (marching squares).

const Plot = (() => {
  const VIRIDIS = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"];

  function niceStep(span, n) {
    const raw = span / Math.max(1, n), p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
    return p * (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10);
  }

  function ticks(lo, hi, n) {
    const step = niceStep(hi - lo, n), out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return {values: out, step};
  }

  function logTicks(lo, hi) {
    const out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of (Math.log10(hi / lo) < 2.5 ? [1, 2, 5] : [1])) {
        const v = m * Math.pow(10, e);
        if (v >= lo && v <= hi) out.push(v);
      }
    }
    return {values: out, step: 0};
  }

  // 12,000 → "12k"; 2.5e7 → "25M"; small numbers with the decimals their tick step needs.
  function fmtTick(v, step) {
    const a = Math.abs(v);
    if (a >= 1e6) return +(v / 1e6).toPrecision(3) + "M";
    if (a >= 1e3) return +(v / 1e3).toPrecision(3) + "k";
    if (v === 0) return "0";
    const d = step ? Math.max(0, -Math.floor(Math.log10(step))) : 2;
    return v.toFixed(Math.min(6, d));
  }

  function color(t) {  // t in [0, 1] → viridis
    const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1), i = Math.min(VIRIDIS.length - 2, Math.floor(u)), f = u - i;
    const a = hex(VIRIDIS[i]), b = hex(VIRIDIS[i + 1]);
    return [0, 1, 2].map(k => Math.round(a[k] + (b[k] - a[k]) * f));
  }

  function hex(h) { return [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16)); }

  class Axes {
    constructor(canvas, margin) {
      this.canvas = canvas;
      this.m = Object.assign({l: 62, r: 14, t: 12, b: 44}, margin || {});
    }

    // Size the canvas to its box (sharp on high-DPI screens) and clear it.
    begin(xlim, ylim, opts) {
      const c = this.canvas, dpr = window.devicePixelRatio || 1;
      const w = Math.max(200, c.clientWidth), h = Math.max(150, c.clientHeight);
      if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
        c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
      }
      const g = c.getContext("2d");
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, w, h);
      this.g = g; this.w = w; this.h = h;
      this.xlim = xlim; this.ylim = ylim; this.ylog = !!(opts && opts.ylog);
      this.pw = w - this.m.l - this.m.r; this.ph = h - this.m.t - this.m.b;
      return this;
    }

    X(v) { return this.m.l + (v - this.xlim[0]) / (this.xlim[1] - this.xlim[0]) * this.pw; }
    Y(v) {
      const [lo, hi] = this.ylim;
      const t = this.ylog ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
      return this.m.t + (1 - t) * this.ph;
    }
    invX(px) { return this.xlim[0] + (px - this.m.l) / this.pw * (this.xlim[1] - this.xlim[0]); }
    invY(py) {
      const t = 1 - (py - this.m.t) / this.ph, [lo, hi] = this.ylim;
      return this.ylog ? lo * Math.pow(hi / lo, t) : lo + t * (hi - lo);
    }
    inside(px, py) { return px >= this.m.l && px <= this.m.l + this.pw && py >= this.m.t && py <= this.m.t + this.ph; }

    frame(xlabel, ylabel, fmtX, fmtY, grid) {
      const g = this.g, xt = ticks(...this.xlim, Math.max(3, this.pw / 90));
      const yt = this.ylog ? logTicks(...this.ylim) : ticks(...this.ylim, Math.max(3, this.ph / 55));
      g.save();
      g.font = "12px system-ui, sans-serif"; g.fillStyle = "#444"; g.lineWidth = 1;
      g.strokeStyle = grid === false ? "rgba(0,0,0,0)" : "#e6e6e6";  // no grid over a heat map
      g.textAlign = "center"; g.textBaseline = "top";
      for (const v of xt.values) {
        const px = this.X(v);
        g.beginPath(); g.moveTo(px, this.m.t); g.lineTo(px, this.m.t + this.ph); g.stroke();
        g.fillText((fmtX || fmtTick)(v, xt.step), px, this.m.t + this.ph + 4);
      }
      g.textAlign = "right"; g.textBaseline = "middle";
      for (const v of yt.values) {
        const py = this.Y(v);
        g.beginPath(); g.moveTo(this.m.l, py); g.lineTo(this.m.l + this.pw, py); g.stroke();
        g.fillText((fmtY || fmtTick)(v, yt.step), this.m.l - 5, py);
      }
      g.strokeStyle = "#999"; g.strokeRect(this.m.l, this.m.t, this.pw, this.ph);
      g.textAlign = "center"; g.textBaseline = "bottom"; g.fillStyle = "#222";
      g.fillText(xlabel, this.m.l + this.pw / 2, this.h - 4);
      g.translate(13, this.m.t + this.ph / 2); g.rotate(-Math.PI / 2); g.textBaseline = "middle";
      g.fillText(ylabel, 0, 0);
      g.restore();
    }

    clip() { this.g.save(); this.g.beginPath(); this.g.rect(this.m.l, this.m.t, this.pw, this.ph); this.g.clip(); }
    unclip() { this.g.restore(); }

    line(xs, ys, style) {
      const g = this.g, s = Object.assign({color: "#000", width: 1.5, dash: []}, style);
      g.save(); g.strokeStyle = s.color; g.lineWidth = s.width; g.setLineDash(s.dash); g.globalAlpha = s.alpha || 1;
      g.beginPath();
      let pen = false;
      for (let i = 0; i < xs.length; i++) {
        const px = this.X(xs[i]), py = this.Y(ys[i]);
        if (!isFinite(px) || !isFinite(py)) { pen = false; continue; }
        // far-off points (a diverging path) are pulled in so the canvas still draws the segment's direction
        const cx = Math.max(-1e5, Math.min(1e5, px)), cy = Math.max(-1e5, Math.min(1e5, py));
        if (pen) g.lineTo(cx, cy); else g.moveTo(cx, cy);
        pen = true;
      }
      g.stroke(); g.restore();
    }

    points(xs, ys, r, color, alpha) {
      const g = this.g;
      g.save(); g.fillStyle = color; g.globalAlpha = alpha || 1;
      for (let i = 0; i < xs.length; i++) { g.beginPath(); g.arc(this.X(xs[i]), this.Y(ys[i]), r, 0, 2 * Math.PI); g.fill(); }
      g.restore();
    }

    marker(x, y, shape, color, size) {
      const g = this.g, px = this.X(x), py = this.Y(y), r = size || 6;
      g.save(); g.fillStyle = color; g.strokeStyle = shape === "ring" ? color : "#fff"; g.lineWidth = 1.5;
      g.beginPath();
      if (shape === "star") {
        for (let k = 0; k < 10; k++) {
          const a = -Math.PI / 2 + k * Math.PI / 5, rr = k % 2 ? r * 0.45 : r * 1.3;
          g.lineTo(px + rr * Math.cos(a), py + rr * Math.sin(a));
        }
        g.closePath(); g.fill(); g.stroke();
      } else if (shape === "square") {
        g.rect(px - r * 0.8, py - r * 0.8, r * 1.6, r * 1.6); g.fill(); g.stroke();
      } else if (shape === "ring") {
        g.arc(px, py, r, 0, 2 * Math.PI); g.lineWidth = 2.5; g.stroke();
      } else {
        g.arc(px, py, r, 0, 2 * Math.PI); g.fill(); g.stroke();
      }
      g.restore();
    }

    // The legend's words, also for a screen reader (and a test): the canvas itself is only pixels.
    label(items) {
      this.canvas.setAttribute("role", "img");
      this.canvas.setAttribute("aria-label", items.map(i => i.label).join("; "));
    }

    // items: [{label, color, kind: "line" | "dot" | "dash" | "star" | "square" | "ring"}]; corner "tl" | "tr" | "br" | "bl"
    legend(items, corner) {
      const g = this.g;
      this.label(items);
      g.save(); g.font = "12px system-ui, sans-serif";
      const wmax = Math.max(...items.map(i => g.measureText(i.label).width)) + 34, hh = 17 * items.length + 8;
      const left = (corner || "tl")[1] === "l", top = (corner || "tl")[0] === "t";
      const x0 = left ? this.m.l + 8 : this.m.l + this.pw - wmax - 8, y0 = top ? this.m.t + 8 : this.m.t + this.ph - hh - 8;
      g.fillStyle = "rgba(255,255,255,0.88)"; g.strokeStyle = "#ccc";
      g.fillRect(x0, y0, wmax, hh); g.strokeRect(x0, y0, wmax, hh);
      items.forEach((it, k) => {
        const y = y0 + 12 + 17 * k;
        g.strokeStyle = it.color; g.fillStyle = it.color; g.lineWidth = 2.5;
        if (it.kind === "line" || it.kind === "dash") {
          g.setLineDash(it.kind === "dash" ? [5, 3] : []);
          g.beginPath(); g.moveTo(x0 + 6, y); g.lineTo(x0 + 24, y); g.stroke(); g.setLineDash([]);
        } else {
          const save = [this.X, this.Y];
          this.X = () => x0 + 15; this.Y = () => y;
          this.marker(0, 0, it.kind === "dot" ? "circle" : it.kind, it.color, 4.5);
          [this.X, this.Y] = save;
        }
        g.fillStyle = "#222"; g.textBaseline = "middle"; g.textAlign = "left";
        g.fillText(it.label, x0 + 30, y);
      });
      g.restore();
    }

    // The same items in one row above the plot (inside the top margin), where they cover nothing;
    // kind "tick": a short upright mark, as drawn across the bars.
    legendRow(items) {
      const g = this.g;
      this.label(items);
      g.save(); g.font = "12px system-ui, sans-serif"; g.textBaseline = "middle"; g.textAlign = "left";
      let x = this.m.l;
      const y = Math.max(9, this.m.t / 2);
      for (const it of items) {
        g.fillStyle = it.color; g.strokeStyle = it.color; g.lineWidth = 2.5;
        if (it.kind === "line") { g.beginPath(); g.moveTo(x, y); g.lineTo(x + 16, y); g.stroke(); }
        else if (it.kind === "tick") g.fillRect(x + 7, y - 7, 2.5, 14);
        else g.fillRect(x + 3, y - 5, 10, 10);
        g.fillStyle = "#222"; g.fillText(it.label, x + 21, y);
        x += 21 + g.measureText(it.label).width + 18;
      }
      g.restore();
    }

    // z: rows over ys, columns over xs (z[i][j] at (xs[j], ys[i])); value(z) → [0, 1] colour position.
    heatmap(xs, ys, z, value) {
      const nx = xs.length, ny = ys.length, img = new ImageData(nx, ny);
      for (let i = 0; i < ny; i++) for (let j = 0; j < nx; j++) {
        const [r, gg, b] = color(value(z[i][j])), k = 4 * ((ny - 1 - i) * nx + j);
        img.data[k] = r; img.data[k + 1] = gg; img.data[k + 2] = b; img.data[k + 3] = 255;
      }
      const off = document.createElement("canvas");
      off.width = nx; off.height = ny; off.getContext("2d").putImageData(img, 0, 0);
      const g = this.g, dx = (xs[1] - xs[0]) / 2, dy = (ys[1] - ys[0]) / 2;
      const x0 = this.X(xs[0] - dx), x1 = this.X(xs[nx - 1] + dx), y0 = this.Y(ys[ny - 1] + dy), y1 = this.Y(ys[0] - dy);
      g.save(); g.imageSmoothingEnabled = true; g.drawImage(off, x0, y0, x1 - x0, y1 - y0); g.restore();
    }

    // Contour lines of z at `level` by marching squares, as segments in data coordinates.
    contour(xs, ys, z, level, style) {
      const g = this.g, s = Object.assign({color: "#fff", width: 1}, style);
      g.save(); g.strokeStyle = s.color; g.lineWidth = s.width; g.globalAlpha = s.alpha || 0.85; g.beginPath();
      const at = (i0, j0, i1, j1) => {  // the point on edge (i0,j0)–(i1,j1) where z crosses level
        const a = z[i0][j0], b = z[i1][j1], f = (level - a) / (b - a);
        return [this.X(xs[j0] + f * (xs[j1] - xs[j0])), this.Y(ys[i0] + f * (ys[i1] - ys[i0]))];
      };
      for (let i = 0; i + 1 < ys.length; i++) for (let j = 0; j + 1 < xs.length; j++) {
        const c = [[i, j], [i, j + 1], [i + 1, j + 1], [i + 1, j]];
        const pts = [];
        for (let k = 0; k < 4; k++) {
          const [p, q] = [c[k], c[(k + 1) % 4]], above = z[p[0]][p[1]] >= level;
          if (above !== (z[q[0]][q[1]] >= level)) pts.push(at(p[0], p[1], q[0], q[1]));
        }
        for (let k = 0; k + 1 < pts.length; k += 2) { g.moveTo(...pts[k]); g.lineTo(...pts[k + 1]); }
      }
      g.stroke(); g.restore();
    }
  }

  return {Axes, ticks, fmtTick, color};
})();
