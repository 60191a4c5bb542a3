"""No summary sentence contradicts the numbers printed with it, on all 21 built-in
series: the ladder's story and the diagnosis' sentences (with every verdict's reason). Each claim a
sentence makes is checked twice: against the number it prints (looked up here, independently, in the
results) and, for the headline words ("More days help", "differ", "passes"), against the results directly.

The ladder rows and the full diagnoses are cached (tests/fixtures/, see regen.py: training 21 ladders takes
an hour); a second diagnosis of every series with two linear models is computed here, live.
"""
import json
import math
import re
from pathlib import Path

import pytest

from viewcast import api
from viewcast.book.ladder import Row
from viewcast.book.story import sentences as story_sentences
from viewcast.data import builtin, load_series
from viewcast.diagnosis import DiagnoseConfig
from viewcast.diagnosis.verdicts import Thresholds
from viewcast.text.verdicts import reason
from viewcast.text.claims import Claim, Num, Sentence
from viewcast.cli.views.diagnose import all_sentences
from viewcast.text.fmt import num, scale_of
from viewcast.train import TrainConfig

FIXTURES = Path(__file__).parent / "fixtures"
NAMES = builtin.names()


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def test_fixtures_cover_every_built_in_series():
    assert len(NAMES) == 21
    assert set(load("ladder_rows.json")) == set(NAMES) == set(load("diagnoses.json"))


# ------------------------------------------------------------------ the ladder's story
def ladder_value(label: str, by: dict) -> float:
    what, who = label.split(" ", 1)
    attr = "train_mae" if what == "L" else "test_mae"
    m = re.fullmatch(r"(min|max)\((.*)\)", who)
    if m:
        return (min if m[1] == "min" else max)(getattr(by[x], attr) for x in m[2].split("|"))
    return getattr(by[who], attr)


def printed(rows, model, attr, sc) -> float:
    """A loss as the table prints it (and as a reader reads it)."""
    return float(num(getattr(next(r for r in rows if r.model == model), attr), sc).replace(",", ""))


@pytest.mark.parametrize("name", NAMES)
def test_story_follows_from_its_numbers(name):
    rows = [Row(**r) for r in load("ladder_rows.json")[name]["rows"]]
    sc = scale_of([r.train_mae for r in rows] + [r.test_mae for r in rows])
    by = {r.model: r for r in rows}
    said = story_sentences(rows)
    assert len(said) == 3
    for s in said:
        assert isinstance(s, Sentence) and s.claims and not s.problems(), (str(s), s.problems())
        for c in s.claims:
            for n in (c.a, c.b):
                assert n.text == num(ladder_value(n.label, by), sc), (n, s)
    # the headline words, straight from the rows
    T = [printed(rows, f"linear:{k}", "test_mae", sc) for k in (1, 7, 28, 56)]
    days = str(said[0])
    if days.startswith("More days help:"):
        assert T[0] > T[1] > T[2] > T[3]
    elif days.startswith("More days help up to"):
        k = int(re.match(r"More days help up to (\d+) days", days)[1])
        assert T[(1, 7, 28, 56).index(k)] == min(T) < T[0]
    elif days.startswith("More days do not help"):
        assert T[0] == min(T)
    else:
        assert days.startswith("More days help, though not at every step") and T[3] == min(T) < T[0]
    units = str(said[1])
    relus = ("relu:56x10", "relu:56x100", "relu:56x1000")
    if units.startswith("All 3 ReLU nets fit the training days better"):
        assert all(printed(rows, m, "train_mae", sc) < printed(rows, "linear:56", "train_mae", sc) for m in relus)
    if "all predict the test days better" in units:
        assert all(printed(rows, m, "test_mae", sc) < printed(rows, "linear:56", "test_mae", sc) for m in relus)
    if units.startswith("No ReLU net fits"):
        assert all(printed(rows, m, "train_mae", sc) >= printed(rows, "linear:56", "train_mae", sc) for m in relus)
    layers = str(said[2])
    depths = [int(x) for x in re.findall(r"\d", re.match(r"Deeper nets: test L′ is lowest at ([\d, and]+) layer", layers)[1])]
    c = ["relu:56x100"] + [f"relu:56x100x{n}" for n in (2, 3, 4, 5)]
    lt = [printed(rows, m, "test_mae", sc) for m in c]
    assert [i + 1 for i, v in enumerate(lt) if v == min(lt)] == depths
    depth = depths[0]
    if "overfitting" in layers:
        best_l = printed(rows, c[depth - 1], "train_mae", sc)
        assert any(printed(rows, m, "train_mae", sc) <= 1.05 * best_l and printed(rows, m, "test_mae", sc) > lt[depth - 1]
                   for m in c[depth:])


