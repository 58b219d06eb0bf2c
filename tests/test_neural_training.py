"""fit/evaluate, the baselines (MLP, MLP + augmentation, DeepSets) and the EMLP normalisation wrapper."""
import pytest
import torch
from torch import nn

from invariants.errors import InputError
from neural.baselines import MLP, Augmented, DeepSets
from neural.checks import equivariance_error
from neural.datasets import make
from bridge import act, load_spec, sampler
from neural.standardize import Standardized
from neural.training import emlp_epochs, evaluate, fit


pytestmark = pytest.mark.usefixtures("one_thread")


def small_mlp(data, seed=0):
    torch.manual_seed(seed)
    return MLP(data.rep_in.dim, data.rep_out.dim, channels=32, layers=2).double()


def test_fit_lowers_validation_mse_and_restores_the_best_state():
    train, val = make("O5Synthetic", 300, seed=0).split(200, 100)
    model = Standardized(small_mlp(train), train.emlp_stats())
    # lr 0.05 is too large for this net: validation improves, then bounces, so the last state is not the best
    history = fit(model, train, val, epochs=60, lr=0.05, batch_size=50, progress=False)
    assert history.epochs[0] == 0 and history.epochs[-1] == 60 and len(history.val_mse) == 61
    assert history.best_val_mse < 0.5 * history.val_mse[0]
    assert history.val_mse[-1] > history.best_val_mse and history.best_epoch < 60
    assert evaluate(model, val) == history.best_val_mse  # the best state was loaded back
    assert history.steps == 60 * 4


def test_fit_is_deterministic_in_its_seed_and_leaves_global_rng_alone():
    train, val = make("Inertia", 120, seed=1).split(100, 20)
    states = []
    for seed in (3, 3, 4):
        model = small_mlp(train)
        before = torch.random.get_rng_state()
        fit(model, train, val, epochs=3, batch_size=32, seed=seed, progress=False)
        assert torch.equal(before, torch.random.get_rng_state())
        states.append(torch.cat([p.flatten() for p in model.parameters()]))
    assert torch.equal(states[0], states[1]) and not torch.equal(states[0], states[2])


def test_patience_stops_early():
    train, val = make("O5Synthetic", 60, seed=0).split(40, 20)
    history = fit(small_mlp(train), train, val, epochs=500, lr=1.0, patience=3, progress=False)
    assert history.stopped_early and history.epochs[-1] < 500
    assert len(history.epochs) - 1 - history.epochs.index(history.best_epoch) == 3


def test_fit_with_a_custom_loss_trains_a_classifier():
    """Two classes split by a plane with a margin: cross-entropy through `fit`, scored by the error rate."""
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(600, 4, generator=gen, dtype=torch.float64)
    X = X[(X[:, 0] + X[:, 1]).abs() > 0.2]  # a margin around the plane
    y = (X[:, 0] + X[:, 1] > 0).long()
    (Xt, yt), (Xv, yv) = (X[:300], y[:300]), (X[300:], y[300:])
    error = lambda model, val: float((model(val[0]).argmax(1) != val[1]).double().mean())  # noqa: E731
    torch.manual_seed(0)
    net = MLP(4, 2, channels=16, layers=1).double()
    history = fit(net, (Xt, yt), (Xv, yv), loss=nn.functional.cross_entropy, score=error, epochs=30, lr=1e-2,
                  batch_size=50, progress=False)
    assert history.val_score[0] > 0.2 and history.best_val_score <= 0.02  # 98 % held-out accuracy at least
    assert error(net, (Xv, yv)) == history.best_val_score  # the best state was loaded back
    assert history.steps == 30 * 6 and len(history.epoch_loss) == 30


