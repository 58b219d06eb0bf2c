"""The one training loop of `neural`: `fit` (Adam by default, minibatches, optional validation
with early stopping and the best state restored), and `evaluate` (the MSE).

`fit` takes data in two forms:

* supervised: a `TaskData` (anything with tensors ``X`` and ``Y``) or an ``(X, Y)`` pair, one row
  per sample, and ``loss(prediction, target)``, by default the mean squared error over samples
  and output coordinates, in whatever units the model answers in (wrap it in `Standardized` to
  train on normalised data and still report raw units of y), e.g. ``nn.functional.cross_entropy``
  for a classifier;
* unsupervised: a tensor ``X`` of inputs alone, and ``loss(model, batch)``, the whole objective
  (e.g. a consistency loss that draws its own noise, or a distance to reach by moving a point).
"""
from __future__ import annotations

import copy
import inspect
import math
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import torch
from torch import nn

from invariants.errors import InputError, check_int

from . import distributed

Score = Any  # a float, or a tuple of floats compared lexicographically; lower is better


def emlp_epochs(n_train: int) -> int:
    """EMLP's budget: min(30 * 30000 / N, 1000) epochs, i.e. ~900k samples seen once N >= 900.

    Example:
        >>> emlp_epochs(30), emlp_epochs(3000), emlp_epochs(30000)
        (1000, 300, 30)
    """
    return max(1, min(int(30 * 30000 / n_train), 1000))


@dataclass
class History:
    """The learning curve of one `fit`: the validation score at ``epochs`` (epoch 0 = before
    training; the MSE unless ``score=`` says otherwise), the mean training loss of each of those
    epochs (NaN at 0) and of every epoch (``epoch_loss``), the epoch of the state kept (the
    last one without validation) and the cost.  ``val_mse`` and ``best_val_mse`` name the
    default score."""

    epochs: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_score: list[Score] = field(default_factory=list)
    epoch_loss: list[float] = field(default_factory=list)
    best_epoch: int = 0
    best_val_score: Score = float("inf")
    seconds: float = 0.0
    steps: int = 0
    stopped_early: bool = False
    settled: str | None = None

    @property
    def val_mse(self) -> list[Score]:
        return self.val_score

    @property
    def best_val_mse(self) -> Score:
        return self.best_val_score