def test_story_says_nothing_it_cannot_show():
    """A made-up ladder where more days fit better but predict worse (wiki:Easter's L′ 218 → 225)."""
    mk = lambda t, m, tr, te: Row(t, m, 1, tr, te, None, None, None, "", 0.0)  # noqa: E731
    rows = [mk("A", "linear:1", 900, 240), mk("A", "linear:7", 500, 230), mk("A", "linear:28", 400, 218),
            mk("A", "linear:56", 390, 225)]
    s = story_sentences(rows)[0]
    assert s.startswith("More days help up to 28 days") and "lowest with 28 days" in s and not s.problems()
    rows[1:] = [mk("A", "linear:7", 500, 250), mk("A", "linear:28", 400, 260), mk("A", "linear:56", 390, 270)]
    s = story_sentences(rows)[0]
    assert s.startswith("More days do not help on the test days") and not s.problems()


def test_a_false_claim_is_not_said():
    from viewcast.book.story import story

    a, b = Num("L linear:1", "1,574"), Num("L linear:7", "681")
    bad = Sentence(f"More days hurt: {a} → {b}.", [Claim(b, ">", a)])
    assert bad.problems() and story([]) == []
    from viewcast.text.claims import said

    assert said([bad, "plain text"]) == ["plain text"]


# ------------------------------------------------------------------ the diagnosis' sentences
def check_reasons(doc: dict) -> int:
    """Every verdict's reason: its claims hold and print the verdict's own numbers."""
    th = Thresholds(**doc["thresholds"])
    n = 0
    for m in doc["models"]:
        for v in m["verdicts"]:
            nums = v["numbers"]
            r = reason(v["verdict"], nums, th)
            assert not r.problems(), (m["model"], str(r), r.problems())
            for c in r.claims:
                for x in (c.a, c.b):
                    if x.label in ("p_block",):
                        assert x.text == f"{nums['p_block']:.3f}"
                    elif x.label == "alpha":
                        assert x.value == th.alpha
                    elif x.label == "exact_gap_limit":
                        assert x.value == th.exact_gap_pct
                    elif x.label == "exact_gap_pct":
                        assert x.text == f"{nums['exact_gap_pct']:.1f}"
                    else:
                        assert x.text == num(nums[x.label], nums["naive_train"]), (x, nums)
                n += 1
            ratio = nums.get("test_over_val")
            if v["verdict"] == "ok" and ratio is not None and ratio >= th.mismatch_ratio:
                assert f"{ratio:.1f}× its validation loss" in r and "no mismatch is claimed" in r
            if v["verdict"] == "ok":
                assert "test" in r and num(nums["test"], nums["naive_train"]) in r
    return n


def check_sentences(doc: dict) -> list[str]:
    """The gap, the two periods and the overall sentence: claims against the results, then the words."""
    th = Thresholds(**doc["thresholds"])
    out = all_sentences(doc)
    t, ov = doc["mismatch"]["target"], doc["overall"]
    pts = {p["model"]: p["gap"] for p in (ov.get("gap_growth") or {}).get("points", [])}
    L = doc["loss"]
    gsc = scale_of([m["train"][L] for m in doc["models"]] + [m["val"][L] for m in doc["models"]]) if pts else None
    msc = scale_of([t.get("mean_abs_a"), t.get("mean_abs_b")])
    for s in out:
        if not isinstance(s, Sentence):
            continue
        assert not s.problems(), (str(s), s.problems())
        for c in s.claims:
            for x in (c.a, c.b):
                lab = x.label
                if lab in ("ks_p_block", "wasserstein_p_block"):
                    assert x.text == f"{t[lab]:.3f}"
                elif lab in ("mean_abs_a", "mean_abs_b"):
                    assert x.text == num(t[lab], msc)
                elif lab == "alpha":
                    assert x.value == th.alpha
                elif lab == "rho":
                    assert x.text == f"{ov['gap_growth']['spearman']:.2f}"
                elif lab.startswith("gap "):
                    assert x.text == num(pts[lab[4:]], gsc)
                elif lab.startswith("models with "):
                    assert x.value == len(ov["by_verdict"][lab[12:]])
    text = [str(s) for s in out]
    shift = next((s for s in text if "the training period's" in s), None)
    if shift is not None:
        k, w = t["ks_p_block"] < th.alpha, t["wasserstein_p_block"] < th.alpha
        assert shift.startswith("The test period's views differ from the training period's (") == (k and w)
        assert ("period's by the KS test" in shift) == (k and not w)
        assert ("period's by the Wasserstein distance" in shift) == (w and not k)
        assert shift.startswith("These tests do not show") == (not k and not w)
        if "the mean rises" in shift:
            assert float(num(t["mean_abs_b"], msc).replace(",", "")) > float(num(t["mean_abs_a"], msc).replace(",", ""))
    overall = text[-1]
    best = ov["best_model"]
    own = {v["verdict"] for m in doc["models"] if m["model"] == best for v in m["verdicts"]}
    assert overall.startswith(f"Overall: validation would choose {best}, which ")
    claimed = overall.split(";")[0]
    assert ("passes the chapter-2 checks" in claimed) == (own == {"ok"})
    for kind, label in (("mismatch", "mismatch"), ("overfitting", "overfitting"), ("model_bias", "model bias")):
        assert (label in claimed) == (kind in own), (overall, own)  # the chosen model's own verdicts, no other
    return text


