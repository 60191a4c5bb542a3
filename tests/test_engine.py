"""The one training engine: members trained together are each trained exactly as they would be alone."""
import math

import numpy as np
import pandas as pd
import pytest
import torch

from viewcast import models
from viewcast.data.series import DailySeries
from viewcast.features import Prepared, Scaler, choose_split, encode, make_windows, prepare
from viewcast.train import Member, StopReason, TrainConfig, fit, pack, train
from viewcast.train.members import predict_members

from conftest import weekly_series


@pytest.fixture(scope="module")
def data():
    s = DailySeries("weekly", weekly_series(500), pd.Timestamp("2020-01-01"))
    return prepare(s, 7, choose_split(s))


def plain_pytorch(spec: str, X: np.ndarray, y: np.ndarray, seed: int, steps: int, lr: float = 0.01) -> torch.nn.Module:
    """The reference: an nn.Module, torch.optim.Adam, full batch, cosine LambdaLR — nothing of viewcast's engine."""
    torch.manual_seed(seed)
    m = models.build(spec)
    Xt, yt = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32)
    opt = torch.optim.Adam(m.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.5 * (1 + math.cos(math.pi * min(t, steps) / steps)))
    for _ in range(steps):
        opt.zero_grad()
        (m(Xt) - yt).abs().mean().backward()
        opt.step()
        sched.step()
    return m


def _inputs(data, rows=None):
    w = data.train if rows is None else data.train.take(rows)
    return encode(w.X, w.dates, data.scaler, False), data.scaler.transform(w.y)


@pytest.mark.parametrize("spec", ["linear:7", "relu:7x16x2", "sigmoid:7x8"])
def test_one_member_equals_plain_pytorch(data, spec):
    r = fit(spec, data, TrainConfig(epochs=120, seed=3))
    ref = plain_pytorch(spec, *_inputs(data), seed=3, steps=120)
    for a, b in zip(ref.state_dict().values(), r.model.state_dict().values()):
        assert torch.allclose(a, b, rtol=1e-5, atol=1e-6)
    assert r.updates == 120 and r.stop.reason is StopReason.UPDATES


def test_m_members_equal_m_one_member_runs(data):
    n = len(data.train)
    folds = [np.arange(0, n - 100), np.arange(100, n), np.r_[0:150, 250:n]]
    members = [Member(data.train, tr, np.arange(0), Scaler.fit(data.train.y[tr]), seed=s)
               for tr, s in zip(folds, (0, 1, 2))]
    cfg = TrainConfig(epochs=80)
    together = train("relu:7x16", pack(members), cfg)
    for i, (tr, seed) in enumerate(zip(folds, (0, 1, 2))):
        alone = train("relu:7x16", pack([members[i]]), cfg)
        for a, b in zip(together.net.W + together.net.b, alone.net.W + alone.net.b):
            assert torch.allclose(a[i], b[0], rtol=1e-4, atol=1e-5)
        # and the one-member run is the plain PyTorch loop on that fold
        sc = members[i].scaler
        w = data.train.take(tr)
        ref = plain_pytorch("relu:7x16", sc.transform(w.X), sc.transform(w.y), seed, 80)
        assert torch.allclose(ref.hidden[0].weight, alone.net.module(0).hidden[0].weight, rtol=1e-5, atol=1e-6)


def test_a_diverging_member_is_frozen_and_the_others_finish():
    rng = np.random.default_rng(0)
    base = rng.normal(0, 1, 300)
    calm = make_windows(base, 3, pd.Timestamp("2021-01-01"))
    wild = make_windows(base * 30.0, 3, pd.Timestamp("2021-01-01"))  # ×30: a Hessian 900× larger
    idx = np.arange(len(calm))
    members = [Member(calm, idx, np.arange(0), Scaler.identity(), 0), Member(wild, idx, np.arange(0), Scaler.identity(), 0)]
    cfg = TrainConfig(loss="mse", optimizer="gd", lr=0.2, epochs=300, schedule="constant", grad_tol=0.0)
    res = train("linear:3", pack(members), cfg)
    calm_stop, wild_stop = res.stops
    assert wild_stop.reason is StopReason.DIVERGED and wild_stop.update < 50
    assert not math.isfinite(wild_stop.loss)
    assert calm_stop.reason is StopReason.UPDATES and calm_stop.update == 300
    # the frozen member kept finite weights; its history ends where it diverged
    assert all(torch.isfinite(t[1]).all() for t in res.net.W + res.net.b)
    assert np.isfinite(res.history["train"][1, :wild_stop.update]).all()
    assert np.isnan(res.history["train"][1, wild_stop.update:]).all()
    # the calm member reached the least-squares optimum as if alone
    alone = train("linear:3", pack([members[0]]), cfg)
    assert torch.allclose(res.net.W[0][0], alone.net.W[0][0], rtol=1e-5, atol=1e-6)


