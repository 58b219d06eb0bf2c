"""Training helpers that keep torch conventions: `fit` (Adam, minibatches, early stopping) and `evaluate`.

Data is anything with tensors ``X`` and ``Y`` (a `TaskData`) or an ``(X, Y)`` pair; the model is
any ``nn.Module`` mapping ``(batch, in)`` to ``(batch, out)``.  Losses are mean squared errors
over samples and output coordinates, in whatever units the model answers in (wrap it in
`Standardized` to train on normalised data and still report raw units of y).
"""
from __future__ import annotations

import copy
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import torch
from torch import nn

from invariants.errors import InputError


def emlp_epochs(n_train: int) -> int:
    """EMLP's budget: min(30 * 30000 / N, 1000) epochs, i.e. ~900k samples seen once N >= 900.

    Example:
        >>> emlp_epochs(30), emlp_epochs(3000), emlp_epochs(30000)
        (1000, 300, 30)
    """
    return max(1, min(int(30 * 30000 / n_train), 1000))


@dataclass
class History:
    """The learning curve of one `fit`: validation MSE at ``epochs`` (epoch 0 = before training),
    mean training loss of each of those epochs (NaN at 0), the best point and the cost."""

    epochs: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_mse: list[float] = field(default_factory=list)
    best_epoch: int = 0
    best_val_mse: float = float("inf")
    seconds: float = 0.0
    steps: int = 0
    stopped_early: bool = False


def _tensors(data: Any) -> tuple[torch.Tensor, torch.Tensor]:
    if hasattr(data, "X") and hasattr(data, "Y"):
        X, Y = data.X, data.Y
    elif isinstance(data, (tuple, list)) and len(data) == 2:
        X, Y = data
    else:
        raise InputError(f"expected a TaskData or an (X, Y) pair of tensors, got {type(data).__name__}")
    if not (isinstance(X, torch.Tensor) and isinstance(Y, torch.Tensor)) or X.ndim != 2 or Y.ndim != 2 \
            or len(X) != len(Y) or len(X) == 0:
        raise InputError("X and Y must be non-empty 2-d tensors with one row per sample, "
                         f"got {getattr(X, 'shape', X)!r} and {getattr(Y, 'shape', Y)!r}")
    return X, Y


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


def fit(model: nn.Module, train: Any, val: Any, *, epochs: int | None = None, lr: float = 3e-3, batch_size: int = 500,
        seed: int = 0, patience: int | None = None, val_every: int | None = None,
        progress: bool = True, regularizer: Callable[[], torch.Tensor] | None = None) -> History:
    """Train ``model`` in place with Adam on the MSE, keeping the state of lowest validation MSE.

    ``epochs`` defaults to EMLP's `emlp_epochs` of the training-set size.  Validation runs before
    training, every ``val_every`` epochs (default: often enough that validation costs about as
    much as training, i.e. every ceil(len(val) / len(train)) epochs) and after the last epoch;
    ``patience`` stops after that many validations without improvement (None: never).  At the end
    the best state seen is loaded back.  ``seed`` fixes the shuffling and any randomness inside
    the model (augmentation), without touching the global RNG.  ``progress`` draws a bar on stderr.
``regularizer``: a penalty added to every batch loss (e.g. a prior on a residual pathway).

    Example:
        >>> torch.manual_seed(0) and None
        >>> X = torch.randn(64, 3, dtype=torch.float64); Y = X.sum(1, keepdim=True)
        >>> net = nn.Linear(3, 1).double()
        >>> h = fit(net, (X, Y), (X, Y), epochs=200, lr=0.05, batch_size=16, progress=False)
        >>> h.best_val_mse < 1e-6 < h.val_mse[0]
        True
    """
    X, Y = _tensors(train)
    Xv, Yv = _tensors(val)
    n = len(X)
    epochs = emlp_epochs(n) if epochs is None else epochs
    if not isinstance(epochs, int) or epochs < 1 or batch_size < 1 or not lr > 0:
        raise InputError(f"fit needs epochs >= 1, batch_size >= 1 and lr > 0, got {epochs}, {batch_size}, {lr}")
    if patience is not None and patience < 1:
        raise InputError(f"patience must be None or >= 1, got {patience}")
    val_every = val_every or max(1, -(-len(Xv) // n))
    device, dtype = placement(model, X)
    X, Y = X.to(device, dtype), Y.to(device, dtype)
    batch = min(batch_size, n)
    history = History()
    bar = _ProgressBar(epochs) if progress else None
    start = time.perf_counter()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        shuffle = torch.Generator().manual_seed(seed)
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        best_state = _record(model, history, 0, float("nan"), evaluate(model, (Xv, Yv)), None)
        waited = 0
        for epoch in range(1, epochs + 1):
            model.train()
            order = torch.randperm(n, generator=shuffle).to(device)
            total = 0.0
            for i in range(0, n, batch):
                idx = order[i:i + batch]
                loss = ((model(X[idx]) - Y[idx]) ** 2).mean()
                if regularizer is not None:
                    loss = loss + regularizer()
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                total += float(loss.detach()) * len(idx)
                history.steps += 1
            if epoch % val_every == 0 or epoch == epochs:
                before = history.best_val_mse
                best_state = _record(model, history, epoch, total / n, evaluate(model, (Xv, Yv)), best_state)
                waited = 0 if history.best_val_mse < before else waited + 1
                if patience is not None and waited >= patience:
                    history.stopped_early = True
            if bar:
                bar.update(epoch, history, time.perf_counter() - start)
            if history.stopped_early:
                break
    model.load_state_dict(best_state)
    history.seconds = time.perf_counter() - start
    if bar:
        bar.close()
    return history


def _record(model: nn.Module, history: History, epoch: int, train_loss: float, val_mse: float,
            best_state: dict | None) -> dict:
    """Log one validation; return the best state so far (a copy, so later steps cannot change it)."""
    history.epochs.append(epoch)
    history.train_loss.append(train_loss)
    history.val_mse.append(val_mse)
    if best_state is None or val_mse < history.best_val_mse:
        history.best_epoch, history.best_val_mse = epoch, val_mse
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
        sys.stderr.write(f"\rfit [{bar:<20}] {epoch}/{self.total} train {history.train_loss[-1]:.2e} "
                         f"val {history.val_mse[-1]:.2e} (best {history.best_val_mse:.2e} @ {history.best_epoch}) "
                         f"{seconds:.1f} s")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()
