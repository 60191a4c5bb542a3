import pytest
import torch

from viewcast import models
from viewcast.errors import SpecError


@pytest.mark.parametrize("spec,kind,k,h,l,params", [
    ("linear:56", "linear", 56, 0, 0, 57),
    ("relu:56x100", "relu", 56, 100, 1, 56 * 100 + 100 + 100 + 1),
    ("relu:56x100x3", "relu", 56, 100, 3, 5700 + 2 * 10100 + 101),
    ("sigmoid:1x1", "sigmoid", 1, 1, 1, 4),
    ("hardsigmoid:7x3", "hardsigmoid", 7, 3, 1, 7 * 3 + 3 + 3 + 1),
])
def test_parse_and_params(spec, kind, k, h, l, params):
    s = models.parse(spec)
    assert (s.kind, s.k, s.hidden, s.layers) == (kind, k, h, l)
    assert str(s) == spec
    m = models.build(s)
    assert models.n_params(m) == params == s.params()  # the spec's count, without building, is the network's
    assert models.n_params(models.build(s, extra_inputs=7)) == s.params(extra_inputs=7)
    assert m(torch.zeros(5, k)).shape == (5,)


@pytest.mark.parametrize("bad", ["relu", "linear:", "linear:7x3", "relu:56", "relu:0x10", "tanh:5x5", "relu:5x0", ""])
def test_bad_spec_shows_grammar(bad):
    with pytest.raises(SpecError, match="grammar"):
        models.parse(bad)


def test_formulas_by_hand():
    torch.manual_seed(0)
    m = models.build("sigmoid:2x3")
    x = torch.tensor([[0.5, -1.0]])
    W, b = m.hidden[0].weight, m.hidden[0].bias
    c, b0 = m.out.weight[0], m.out.bias[0]
    expected = b0 + (c * torch.sigmoid(b + W @ x[0])).sum()
    assert torch.allclose(m(x)[0], expected)
    h = models.build("hardsigmoid:2x3")
    W, b = h.hidden[0].weight, h.hidden[0].bias
    c, b0 = h.out.weight[0], h.out.bias[0]
    z = b + W @ x[0]
    expected = b0 + (c * (torch.relu(z) - torch.relu(z - 1))).sum()  # a hard sigmoid is two ReLUs
    assert torch.allclose(h(x)[0], expected)


def test_parse_list():
    assert [str(s) for s in models.parse_list("linear:28, relu:56x100")] == ["linear:28", "relu:56x100"]
