"""Text views of the error surface, the 1-D curves and a loss landscape (`viewcast surface`)."""
from __future__ import annotations

from rich.text import Text

from ...text.fmt import coord, num
from .tables import table

OUTCOMES = {"local": "stopped (slope 0) above the global minimum", "global": "reached the global minimum",
            "moving": "still moving", "diverged": "diverged"}


def surfaces(res) -> list:
    out = []
    for x in res.surfaces:
        u = "views" if x.loss == "mae" else "views²"
        units = "standard units" if x.normalize else "raw views"
        cw, cb = x.cells_off
        out += table(f"{x.loss.upper()} error surface of linear:1 on {res.source} ({units}; {res.split.describe()})",
                     [("", "left"), ("w", "right"), ("b", "right"), (f"L ({u})", "right"), ("", "left")],
                     [["exact optimum", f"{x.exact.w:.4f}", f"{x.exact.b:,.4g}", num(x.exact.loss),
                       "LAD (an LP)" if x.loss == "mae" else "least squares"],
                      [f"grid minimum ({len(x.w)}×{len(x.b)})", f"{x.grid_min.w:.4f}", f"{x.grid_min.b:,.4g}",
                       num(x.grid_min.loss), f"{cw:.1f}, {cb:.1f} cells off"],
                      ["the book's", f"{x.book.w:.4f}", f"{x.book.b:,.4g}", num(x.book.loss), "its channel"]])
        rows = []
        for p in x.paths:
            gap = f"{100 * (p.loss[-1] / x.exact.loss - 1):.2f}%" if p.diverged_at is None else "—"
            rows.append([f"{p.lr:g}", f"{p.w[-1]:.4g}", f"{p.b[-1]:,.4g}", num(p.loss[-1]), gap, p.status])
        units = ("; η in standard units (each step taken in views minus the mean, over their standard deviation), "
                 "the path shown in views" if x.paths and x.paths[0].standard else "")
        start = f"({coord(x.paths[0].w[0], x.w[-1] - x.w[0])}, {coord(x.paths[0].b[0], x.b[-1] - x.b[0])})"
        out += table(f"gradient descent from {start}{units}",
                     [("η", "right"), ("ends at w", "right"), ("b", "right"), (f"L ({u})", "right"), ("over L*", "right"),
                      ("status", "left")], rows, keys=(0,))
        if x.condition is not None:
            out.append(f"MSE's bowl: Hessian eigenvalues ratio {x.condition:,.3g} "
                       f"({'a long narrow valley' if x.condition > 100 else 'round'}); "
                       f"gradient descent converges only for η < 2/λmax = {x.max_stable_lr:.3g}.")
        if not x.normalize and not any(p.within_at is not None for p in x.paths):
            out.append(Text("In raw views w's slope is ~x̄ ≈ 10⁴ times b's: an η small enough for w barely moves b, so GD "
                            "stalls on the valley floor near b ≈ 0 (where the book's w ≈ 0.97 lies). "
                            "Standard units make the bowl round.", style="dim"))
    return out


def curves(res) -> list:
    out = []
    for c in res.curves:
        gw, gl = c.global_min
        rows = [[f"{r.start:.4g}", f"{r.lr:g}", str(len(r.loss) - 1), f"{r.theta[-1]:.4g}", num(r.loss[-1]),
                 f"{r.slope[-1]:.3g}", OUTCOMES[r.outcome]] for r in c.runs]
        out += table(f"{c.title}; global minimum L={num(gl)} at {c.param}={gw:.4g}",
                     [("start", "right"), ("η", "right"), ("updates", "right"), ("ends at", "right"), ("L", "right"),
                      ("slope there", "right"), ("outcome", "left")], rows, keys=())
    return out


def landscape(res) -> list:
    la = res.landscape
    what = "a curve along one" if la.beta is None else "a surface over two"
    return [f"{la.model} ({la.params:,} parameters) on {res.source}: {la.loss.upper()} as {what} filter-normalized "
            f"random direction(s) around the trained θ* (L = {num(la.center)}); "
            f"range {num(float(la.L.min()))}…{num(float(la.L.max()))}.",
            f"L curves downward along some line at {num(100 * la.nonconvex)}% of the grid's points"
            + (" — not a bowl." if la.nonconvex > 0.01 else " — a bowl (convex) along these directions.")]