def test_a_member_of_a_deep_stack_diverging_does_not_stop_the_others():
    """A hidden layer's weights are saved for the backward pass: freezing the diverged member must not
    rewrite them before it (it did: 'modified by an inplace operation', the whole run lost)."""
    rng = np.random.default_rng(0)
    base = rng.normal(0, 1, 300)
    calm = make_windows(base, 3, pd.Timestamp("2021-01-01"))
    wild = make_windows(base * 3000.0, 3, pd.Timestamp("2021-01-01"))
    idx = np.arange(len(calm))
    members = [Member(calm, idx, np.arange(0), Scaler.identity(), 0), Member(wild, idx, np.arange(0), Scaler.identity(), 0)]
    cfg = TrainConfig(loss="mse", optimizer="gd", lr=0.2, epochs=100, schedule="constant", grad_tol=0.0)
    res = train("relu:3x4", pack(members), cfg)
    assert [s.reason for s in res.stops] == [StopReason.UPDATES, StopReason.DIVERGED]
    assert all(torch.isfinite(t[1]).all() for t in res.net.W + res.net.b)
    alone = train("relu:3x4", pack([members[0]]), cfg)
    for a, b in zip(res.net.W + res.net.b, alone.net.W + alone.net.b):
        assert torch.allclose(a[0], b[0], rtol=1e-4, atol=1e-5)


def test_a_member_with_fewer_rows_gets_no_empty_batch():
    """Two members, 300 and 200 training rows, batches of 32: the epoch has 10 batches (the larger
    member's); the smaller one's 200 rows are spread over all 10 (20 each), so it trains every update —
    it was stopped as a 'critical point' by its first empty batch, a zero gradient."""
    rng = np.random.default_rng(0)
    w = make_windows(rng.normal(0, 1, 310), 3, pd.Timestamp("2021-01-01"))
    members = [Member(w, np.arange(300), np.arange(0), Scaler.identity(), 0),
               Member(w, np.arange(200), np.arange(0), Scaler.identity(), 1)]
    res = train("relu:3x4", pack(members), TrainConfig(epochs=8, batch_size=32))
    assert [s.reason for s in res.stops] == [StopReason.UPDATES, StopReason.UPDATES]
    assert res.passes.tolist() == [300.0 * 8, 200.0 * 8]
    assert np.isfinite(res.history["train"]).all() and (res.history["grad_norm"] > 0).all()
    alone = train("relu:3x4", pack(members[:1]), TrainConfig(epochs=8, batch_size=32))  # the larger is as alone
    assert torch.allclose(res.net.W[0][0], alone.net.W[0][0], rtol=1e-4, atol=1e-5)
    # 8 rows for 10 batches: two rows come twice, no batch is empty
    tiny = Member(w, np.arange(8), np.arange(0), Scaler.identity(), 2)
    res = train("relu:3x4", pack([members[0], tiny]), TrainConfig(epochs=8, batch_size=32))
    assert [s.reason for s in res.stops] == [StopReason.UPDATES, StopReason.UPDATES]
    assert res.passes.tolist() == [300.0 * 8, 10.0 * 8]


def test_a_member_without_validation_rows_has_no_validation_loss_beside_one_with_them():
    rng = np.random.default_rng(0)
    w = make_windows(rng.normal(0, 1, 200), 3, pd.Timestamp("2021-01-01"))
    members = [Member(w, np.arange(150), np.arange(150, 197), Scaler.identity(), 0),
               Member(w, np.arange(150), np.arange(0), Scaler.identity(), 1)]
    res = train("linear:3", pack(members), TrainConfig(epochs=20))
    assert np.isfinite(res.history["val"][0]).all() and np.isnan(res.history["val"][1]).all()


def test_per_member_early_stopping_restores_each_members_own_best(data):
    n = len(data.train)
    members = [Member(data.train, np.arange(0, n - 80), np.arange(n - 80, n), Scaler.fit(data.train.y[:n - 80]), 0),
               Member(data.train, np.arange(80, n), np.arange(0, 80), Scaler.fit(data.train.y[80:]), 5)]
    batch = pack(members)
    res = train("relu:7x64x2", batch, TrainConfig(epochs=600, early_stop=25, lr=0.05))
    preds = predict_members(res.net, members, batch)
    best = []
    for i, m in enumerate(members):
        h = res.history["val"][i]
        assert res.stops[i].reason is StopReason.EARLY_STOP
        assert res.best_update[i] == np.nanargmin(h)
        assert res.stops[i].update == res.best_update[i] + 25  # stopped `patience` updates after its best
        # the kept weights are those of its best update: their validation MAE is the history's minimum
        val_mae = np.mean(np.abs(preds[i][m.val_idx] - m.windows.y[m.val_idx]))
        assert val_mae == pytest.approx(np.nanmin(h), rel=1e-3)
        best.append(res.best_update[i])
    assert best[0] != best[1]  # each member its own