def test_fit_with_an_unsupervised_objective_lowers_it():
    """Inputs alone and loss(model, batch): a centre c learned to minimise the mean squared distance."""
    class Centre(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Parameter(torch.zeros(3, dtype=torch.float64))

    X = torch.randn(256, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    X = X + torch.tensor([4.0, -2, 1], dtype=torch.float64)
    spread = lambda model, batch: ((batch - model.c) ** 2).sum(1).mean()  # noqa: E731
    model = Centre()
    history = fit(model, X, X[:64], loss=spread, epochs=40, lr=0.1, batch_size=64, progress=False)
    assert history.epoch_loss[-1] < 0.2 * history.epoch_loss[0]
    assert history.best_val_score < 0.2 * history.val_score[0]
    assert (model.c - X.mean(0)).abs().max() < 0.3
    # without validation the last state is kept; L-BFGS (stepped with a closure) solves it in one step
    model = Centre()
    history = fit(model, X, loss=spread, epochs=1, shuffle=False, progress=False,
                  optimizer=lambda params: torch.optim.LBFGS(params, max_iter=50))
    assert history.best_epoch == 1 and history.val_score == [] and history.steps == 1
    assert (model.c - X.mean(0)).abs().max() < 1e-8


def test_fit_options_schedule_weight_decay_and_full_batch():
    X = torch.randn(32, 3, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    Y = X.sum(1, keepdim=True)
    seen = []

    def cosine(optimizer):  # over the 20 epochs x 4 batches: one half period, from lr down to 0
        seen.append(optimizer)
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, 80)

    torch.manual_seed(0)
    plain, decayed = nn.Linear(3, 1).double(), nn.Linear(3, 1).double()
    decayed.load_state_dict(plain.state_dict())
    fit(plain, (X, Y), epochs=20, lr=0.05, batch_size=8, progress=False)
    fit(decayed, (X, Y), epochs=20, lr=0.05, batch_size=8, weight_decay=1.0, schedule=cosine, progress=False)
    assert isinstance(seen[0], torch.optim.Adam) and seen[0].param_groups[0]["weight_decay"] == 1.0
    assert seen[0].param_groups[0]["lr"] < 1e-12
    assert decayed.weight.norm() < 0.8 * plain.weight.norm()  # the decay shrinks the weights
    # without shuffling, one batch of the whole set is the set itself: the same result whatever the seed
    a, b = nn.Linear(3, 1).double(), nn.Linear(3, 1).double()
    b.load_state_dict(a.state_dict())
    fit(a, (X, X[:, :1]), epochs=5, batch_size=32, shuffle=False, seed=1, progress=False)
    fit(b, (X, X[:, :1]), epochs=5, batch_size=32, shuffle=False, seed=2, progress=False)
    assert torch.equal(a.weight, b.weight)


def test_emlp_epoch_budget():
    assert [emlp_epochs(n) for n in (30, 100, 300, 1000, 3000, 10000, 30000)] == [1000, 1000, 1000, 900, 300, 90, 30]


def test_evaluate_is_mse_in_raw_units():
    data = make("O5Synthetic", 50, seed=0)
    stats = data.emlp_stats()
    const = Standardized(nn.Linear(10, 1).double(), stats)
    nn.init.zeros_(const.net.weight), nn.init.zeros_(const.net.bias)  # predicts the training mean of y
    assert evaluate(const, data) == pytest.approx(float(data.Y.var(correction=0)), rel=1e-12)


def test_fit_and_evaluate_reject_bad_input():
    data = make("O5Synthetic", 20, seed=0)
    with pytest.raises(InputError, match="TaskData or an \\(X, Y\\) pair"):
        fit(small_mlp(data), data.X, data, progress=False)
    with pytest.raises(InputError, match="epochs must be an integer >= 1, got 0"):
        fit(small_mlp(data), data, data, epochs=0, progress=False)
    with pytest.raises(InputError, match="batch_size must be an integer >= 1, got 2.5"):
        fit(small_mlp(data), data, data, batch_size=2.5, progress=False)
    with pytest.raises(InputError, match="learning rate lr > 0"):
        fit(small_mlp(data), data, data, lr=0.0, progress=False)
    with pytest.raises(InputError, match="validation data to wait on"):
        fit(small_mlp(data), data, patience=3, progress=False)
    with pytest.raises(InputError, match="non-empty tensor of inputs"):
        fit(small_mlp(data), data.X, data, loss=lambda model, batch: model(batch).sum(), progress=False)
    with pytest.raises(InputError, match="check its output size"):
        fit(nn.Linear(10, 3).double(), data, progress=False)
    with pytest.raises(InputError, match="check its output size"):
        evaluate(nn.Linear(10, 3).double(), data)


def test_augmented_is_the_net_in_eval_mode_and_randomised_in_training():
    data = make("Inertia", 16, seed=0)
    net = small_mlp(data)
    aug = Augmented(net, data.rep_in, data.rep_out)
    aug.eval()
    assert torch.equal(aug(data.X), net(data.X))
    aug.train()
    assert (aug(data.X) - net(data.X)).abs().max() > 1e-3  # a plain MLP is not equivariant
    # with an equivariant "net" (the target map itself) augmentation changes nothing
    from neural.datasets import inertia_target

    class Exact(nn.Module):
        def forward(self, x):
            return torch.from_numpy(inertia_target(x.numpy()))

    assert (Augmented(Exact(), data.rep_in, data.rep_out)(data.X) - data.Y).abs().max() < 1e-10


def test_augmented_lorentz_inverts_non_orthogonal_elements():
    data = make("ParticleInteraction", 8, seed=0)

    class Echo(nn.Module):  # answers with its first 4-vector: equivariant from 4 vectors to 1 vector
        def forward(self, x):
            return x[:, :4]

    aug = Augmented(Echo(), data.rep_in, load_spec("O(1,3):v"), max_rapidity=2.0)
    assert (aug(data.X) - data.X[:, :4]).abs().max() < 1e-12


def test_deepsets_is_permutation_invariant_and_learns_the_set_task():
    train, val = make("SymmetricSet", 600, seed=0).split(500, 100)
    torch.manual_seed(0)
    net = DeepSets(8, channels=32, layers=2).double()
    P = sampler(train.group)(len(val), generator=torch.Generator().manual_seed(0))
    assert (net(act(val.rep_in, P, val.X)) - net(val.X)).abs().max() < 1e-12
    model = Standardized(net, train.emlp_stats())
    history = fit(model, train, val, epochs=40, lr=3e-3, batch_size=100, progress=False)
    assert history.best_val_mse < 0.3 * float(val.Y.var())
    with pytest.raises(InputError, match="DeepSets expects inputs of shape \\(batch, 8\\)"):
        net(torch.zeros(2, 7, dtype=torch.float64))


def test_equivariance_error_separates_exact_maps_from_plain_mlps():
    from neural.datasets import inertia_target, particle_target

    class Exact(nn.Module):
        def __init__(self, target):
            super().__init__()
            self.target = target

        def forward(self, x):
            return torch.from_numpy(self.target(x.numpy()))

    inertia, particles = make("Inertia", 64, seed=0), make("ParticleInteraction", 64, seed=0)
    assert equivariance_error(Exact(inertia_target), inertia) < 1e-10
    assert equivariance_error(Exact(particle_target), particles, max_rapidity=2.0) < 1e-10
    assert equivariance_error(small_mlp(inertia), inertia) > 1e-3
    assert equivariance_error(small_mlp(particles), particles) > 1e-3


def test_hamiltonian_rollout_reproduces_the_pendulum_and_learns():
    from neural.datasets import hamiltonian
    from neural.hamiltonian import HamiltonianRollout

    class TrueEnergy(nn.Module):
        def forward(self, z):
            return hamiltonian(z)

    data = make("DoubleSpringPendulum", 120, seed=0)
    exact = HamiltonianRollout(TrueEnergy(), steps=5, dt=0.2, substeps=4)
    assert evaluate(exact, data) < 1e-11  # RK4 with h = 0.05 against the data's 4th-order symplectic flow
    assert equivariance_error(exact.eval(), data) < 1e-12  # H is O(2)-invariant, so the flow is equivariant
    train, val = data.split(100, 20)
    torch.manual_seed(0)
    learned = HamiltonianRollout(MLP(12, 1, channels=32, layers=2).double())
    assert equivariance_error(learned, val) > 1e-4
    history = fit(learned, train, val, epochs=40, lr=1e-2, batch_size=50, progress=False)
    assert history.best_val_mse < 0.1 * history.val_mse[0]  # 0.079 -> 0.004: it learns the dynamics
    with pytest.raises(InputError, match="states of shape \\(batch, 2m\\)"):
        learned(torch.zeros(2, 11, dtype=torch.float64))


def test_fit_refuses_non_finite_samples_and_mismatched_target_columns():
    """One NaN in X made the closed-form fit raise torch's LinAlgError; an infinite target trained to
    NaN weights silently; three target columns for a one-output model failed deep in torch."""
    import pytest
    import torch
    from invariants import InputError, ShapeError
    from neural.models import InvariantModel
    from neural.training import fit
    x, y = torch.randn(12, 2, dtype=torch.float64), torch.randn(12, 1, dtype=torch.float64)
    bad_x, bad_y = x.clone(), y.clone()
    bad_x[0, 0], bad_y[3, 0] = float("nan"), float("inf")
    for data, name in (((bad_x, y), "X"), ((x, bad_y), "Y")):
        with pytest.raises(InputError, match=f"{name} has NaN or infinite entries in 1 of its 12 rows"):
            fit(InvariantModel("cyclic(4)"), data, epochs=1, progress=False)
    with pytest.raises(ShapeError, match="out_size=3"):
        fit(InvariantModel("cyclic(4)"), (x, torch.randn(12, 3, dtype=torch.float64)), epochs=1, progress=False)
    with pytest.raises(InputError, match=r"Y\[:, None\]"):
        fit(InvariantModel("cyclic(4)"), (x, y[:, 0]), epochs=1, progress=False)