def _tensors(data: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """``(X, Y)`` of a regression set: non-empty 2-d tensors, one row per sample."""
    X, Y = _pair(data)
    if X.ndim != 2 or Y.ndim != 2:
        hint = " (a scalar target is a column: Y[:, None])" if Y.ndim == 1 else ""
        raise InputError("X and Y must be non-empty 2-d tensors with one row per sample, "
                         f"got {tuple(X.shape)!r} and {tuple(Y.shape)!r}{hint}")
    for name, t in (("X", X), ("Y", Y)):
        if t.is_floating_point() and not bool(torch.isfinite(t).all()):
            bad = int((~torch.isfinite(t)).any(1).sum())
            raise InputError(f"{name} has NaN or infinite entries in {bad} of its {len(t)} rows: drop or repair "
                             "those samples before training (one of them would make every weight NaN)")
    return X, Y


def _pair(data: Any) -> tuple[torch.Tensor, torch.Tensor]:
    if hasattr(data, "X") and hasattr(data, "Y"):
        X, Y = data.X, data.Y
    elif isinstance(data, (tuple, list)) and len(data) == 2:
        X, Y = data
    else:
        raise InputError(f"expected a TaskData or an (X, Y) pair of tensors, got {type(data).__name__}")
    if not (isinstance(X, torch.Tensor) and isinstance(Y, torch.Tensor)) or X.ndim == 0 or Y.ndim == 0 \
            or len(X) != len(Y) or len(X) == 0:
        raise InputError("X and Y must be non-empty tensors with one row per sample, "
                         f"got {getattr(X, 'shape', X)!r} and {getattr(Y, 'shape', Y)!r}")
    return X, Y


def _data(data: Any, supervised: bool, default_loss: bool, what: str) -> tuple[torch.Tensor, ...]:
    """The tensors of ``data``: ``(X, Y)`` for a supervised fit, ``(X,)`` for an unsupervised one."""
    if supervised:
        return _tensors(data) if default_loss else _pair(data)
    if not isinstance(data, torch.Tensor) or data.ndim == 0 or len(data) == 0:
        raise InputError(f"the {what} data of an unsupervised fit (loss(model, batch)) must be a non-empty tensor "
                         f"of inputs, one row per sample, like the training data; got {type(data).__name__}")
    return (data,)


def _mse(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    if prediction.shape != target.shape:
        raise InputError(f"the model answers {tuple(prediction.shape)} for targets of shape "
                         f"{tuple(target.shape)}; check its output size")
    return ((prediction - target) ** 2).mean()


def placement(model: nn.Module, X: torch.Tensor) -> tuple[torch.device, torch.dtype]:
    """Device and dtype of the model's first float parameter or buffer (those of ``X`` if it has none)."""
    for t in list(model.parameters()) + list(model.buffers()):
        if t.is_floating_point():
            return t.device, t.dtype
    return X.device, X.dtype


@torch.no_grad()
def evaluate(model: nn.Module, data: Any, *, batch_size: int = 5000) -> float:
    """Mean squared error of ``model`` on ``data`` (eval mode, summed in float64).

    Example:
        >>> X = torch.randn(6, 2, dtype=torch.float64)
        >>> evaluate(nn.Identity(), (X, X + 1))
        1.0
    """
    X, Y = _tensors(data)
    device, dtype = placement(model, X)
    was_training = model.training
    model.eval()
    try:
        total = 0.0
        for i in range(0, len(X), batch_size):
            pred = model(X[i:i + batch_size].to(device, dtype))
            if pred.shape != Y[i:i + batch_size].shape:
                raise InputError(f"the model answers {tuple(pred.shape)} for targets of shape "
                                 f"{tuple(Y[i:i + batch_size].shape)}; check its output size")
            total += float(((pred.double() - Y[i:i + batch_size].to(device).double()) ** 2).sum())
    finally:
        model.train(was_training)
    return total / Y.numel()


def fit(model: nn.Module, train: Any, val: Any = None, *, loss: Callable[..., torch.Tensor] | None = None,
        score: Callable[[nn.Module, Any], Score] | None = None, epochs: int | None = None, lr: float = 3e-3,
        weight_decay: float = 0.0, optimizer: Callable[[Iterable[nn.Parameter]], torch.optim.Optimizer] | None = None,
        schedule: Callable[[torch.optim.Optimizer], Any] | None = None, batch_size: int = 500, shuffle: bool = True,
        seed: int = 0, patience: int | None = None, val_every: int | None = None, progress: bool = True,
        regularizer: Callable[[], torch.Tensor] | None = None) -> History:
    """Train ``model`` in place by minibatches; with validation data, keep the state of best score.

    ``train`` and ``val`` are supervised pairs with ``loss(prediction, target)`` (default: the
    MSE), or tensors of inputs alone with ``loss(model, batch)`` (see the module).  ``val`` is
    optional; ``score(model, val)`` rates it, lower is better (a float, or a tuple compared
    lexicographically, e.g. ``(-accuracy, loss)``), called in eval mode without gradients on
    ``val`` placed like the model; by default the MSE (`evaluate`) or the mean ``loss``.

    ``epochs`` defaults to EMLP's `emlp_epochs` of the training-set size; each epoch visits the
    rows once, in batches of ``batch_size``, reshuffled unless ``shuffle=False`` (then in order:
    one batch of the whole set is the set itself).  Validation runs before training, every
    ``val_every`` epochs (default: often enough that validation costs about as much as training,
    i.e. every ceil(len(val) / len(train)) epochs) and after the last epoch; ``patience`` stops
    after that many validations without improvement (None: never).  At the end the best state
    seen is loaded back (without ``val``: the last state is kept).

    The optimiser is Adam(``lr``, ``weight_decay``), or ``optimizer(parameters)`` (then ``lr``
    and ``weight_decay`` are its own business; it is stepped with a closure, so L-BFGS works);
    ``schedule(optimizer)``, e.g. a cosine annealing, is stepped after every optimiser step.
    ``regularizer``: a penalty added to every batch loss (e.g. a prior on a residual pathway).
    ``seed`` fixes the shuffling and any randomness inside the model (augmentation), without
    touching the global RNG.  ``progress`` draws a bar on stderr.  A model with a ``prepare(X, Y)``
    method that is not yet ``prepared`` (e.g. `neural.models.InvariantModel`) gets it called once
    on the training data before the first epoch, for its closed-form parts; one with a
    ``settle(val)`` method (e.g. `neural.models.EquivariantModel`) gets it called after the best
    state is loaded, with the validation data, when the score is the default MSE: it may swap a
    closed-form candidate or zero in for the trained network (``History.settled`` records its choice).

    Under torchrun (or in an initialised process group) a supervised fit trains data-parallel: each
    process takes its slice of every batch, and the result equals the single-process run's up to
    rounding; ``loss`` must then be a mean over the batch's rows (see `neural.distributed`).

    Example (regression; then a classifier with its own loss and score):
        >>> torch.manual_seed(0) and None
        >>> X = torch.randn(64, 3, dtype=torch.float64); Y = X.sum(1, keepdim=True)
        >>> net = nn.Linear(3, 1).double()
        >>> h = fit(net, (X, Y), (X, Y), epochs=200, lr=0.05, batch_size=16, progress=False)
        >>> h.best_val_mse < 1e-6 < h.val_mse[0]
        True
        >>> labels = (X[:, 0] > 0).long()
        >>> error = lambda model, val: float((model(val[0]).argmax(1) != val[1]).double().mean())
        >>> h = fit(nn.Linear(3, 2).double(), (X, labels), (X, labels), loss=nn.functional.cross_entropy,
        ...         score=error, epochs=50, lr=0.05, batch_size=16, progress=False)
        >>> h.best_val_score < 0.05 < h.val_score[0]
        True
    """
    supervised = not isinstance(train, torch.Tensor)
    if not supervised and loss is None:
        raise InputError("inputs alone (a tensor) need loss=(model, batch) -> scalar; for regression give a "
                         "TaskData or an (X, Y) pair of tensors")
    tensors = _data(train, supervised, loss is None, "training")
    n = len(tensors[0])
    epochs = emlp_epochs(n) if epochs is None else epochs
    check_int(epochs, "fit: epochs", 1)
    check_int(batch_size, "fit: batch_size", 1)
    if not lr > 0:
        raise InputError(f"fit needs a learning rate lr > 0, got {lr!r}")
    if patience is not None and (patience < 1 or val is None):
        raise InputError(f"patience must be None or >= 1, with validation data to wait on; got {patience}")
    device, dtype = placement(model, tensors[0])
    tensors = tuple(_place(t, device, dtype) for t in tensors)
    prepare = getattr(model, "prepare", None)
    if supervised and callable(prepare) and not getattr(model, "prepared", True):
        # closed-form parts first (standardisation, polynomial paths; see InvariantModel), checked on
        # held-out data when the model takes it
        held_out = {}
        if val is not None and "val" in inspect.signature(prepare).parameters:
            held_out["val"] = tuple(_place(t, device, dtype) for t in _data(val, True, loss is None, "validation"))
        prepare(*tensors, **held_out)
    loss = _mse if loss is None else loss
    # an unsupervised loss is a whole objective, not a mean over rows: it is not split over processes
    group = distributed.world() if supervised else None
    if group is not None:
        group.check_same(tensors, (epochs, batch_size, shuffle, seed))
    objective = _objective(model if group is None else group.wrap(model), loss, supervised)
    validate = None
    if val is not None:
        validate, n_val = _validator(model, val, supervised, _objective(model, loss, supervised), score,
                                     loss is _mse, device, dtype)
        val_every = val_every or max(1, -(-n_val // n))
    batch = min(batch_size, n)
    history = History()
    bar = _ProgressBar(epochs) if progress and distributed.is_main() else None
    start = time.perf_counter()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed + (group.rank if group else 0))  # independent augmentations on each rank
        shuffler = torch.Generator().manual_seed(seed)
        opt = (optimizer or (lambda p: torch.optim.Adam(p, lr=lr, weight_decay=weight_decay)))(model.parameters())
        scheduler = schedule(opt) if schedule is not None else None
        best_state = None
        if validate is not None:
            best_state = _record(model, history, 0, float("nan"), _score(model, validate, group), None)
        waited = 0
        for epoch in range(1, epochs + 1):
            model.train()
            order = torch.randperm(n, generator=shuffler).to(device) if shuffle else None
            total = 0.0
            for i in range(0, n, batch):
                rows = order[i:i + batch] if shuffle else slice(i, i + batch)
                part = tuple(t[rows] for t in tensors)
                value = opt.step(_closure(opt, objective, part, regularizer) if group is None
                                 else group.closure(opt, objective, part, regularizer))
                if scheduler is not None:
                    scheduler.step()
                total += float(value.detach()) * (min(batch, n - i) / n)
                history.steps += 1
            history.epoch_loss.append(total)
            if validate is not None and (epoch % val_every == 0 or epoch == epochs):
                before = history.best_val_score
                best_state = _record(model, history, epoch, total, _score(model, validate, group), best_state)
                waited = 0 if history.best_val_score < before else waited + 1
                if patience is not None and waited >= patience:
                    history.stopped_early = True
            if bar:
                bar.update(epoch, history, time.perf_counter() - start)
            if history.stopped_early:
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    else:
        history.best_epoch = epoch
    settle = getattr(model, "settle", None)
    if supervised and val is not None and loss is _mse and score is None and callable(settle):
        history.settled = settle(tuple(_place(t, device, dtype) for t in _data(val, True, True, "validation")))
        if history.settled != "network":
            history.best_val_score = _eval(model, validate)
    history.seconds = time.perf_counter() - start
    if bar:
        bar.close()
    return history


def _objective(model: nn.Module, loss: Callable[..., torch.Tensor], supervised: bool) -> Callable[[tuple], torch.Tensor]:
    """The loss of a batch ``(X, Y)`` or ``(X,)``: ``loss(model(X), Y)``, or ``loss(model, X)`` unsupervised."""
    if supervised:
        return lambda b: loss(model(b[0]), b[1])
    return lambda b: loss(model, b[0])


def _validator(model: nn.Module, val: Any, supervised: bool, objective: Callable, score: Callable | None,
               mse: bool, device: torch.device, dtype: torch.dtype) -> tuple[Callable[[], Score], int]:
    """What a validation computes, and the number of validation rows."""
    tensors = _data(val, supervised, mse, "validation")
    if mse and score is None:
        return (lambda: evaluate(model, val)), len(tensors[0])  # summed in float64, in chunks
    tensors = tuple(_place(t, device, dtype) for t in tensors)
    if score is None:
        return (lambda: float(objective(tensors))), len(tensors[0])
    return (lambda: score(model, tensors if supervised else tensors[0])), len(tensors[0])


def _place(t: torch.Tensor, device: torch.device, dtype: torch.dtype) -> torch.Tensor:
    """On the model's device; floats also in its dtype (labels stay integers)."""
    return t.to(device, dtype) if t.is_floating_point() else t.to(device)


def _closure(opt: torch.optim.Optimizer, objective: Callable, batch: tuple,
             regularizer: Callable[[], torch.Tensor] | None) -> Callable[[], torch.Tensor]:
    """The loss of one batch with its gradients: what ``opt.step`` calls (once for Adam, often for L-BFGS)."""
    def closure() -> torch.Tensor:
        opt.zero_grad(set_to_none=True)
        value = objective(batch)
        if regularizer is not None:
            value = value + regularizer()
        value.backward()
        return value
    return closure


def _score(model: nn.Module, validate: Callable[[], Score], group: distributed.Group | None) -> Score:
    """One validation; in a process group, rank 0's, so that every rank takes the same decisions."""
    return _eval(model, validate) if group is None else group.agree(lambda: _eval(model, validate))


@torch.no_grad()
def _eval(model: nn.Module, validate: Callable[[], Score]) -> Score:
    was_training = model.training
    model.eval()
    try:
        return validate()
    finally:
        model.train(was_training)


def _record(model: nn.Module, history: History, epoch: int, train_loss: float, val_score: Score,
            best_state: dict | None) -> dict:
    """Log one validation; return the best state so far (a copy, so later steps cannot change it)."""
    history.epochs.append(epoch)
    history.train_loss.append(train_loss)
    history.val_score.append(val_score)
    if best_state is None or val_score < history.best_val_score:
        history.best_epoch, history.best_val_score = epoch, val_score
        return copy.deepcopy(model.state_dict())
    return best_state


class _ProgressBar:
    """``fit [#####.....] 52/100 train 1.2e-02 val 3.4e-02 (best 3.1e-02 @ 40) 3.1 s`` on stderr, ~5 times a second."""

    def __init__(self, total: int):
        self.total, self.last = total, 0.0

    def update(self, epoch: int, history: History, seconds: float) -> None:
        if epoch < self.total and seconds - self.last < 0.2:
            return
        self.last = seconds
        bar = "#" * int(20 * epoch / self.total)
        val = (f" val {_first(history.val_score[-1]):.2e} (best {_first(history.best_val_score):.2e} "
               f"@ {history.best_epoch})" if history.val_score else "")
        # before the first epoch there is no training loss yet: say so rather than print nan
        loss = history.epoch_loss[-1]
        train = "train –" if math.isnan(loss) else f"train {loss:.2e}"
        sys.stderr.write(f"\rfit [{bar:<20}] {epoch}/{self.total} {train}{val} {seconds:.1f} s")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()


def _first(score: Score) -> float:
    return score[0] if isinstance(score, tuple) else score