def test_same_seed_same_result_other_seed_differs(data):
    n = len(data.train)
    m = [Member(data.train, np.arange(n - 50), np.arange(n - 50, n), data.scaler, s) for s in (0, 1)]
    a = train("relu:7x8", pack(m), TrainConfig(epochs=30))
    b = train("relu:7x8", pack(m), TrainConfig(epochs=30))
    assert all(torch.equal(x, y) for x, y in zip(a.net.W + a.net.b, b.net.W + b.net.b))
    assert not torch.equal(a.net.W[0][0], a.net.W[0][1])  # different seeds, different starts


def test_mini_batches_follow_each_members_own_seed(data):
    """sgd with mini-batches: each member draws its batches from its own generator, as if alone."""
    n = len(data.train)
    mk = lambda s: Member(data.train, np.arange(n), np.arange(0), data.scaler, s)  # noqa: E731
    cfg = TrainConfig(optimizer="sgd", batch_size=32, epochs=5)
    both = train("relu:7x8", pack([mk(0), mk(1)]), cfg)
    one = train("relu:7x8", pack([mk(1)]), cfg)
    assert torch.allclose(both.net.W[0][1], one.net.W[0][0], rtol=1e-4, atol=1e-6)


def test_a_finished_member_leaves_the_stack_without_changing_the_others(data):
    """Members that stop early are dropped from the stack (compaction); the rest train on unchanged."""
    n = len(data.train)
    members = [Member(data.train, np.arange(n - 60), np.arange(n - 60, n), data.scaler, s) for s in range(10)]
    cfg_short, cfg_long = TrainConfig(epochs=200, early_stop=3, lr=0.05), TrainConfig(epochs=200, lr=0.05)
    res = train("relu:7x8", pack(members), cfg_short)
    assert all(s.reason in (StopReason.EARLY_STOP, StopReason.UPDATES) for s in res.stops)
    for i in (0, 9):
        alone = train("relu:7x8", pack([members[i]]), cfg_short)
        assert alone.stops[0].update == res.stops[i].update
        assert torch.allclose(alone.net.W[0][0], res.net.W[0][i], rtol=1e-4, atol=1e-5)
    assert cfg_long.early_stop is None


def test_folds_together_equal_folds_one_by_one(data):
    n = len(data.train)
    folds = [(np.r_[0:100, 200:n], np.arange(100, 200)), (np.arange(0, n - 100), np.arange(n - 100, n))]
    cfg = TrainConfig(epochs=60)
    members = [Member(data.train, tr, va, Scaler.fit(data.train.y[tr]), 0) for tr, va in folds]
    batch = pack(members)
    res = train("relu:7x8", batch, cfg)
    preds = predict_members(res.net, members, batch)
    for i, (tr, va) in enumerate(folds):
        own = Prepared(7, data.train.take(tr), data.test, Scaler.fit(data.train.y[tr]), data.split)
        r = fit("relu:7x8", own, cfg, val=data.train.take(va))
        assert np.mean(np.abs(preds[i][va] - data.train.y[va])) == pytest.approx(r.val["mae"], rel=1e-4)


@pytest.mark.parametrize("spec,extra", [("linear:7", 0), ("relu:7x16x2", 7), ("sigmoid:3x4", 0), ("hardsigmoid:5x3x3", 0)])
def test_initial_weights_are_those_of_models_build_after_manual_seed(spec, extra):
    """Drawn from a generator per member, they are still the very numbers a plain PyTorch user gets."""
    from viewcast.train.stacked import StackedNet

    net = StackedNet.init(spec, [0, 5], extra_inputs=extra)
    for i, seed in enumerate((0, 5)):
        torch.manual_seed(seed)
        ref = models.build(spec, extra_inputs=extra)
        got = net.module(i)
        assert all(torch.equal(a, b) for a, b in zip(ref.state_dict().values(), got.state_dict().values()))


