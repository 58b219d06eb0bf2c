"""Whole models survive `copy.deepcopy` and `torch.save(model)` / `torch.load` (early-stopping
snapshots, checkpoints of the model object): the copy answers exactly as the original, and the
exact engine state a layer keeps (an invariant layer's ring) is rebuilt from its spec on demand."""
import copy
import io

import pytest
import sympy
import torch


def _invariant():
    from neural.models import InvariantModel
    return InvariantModel("O(3):2xv", channels=8, layers=1), (torch.randn(5, 6, dtype=torch.float64),)


def _invariant_with_pairs():
    from neural.models import InvariantModel
    return InvariantModel("O(3):3xv", channels=8, layers=1), (torch.randn(5, 9, dtype=torch.float64),)


def _equivariant():
    from neural.models import EquivariantModel
    v = sympy.symbols("x0:3")
    return EquivariantModel({"group": "O(n)", "n": 3, "vectors": 1}, [list(v)], channels=8), \
        (torch.randn(5, 3, dtype=torch.float64),)


def _covariant_grid():
    from neural.conv import CovariantNonlinearity, steerable_space
    space = steerable_space(None)
    t = space.type(space.group.frequency(1)) + space.type(space.group.frequency(2))
    return CovariantNonlinearity(t).double(), (torch.randn(2, 4, 3, 3, dtype=torch.float64),)


def _group_cnn():
    from neural.conv import GroupCNN, grid_space
    return GroupCNN(grid_space("p4"), in_channels=1, num_classes=3).double(), (torch.randn(2, 1, 9, 9, dtype=torch.float64),)


def _particles():
    from neural.graph import ParticleNetwork, fully_connected
    x, v, q = torch.randn(10, 3), torch.randn(10, 3), torch.ones(10, 1)
    edges = fully_connected(5, 2)
    return ParticleNetwork("O(3):v", node_features=1), (x, v[:, None], q, edges)


def _sets():
    from neural.sets import UniversalInvariantNetwork
    return UniversalInvariantNetwork("cyclic(6, form='permutation'):v", order=2), (torch.randn(4, 6),)


def _sphere():
    from neural.sphere import SphericalCNN
    net = SphericalCNN(bandwidth=2, num_classes=3, nonlinearity="tensor")
    return net, (torch.randn(2, 1, net.analysis.points.shape[0]),)


MODELS = {"invariant model": _invariant, "invariant model with a pair sum": _invariant_with_pairs, "equivariant model": _equivariant, "covariant nonlinearity": _covariant_grid,
          "group CNN": _group_cnn, "particle network": _particles, "universal set network": _sets,
          "spherical CNN": _sphere}


@pytest.mark.parametrize("name", list(MODELS))
def test_deepcopy_and_torch_save_give_the_same_model(name, one_thread):
    torch.manual_seed(0)
    model, inputs = MODELS[name]()
    model.eval()
    with torch.no_grad():
        expected = model(*inputs)
    buffer = io.BytesIO()
    torch.save(model, buffer)
    buffer.seek(0)
    for copied in (copy.deepcopy(model), torch.load(buffer, weights_only=False)):
        assert copied is not model
        with torch.no_grad():
            assert torch.equal(copied(*inputs), expected), name
        assert copied.state_dict().keys() == model.state_dict().keys()


def test_a_copied_invariant_layer_rebuilds_its_ring_from_the_spec(one_thread):
    from bridge import invariant_layer
    layer = invariant_layer("symmetric(3):v", normalize=None)
    copied = copy.deepcopy(layer)
    assert copied._ring is None                        # not copied: flint objects do not pickle
    assert copied.ring.representation == layer.ring.representation
    assert copied.ring is not layer.ring and copied.ring.generators == layer.ring.generators == layer.polynomials
