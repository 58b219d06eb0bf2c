"""Data-parallel training on torch.distributed: what `neural.training.fit` does when several
processes train one model (DistributedDataParallel; gloo on CPU, nccl on GPU).

Launch a script that calls `fit` with torchrun; every process runs the whole script on the whole
data, and `fit` finds the process group (or torchrun's environment, ``RANK``, ``WORLD_SIZE``,
``MASTER_ADDR``, and initialises the group from it):

    torchrun --nproc_per_node 2 train.py            # 2 CPU processes on this machine
    torchrun --nnodes 2 --nproc_per_node 4 --rdzv-endpoint host:29500 train.py   # 2 machines x 4

    # train.py: the data and the model built alike in every process (same seeds)
    torch.manual_seed(0)
    model = InvariantModel("O(3):4xv").to(distributed.device())    # its GPU, or the CPU
    history = fit(model, (X, Y), (X_val, Y_val), batch_size=500)    # 500: the global batch
    if distributed.is_main():
        torch.save(model.state_dict(), "model.pt")

Each global batch (the one a single process would take, from the same shuffling seed) is split
into contiguous slices, one per rank; each rank's mean loss is weighted by its share of the
batch, so the averaged gradient is the gradient of the mean loss over the whole batch and the
trained parameters equal the single-process run's up to rounding.  That needs a supervised
``loss(prediction, target)`` that is a mean over the batch's rows (the MSE, cross-entropy).  An
unsupervised ``loss(model, batch)`` is a whole objective that cannot be split, so such a fit runs
whole in every process.  Data or settings that differ between processes are refused (they would
leave the ranks waiting for each other).  Validation runs on rank 0 and its score is broadcast:
early stopping and the state kept are the same everywhere, and every rank returns the same
`History`.  Randomness inside the model (augmentation, dropout) draws from ``seed + rank``.

Example (one process: no group, nothing to split):
    >>> world() is None, is_main()
    (True, True)
    >>> [shard(5, rank, 2) for rank in (0, 1)]     # a batch of 5 rows over 2 ranks
    [slice(0, 2, None), slice(2, 5, None)]
"""
from __future__ import annotations

import atexit
import os
import socket
import sys
from dataclasses import dataclass
from typing import Any, Callable

import torch
from torch import distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from invariants.errors import InputError


def shard(n: int, rank: int, size: int) -> slice:
    """Rank ``rank``'s rows of a batch of ``n`` split over ``size`` ranks (contiguous, sizes differ
    by at most one; a rank gets none when ``n < size``)."""
    return slice(rank * n // size, (rank + 1) * n // size)


def local_command(script: str, *args: str, processes: int = 2) -> list[str]:
    """The torchrun command that runs ``script args`` in ``processes`` processes on this machine,
    meeting at 127.0.0.1 on a free port — not at the machine's hostname, as ``--standalone`` does,
    which a container or chroot may not resolve (the processes then wait for each other forever).

    Example:
        >>> local_command("train.py", "--epochs", "3")[-3:]
        ['train.py', '--epochs', '3']
    """
    with socket.socket() as probe:  # a port free now; torchrun binds it a moment later
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return [sys.executable, "-m", "torch.distributed.run", "--nnodes", "1", "--nproc_per_node", str(processes),
            "--master_addr", "127.0.0.1", "--master_port", str(port), script, *args]


def device() -> torch.device:
    """Where this process trains: its GPU (``LOCAL_RANK``) when CUDA is available, else the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0)))
    return torch.device("cpu")


def is_main() -> bool:
    """True in the process that reports (rank 0), and in a single process."""
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank() == 0
    return int(os.environ.get("RANK", 0)) == 0


@dataclass(frozen=True)
class Group:
    """The processes training one model together, as `fit` uses them."""

    rank: int
    size: int

    def wrap(self, model: nn.Module) -> nn.Module:
        """``model`` under DDP, which averages gradients over the ranks during the backward pass
        (``static_graph``: a model may own parameters its forward does not use, without DDP
        searching the graph for them at every step)."""
        where = next((p.device for p in model.parameters()), torch.device("cpu"))
        ids = [where.index] if where.type == "cuda" else None
        return DistributedDataParallel(model, device_ids=ids, static_graph=True)

    def closure(self, opt: torch.optim.Optimizer, objective: Callable[[tuple], torch.Tensor], batch: tuple,
                regularizer: Callable[[], torch.Tensor] | None) -> Callable[[], torch.Tensor]:
        """What ``opt.step`` calls for this rank's slice of the global ``batch``; it returns the loss
        of the whole batch, the same on every rank (L-BFGS decides on it)."""
        n = len(batch[0])
        part = shard(n, self.rank, self.size)
        rows = part.stop - part.start
        # DDP divides the sum of the ranks' gradients by their number: weighting each slice's mean loss
        # by size * rows / n leaves the gradient of the mean over the batch.  A rank without rows
        # still runs a forward and backward (on one row, weight 0): DDP needs every rank in each reduction
        mine = tuple(t[part] if rows else t[:1] for t in batch)
        weight = self.size * rows / n

        def step() -> torch.Tensor:
            opt.zero_grad(set_to_none=True)
            value = objective(mine) * weight
            if regularizer is not None:
                value = value + regularizer()  # the same on every rank, so averaged it counts once
            value.backward()
            total = value.detach().clone()
            dist.all_reduce(total)
            return total / self.size
        return step

    def check_same(self, tensors: tuple[torch.Tensor, ...], settings: tuple) -> None:
        """Refuse, on every rank at once, training data or settings that differ between ranks: the
        ranks would take different batches, or different numbers of steps and wait for each other forever."""
        mine = (settings, [(tuple(t.shape), float(t.double().sum())) for t in tensors])
        every: list[Any] = [None] * self.size
        dist.all_gather_object(every, mine)
        if any(other != every[0] for other in every):
            raise InputError(f"fit under torch.distributed needs the same training data and settings in every process "
                             f"(it splits each batch itself: do not shard the data); (epochs, batch_size, shuffle, "
                             f"seed) and each tensor's shape and sum are {mine} on rank {self.rank}, {every[0]} on rank 0")

    def agree(self, compute: Callable[[], Any]) -> Any:
        """``compute()`` on rank 0, the answer sent to every rank (a validation score: decisions taken
        on it, early stopping and the state kept, must not differ between ranks)."""
        answer = [compute() if self.rank == 0 else None]
        dist.broadcast_object_list(answer, src=0)
        return answer[0]


def world() -> Group | None:
    """The group `fit` trains in: None in a single process (or a group of one); under torchrun the
    default process group is initialised here if the script has not done so (gloo on CPU, and nccl
    for CUDA tensors when CUDA is available), and destroyed when the process exits."""
    if not dist.is_available():
        return None
    if not dist.is_initialized():
        if int(os.environ.get("WORLD_SIZE", 1)) <= 1 or "MASTER_ADDR" not in os.environ:
            return None
        if torch.cuda.is_available():
            torch.cuda.set_device(device())
        dist.init_process_group("cpu:gloo,cuda:nccl" if torch.cuda.is_available() else "gloo")
        atexit.register(_destroy)
    if dist.get_world_size() <= 1:
        return None
    return Group(dist.get_rank(), dist.get_world_size())


def _destroy() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()