def test_training_leaves_torchs_global_state_as_it_was(data):
    """Initial weights and dropout masks come from the run's own generators, and the thread count a stack
    of small members trains with is given back: the caller's torch is as it was, and its global seed
    changes nothing."""
    n = len(data.train)
    members = [Member(data.train, np.arange(n - 50), np.arange(n - 50, n), data.scaler, s) for s in (0, 1)]
    cfg = TrainConfig(epochs=20, dropout=0.3, early_stop=5)
    threads = torch.get_num_threads()
    torch.manual_seed(123)
    before = torch.get_rng_state()
    a = train("relu:7x8x2", pack(members), cfg)
    assert torch.equal(torch.get_rng_state(), before) and torch.get_num_threads() == threads
    torch.manual_seed(999)
    b = train("relu:7x8x2", pack(members), cfg)
    assert all(torch.equal(x, y) for x, y in zip(a.net.W + a.net.b, b.net.W + b.net.b))
    assert np.array_equal(a.history["train"], b.history["train"], equal_nan=True)


def test_a_row_of_integer_weight_w_counts_as_w_copies_of_it(data):
    """Training weights: a member whose rows weigh 0 … 3 trains as one whose rows are repeated that
    many times (full batch); the rows of weight 0 are ignored, however wrong their targets."""
    from viewcast.features import Windows

    n = len(data.train)
    w = np.random.default_rng(0).integers(0, 4, n)  # about a quarter weigh nothing
    wild = data.train.y.copy()
    wild[w == 0] *= 1000.0
    rows = Windows(data.train.X, wild, data.train.dates)
    weighted = Member(rows, np.arange(n), np.arange(0), data.scaler, seed=2, train_weight=w.astype(float))
    copies = Member(data.train.take(np.repeat(np.arange(n), w)), np.arange(int(w.sum())), np.arange(0), data.scaler,
                    seed=2)
    cfg = TrainConfig(epochs=100)
    a, b = train("relu:7x16", pack([weighted]), cfg), train("relu:7x16", pack([copies]), cfg)
    for x, y in zip(a.net.W + a.net.b, b.net.W + b.net.b):
        assert torch.allclose(x, y, rtol=1e-4, atol=1e-5)
    assert np.allclose(a.history["train"], b.history["train"], rtol=1e-4)
    assert a.passes.tolist() == [float((w > 0).sum() * 100)]  # the work: rows trained on, not their weight
    raw = TrainConfig(normalize=False)  # η in raw views follows the weighted mean |views|
    assert raw.learning_rate(pack([weighted]).typical) == pytest.approx(raw.learning_rate(pack([copies]).typical))


def test_mini_batches_draw_only_rows_of_positive_weight(data):
    """Weight 0 on every third row, 2 on the others: the rows drawn are those of a member that trains on
    the others only, and a weight the same for every row (a power of two) changes no number."""
    n = len(data.train)
    w = np.where(np.arange(n) % 3 == 0, 0.0, 2.0)
    cfg = TrainConfig(batch_size=32, epochs=4)
    weighted = Member(data.train, np.arange(n), np.arange(0), data.scaler, 1, train_weight=w)
    others = Member(data.train, np.flatnonzero(w), np.arange(0), data.scaler, 1)
    a, b = train("relu:7x8", pack([weighted]), cfg), train("relu:7x8", pack([others]), cfg)
    assert all(torch.equal(x, y) for x, y in zip(a.net.W + a.net.b, b.net.W + b.net.b))
    assert a.passes.tolist() == b.passes.tolist() == [float((w > 0).sum() * 4)]


def test_a_mini_batch_carries_the_weights_of_its_rows(data):
    from viewcast.train.rows import orders
    from viewcast.train.state import Plan, Stack

    n = len(data.train)
    w = np.random.default_rng(1).integers(0, 4, n).astype(float)
    batch = pack([Member(data.train, np.arange(n), np.arange(0), data.scaler, 0, train_weight=w),
                  Member(data.train, np.arange(40), np.arange(0), data.scaler, 1)])  # fewer rows: padding
    p = Plan.of(models.parse("relu:7x8"), batch, TrainConfig(batch_size=64))
    st = Stack.start(p, batch, None)
    st.order = orders(st.train, p.gens, st.ids, p.per_epoch * p.rows, p.rows)
    for i in range(p.per_epoch):
        idx = st.order[:, i * p.rows:(i + 1) * p.rows]
        _, _, wb = st.batch(p, i)
        assert torch.equal(wb, torch.where(idx >= 0, batch.train.gather(1, idx.clamp(min=0)), 0.0))
        assert (wb[idx >= 0] > 0).all()  # no row of weight 0 is drawn


@pytest.mark.parametrize("w", [np.ones(3), [1.0, -1.0, 1.0, 1.0], [1.0, np.nan, 1.0, 1.0]])
def test_training_weights_are_checked(data, w):
    from viewcast.errors import ViewcastError

    with pytest.raises(ViewcastError, match="train_weight"):
        Member(data.train, np.arange(4), np.arange(0), data.scaler, train_weight=np.asarray(w))
