"""The one standardisation of `neural`: fitted statistics, shared block scales, buffers and errors."""
import numpy as np
import pytest
import torch
from torch import nn

from invariants.errors import InputError
from neural.datasets import Stats
from bridge import orthogonal
from neural.standardize import Standardized, Standardizer

f64 = torch.float64
X = torch.tensor([[1.0, -2.0, 0.5, 4.0],
                  [3.0, 0.0, 1.5, 4.0],
                  [-1.0, 5.0, 2.5, 4.0],
                  [2.0, 1.0, -0.5, 4.0],
                  [0.0, 3.0, 1.0, 4.0]], dtype=f64)


def test_fitted_mean_and_scale_are_numpys():
    a = X.numpy()
    s = Standardizer.fit(X)
    np.testing.assert_allclose(s.shift.numpy(), a.mean(0), rtol=0, atol=1e-15)
    np.testing.assert_allclose(s.scale.numpy()[:3], a.std(0, ddof=1)[:3], rtol=1e-15)
    assert float(s.scale[3]) == 1e-12  # a constant feature is shifted to 0, not divided by 0
    np.testing.assert_allclose(Standardizer.fit(X, correction=0).scale.numpy()[:3], a.std(0)[:3], rtol=1e-15)
    rms = Standardizer.fit(X, center=False, spread="rms")
    assert rms.shift.tolist() == [0.0] * 4
    np.testing.assert_allclose(rms.scale.numpy(), np.sqrt((a ** 2).mean(0)), rtol=1e-15)
    # a block shares the square root of the mean of its features' variances (or mean squares)
    blocks = Standardizer.fit(X, blocks=[2, 2])
    want = np.sqrt([a[:, :2].var(0, ddof=1).mean(), a[:, 2:].var(0, ddof=1).mean()]).repeat(2)
    np.testing.assert_allclose(blocks.scale.numpy(), want, rtol=1e-14)
    np.testing.assert_allclose(blocks.shift.numpy(), a.mean(0), rtol=0, atol=1e-15)
    blocks = Standardizer.fit(X, blocks=[3, 1], center=False, spread="rms")
    np.testing.assert_allclose(blocks.scale.numpy(), [np.sqrt((a[:, :3] ** 2).mean())] * 3 + [4.0], rtol=1e-15)
    z = Standardizer.fit(X[:, :3])(X[:, :3])
    np.testing.assert_allclose(z.mean(0).numpy(), 0, atol=1e-15)
    np.testing.assert_allclose(z.std(0).numpy(), 1, rtol=1e-14)


def test_block_scaling_commutes_with_rotating_a_vector_block():
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(200, 7, generator=gen, dtype=f64) * torch.tensor([1.0, 1, 1, 10, 10, 10, 3], dtype=f64)
    s = Standardizer.fit(x, blocks=[3, 3, 1], center=False, spread="rms")
    assert s.scale[:3].unique().numel() == 1 and s.scale[3:6].unique().numel() == 1
    g = orthogonal(3, 1, generator=gen)[0]
    rotate = torch.block_diag(g, g, torch.ones(1, 1, dtype=f64))  # both vectors by g, the scalar stays
    assert (s(x @ rotate.T) - s(x) @ rotate.T).abs().max() < 1e-12
    refit = Standardizer.fit(x @ rotate.T, blocks=[3, 3, 1], center=False, spread="rms")
    assert (refit.scale - s.scale).abs().max() < 1e-12  # the rms of a vector is invariant too
    per_feature = Standardizer.fit(x, center=False, spread="rms")  # one scale per coordinate: no longer equivariant
    assert (per_feature(x @ rotate.T) - per_feature(x) @ rotate.T).abs().max() > 1e-3


def test_buffers_follow_to_and_the_state_dict():
    s = Standardizer.fit(X[:, :3])
    assert set(s.state_dict()) == {"shift", "scale"}
    fresh = Standardizer.identity(3)
    fresh.load_state_dict(s.state_dict())
    assert torch.equal(fresh.shift, s.shift) and torch.equal(fresh.scale, s.scale)
    assert torch.equal(fresh(X[:, :3]), s(X[:, :3]))
    assert (s.inverse(s(X[:, :3])) - X[:, :3]).abs().max() < 1e-14
    assert s.float().scale.dtype == torch.float32 and s(X[:, :3].float()).dtype == torch.float32


def test_standardized_owns_copies_of_the_stats():
    stats = Stats(Standardizer.fit(X[:, :3]), Standardizer.fit(X[:, 3:] + X[:, :1]))
    model = Standardized(nn.Linear(3, 1).double(), stats)
    assert {k for k in model.state_dict() if not k.startswith("net.")} == \
        {"inputs.shift", "inputs.scale", "targets.shift", "targets.scale"}
    model.float()
    assert stats.x.scale.dtype == f64  # converting the wrapper leaves the shared statistics alone
    out = model(X[:, :3].float())
    assert torch.allclose(out.double(), stats.y.inverse(model.net.double()(stats.x(X[:, :3]))), atol=1e-5)


def test_cat_and_errors():
    s = Standardizer.cat([Standardizer.identity(1), Standardizer.fit(X[:, 1:3])])
    assert s.shift.shape == (3,) and float(s.scale[0]) == 1.0
    a = X[:, 1:3].numpy()  # the identity's (0, 1), then the fitted block's mean and std
    np.testing.assert_allclose(s.shift.numpy(), [0.0, *a.mean(0)], rtol=0, atol=1e-15)
    np.testing.assert_allclose(s.scale.numpy(), [1.0, *a.std(0, ddof=1)], rtol=1e-15)
    np.testing.assert_allclose(s(X[:, :3]).numpy(), np.c_[X[:, :1].numpy(), (a - a.mean(0)) / a.std(0, ddof=1)],
                               rtol=1e-14, atol=1e-15)
    with pytest.raises(InputError, match="summing to the number of features 4"):
        Standardizer.fit(X, blocks=[3, 2])
    with pytest.raises(InputError, match="spread must be one of"):
        Standardizer.fit(X, spread="mad")
    with pytest.raises(InputError, match="more than 1 rows"):
        Standardizer.fit(X[:1])
    with pytest.raises(InputError, match="2-d float tensor"):
        Standardizer.fit(torch.ones(3, dtype=torch.long))
    with pytest.raises(InputError, match="positive"):
        Standardizer(torch.zeros(2), torch.tensor([1.0, 0.0]))
    with pytest.raises(InputError, match="Standardizers of shape"):
        Standardizer.cat([Standardizer.identity()])
