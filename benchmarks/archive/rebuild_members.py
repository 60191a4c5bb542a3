"""Which part of a rule's seed-to-seed spread is the weights and which the refits (issue 13)? From
selector_study.py runs made before seed streams (seed s: validation seeds s and s+1, refit members s … s+8,
each file keeping the means of its first 1, 3, 5 and 9 members), rebuild single members exactly: the
means are sums in the scaled space (views, or log(1 + views) for +log), so member s is file s's first,
and the rest follow by differences (members 0–8 and 12 alone, 9–11 as one sum). That gives three runs
that share no network — validation seeds {0,1}, {2,3}, {4,5} (files 0, 2, 4) with refits of members
0–3, 4–7, 8–11 — and each part is varied with the other held fixed.

    python benchmarks/rebuild_members.py /work/study/{A,B}_{0,1,2,3,4}.npz [--rules soft ratio tie]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import selector_study as st  # noqa: E402


def members(docs: list[dict]) -> tuple[dict[int, np.ndarray], np.ndarray, np.ndarray]:
    """{member: (series, candidates, days) in the scaled space}, the sum of members 9–11, and `islog`."""
    islog = np.array(["+log" in str(x) for x in docs[0]["labels"]])[None, :, None]
    g = lambda p: np.where(islog, np.log1p(np.maximum(p, -0.999)), p)  # noqa: E731
    S = [{int(k): int(k) * g(d["pred"][:, :, i]) for i, k in enumerate(d["sizes"])} for d in docs]
    m = {s: S[s][1] for s in range(5)}
    m[5] = S[3][3] - m[3] - m[4]
    m[6] = S[4][3] - m[4] - m[5]
    m[7] = S[3][5] - sum(m[i] for i in range(3, 7))
    m[8] = S[4][5] - sum(m[i] for i in range(4, 8))
    rest = S[3][9] - sum(m[i] for i in range(3, 9))  # members 9 + 10 + 11
    for got, want in ((m[0] + m[1] + m[2], S[0][3]), (sum(m[i] for i in range(1, 6)), S[1][5]),
                      (sum(m[i] for i in range(9)), S[0][9])):  # sums the rebuild did not use
        assert np.allclose(got, want, rtol=1e-9, atol=1e-9), "these files are not one seed numbering's"
    return m, rest, islog


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+", help="selector_study.py files of seeds 0–4, made before seed streams")
    ap.add_argument("--rules", nargs="*", default=["soft", "ratio", "tie"])
    a = ap.parse_args()
    docs = st.merged(a.files)
    assert [int(d["seed"]) for d in docs] == [0, 1, 2, 3, 4], "needs the runs of seeds 0–4"
    names, labels, y = list(docs[0]["names"]), docs[0]["labels"], docs[0]["y"]
    m, rest, islog = members(docs)
    inv = lambda x: np.where(islog, np.expm1(np.minimum(x, 50)), x)  # noqa: E731
    refits = [inv(sum(m[i] for i in range(4)) / 4), inv(sum(m[i] for i in range(4, 8)) / 4), inv((m[8] + rest) / 4)]
    vals = [docs[0]["val"], docs[2]["val"], docs[4]["val"]]  # validation seeds {0,1}, {2,3}, {4,5}

    def maes(rule: str, val: np.ndarray, pred: np.ndarray) -> np.ndarray:
        out = []
        for j in range(len(names)):
            w = st.weights(val[j], rule, docs[0]["params"], labels)
            out.append(np.mean(np.abs(sum(wi * pred[j, c] for c, wi in enumerate(w) if wi) - y[j])))
        return np.array(out)

    def said(x: np.ndarray) -> str:
        sp = x.max(0) / x.min(0) - 1
        return ", ".join(f"{names[i][5:]} {100 * sp[i]:.1f}%" for i in np.argsort(-sp)[:3])

    print("three runs sharing no network: validation seeds {0,1}, {2,3}, {4,5}; refits of members 0–3, 4–7, 8–11")
    for rule in a.rules:
        both = np.array([maes(rule, v, p) for v, p in zip(vals, refits)])
        fixed_w = np.array([maes(rule, vals[0], p) for p in refits])
        fixed_r = np.array([maes(rule, v, refits[0]) for v in vals])
        print(f"{rule}: both vary: {said(both)} | weights fixed (validation seeds 0, 1), refits vary: "
              f"{said(fixed_w)} | refits fixed (members 0–3), weights vary: {said(fixed_r)}")


if __name__ == "__main__":
    main()