@pytest.mark.parametrize("name", NAMES)
def test_cached_diagnosis_sentences_follow_from_their_numbers(name):
    doc = load("diagnoses.json")[name]
    assert check_reasons(doc) >= 1
    check_sentences(doc)


@pytest.fixture(scope="module")
def live():
    """Every built-in series diagnosed now with two linear models (about a second each)."""
    out = {}
    for name in NAMES:
        d = api.diagnose(load_series(name), ["linear:7", "linear:56"], "holdout:0.1", TrainConfig(epochs=30),
                         dconfig=DiagnoseConfig(permutations=199))
        out[name] = d
    return out


@pytest.mark.slow
def test_live_diagnoses_follow_from_their_numbers(live):
    for name, d in live.items():
        doc = d.as_dict()
        check_reasons(doc)
        text = check_sentences(doc)
        assert [str(s) for s in all_sentences(d)] == text  # the Diagnosis and its JSON say the same
        for m, md in zip(d.models, doc["models"]):  # the JSON's reasons are the ones made from the numbers
            for v, vd in zip(m.verdicts, md["verdicts"]):
                assert vd["reason"] == str(reason(v.verdict, v.numbers, d.dconfig.thresholds))


def test_ok_with_a_large_test_loss_says_so():
    """wiki:Elizabeth_II-like: validation fine, test 14× worse, not beyond chance: 'ok' says all of it."""
    nums = {"train": 7000.0, "val": 8000.0, "test": 112000.0, "test_over_val": 14.0, "p_block": 0.21, "naive_train": 9000.0}
    r = reason("ok", nums, Thresholds())
    assert "14.0× its validation loss" in r and "p = 0.210 ≥ 0.05" in r and not r.problems()


def test_overall_names_the_chosen_models_own_verdict():
    """The chosen model is ok; most models carry a mismatch: both said, each of its own."""
    ok = {"verdict": "ok", "confidence": 0.5, "numbers": {"train": 1.0, "val": 1.0, "test": 14.0, "test_over_val": 14.0,
                                                           "p_block": 0.2, "naive_train": 1.0}, "reason": ""}
    mm = {"verdict": "mismatch", "confidence": 0.9, "numbers": {"val": 1.0, "test": 9.0, "test_over_val": 9.0,
                                                                 "p_block": 0.001, "naive_train": 1.0}, "reason": ""}
    doc = {"thresholds": vars(Thresholds()), "loss": "mae",
           "models": [{"model": "linear:7", "verdicts": [ok]}, {"model": "linear:56", "verdicts": [mm]},
                      {"model": "relu:56x100", "verdicts": [mm]}],
           "overall": {"verdict": "ok", "best_model": "linear:7",
                       "verdicts": [{"verdict": "mismatch", "confidence": 0.67, "model": None}],
                       "by_verdict": {"mismatch": ["linear:56", "relu:56x100"]}},
           "mismatch": {"target": {"ks": math.nan}}}
    overall = check_sentences(doc)[-1]
    assert overall.startswith("Overall: validation would choose linear:7, which passes the chapter-2 checks")
    assert "2 of 3 models show a [bold]mismatch[/]" in overall
