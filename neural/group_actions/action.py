"""A learnable nonlinear action of a finite group whose group law holds by construction.

For a representation ρ of a finite group G and an invertible network φ (a `CouplingFlow`), the maps
N_g = φ⁻¹ ∘ ρ(g) ∘ φ satisfy N_g ∘ N_h = N_{gh} and N_e = id for every φ: only rounding separates
them.  Fitting φ to pairs (x, T(x)) learns a hidden symmetry T of the data as a conjugate of a
known linear action, and every other element of G comes with it.  The engine enumerates G exactly
(`group_table`); elements are integer indices into its list.

Example:
    >>> import torch
    >>> from invariants import cyclic
    >>> _ = torch.manual_seed(0)
    >>> action = NeuralGroupAction(cyclic(5).natural(), layers=4).double()
    >>> with torch.no_grad():                                # a non-trivial φ
    ...     for p in action.parameters():
    ...         _ = p.add_(0.3 * torch.randn_like(p))
    >>> s = action.generators[0]                             # rotation by 2π/5, conjugated by φ
    >>> x = torch.randn(8, 2, dtype=torch.float64)
    >>> bool((action.word(x, [s] * 5) - x).abs().max() < 1e-10)   # N_s⁵ = id
    True
    >>> g, h = 2, 3
    >>> bool((action(action(x, h), g) - action(x, action.compose(g, h))).abs().max() < 1e-10)
    True
"""
from __future__ import annotations

from typing import Sequence, Union

import torch

from invariants.errors import InputError, ShapeError
from invariants.groups.representation import Representation

from .constants import Float64Constants
from .coupling import CouplingFlow
from .elements import MAX_ORDER, check_finite_real, check_unimodular, group_table

Element = Union[int, torch.Tensor]


class NeuralGroupAction(Float64Constants):
    """N_g = φ⁻¹ ∘ ρ(g) ∘ φ on R^dim for every element g of ρ's finite group.

    ``dim`` defaults to ρ's dimension (2·dim ρ with ``realify=True``); a larger one adds coordinates
    fixed by G.  ``volume_preserving=True`` makes φ volume-preserving and requires |det ρ(g)| = 1,
    so that det J_{N_g} = 1.  ``layers``, ``hidden``, ``clamp`` and ``seed`` go to `CouplingFlow`.
    """

    def __init__(self, rep: Representation, dim: int | None = None, *, layers: int = 4, hidden: int = 32,
                 volume_preserving: bool = False, realify: bool = False, clamp: float = 2.0, seed: int = 0,
                 max_order: int = MAX_ORDER):
        super().__init__()
        check_finite_real(rep, realify)
        if volume_preserving:
            check_unimodular(rep)
        t = group_table(rep, dim=dim, realify=realify, max_order=max_order)
        self.rep, self.realify = rep, realify
        self.dim = t.matrices.shape[1]
        self.flow = CouplingFlow(self.dim, layers=layers, hidden=hidden, volume_preserving=volume_preserving,
                                 clamp=clamp, seed=seed)
        self.register_constant("matrices", torch.from_numpy(t.matrices))
        self.register_buffer("table", torch.from_numpy(t.table))
        self.register_buffer("inverses", torch.from_numpy(t.inverses))
        self.identity: int = t.identity
        self.generators: tuple[int, ...] = t.generators

    @property
    def order(self) -> int:
        """|G|: elements are the indices 0 … order − 1."""
        return len(self.table)

    def __len__(self) -> int:
        return self.order

    def _index(self, g: Element) -> Element:
        if isinstance(g, torch.Tensor) and g.ndim > 0:
            if g.dtype.is_floating_point or g.dtype.is_complex or g.dtype == torch.bool:
                raise InputError(f"group elements are integer indices, got a tensor of {g.dtype}: use .long()")
            if g.numel() and (int(g.min()) < 0 or int(g.max()) >= self.order):
                raise InputError(f"group element indices must lie in 0..{self.order - 1}, got "
                                 f"{int(g.min())}..{int(g.max())}")
            return g.to(device=self.table.device, dtype=torch.long)
        try:
            value = int(g)
        except (TypeError, ValueError):
            raise InputError(f"a group element is an integer index in 0..{self.order - 1}, got {g!r}") from None
        if value != g or not 0 <= value < self.order:
            raise InputError(f"a group element is an integer index in 0..{self.order - 1}, got {g!r}")
        return value

    def compose(self, g: Element, h: Element) -> Element:
        """The index of gh (N_g ∘ N_h = N_{gh}); tensors of indices give a tensor."""
        out = self.table[self._index(g), self._index(h)]
        return int(out) if out.ndim == 0 else out

    def inverse(self, g: Element) -> Element:
        """The index of g⁻¹."""
        out = self.inverses[self._index(g)]
        return int(out) if out.ndim == 0 else out

    def product(self, word: Sequence[Element]) -> Element:
        """The index of g₁g₂…g_k for ``word = [g₁, …, g_k]`` (the identity for an empty word)."""
        out: Element = self.identity
        for g in word:
            out = self.compose(out, g)
        return out

    def linear(self, g: Element, dtype: torch.dtype = torch.float64) -> torch.Tensor:
        """ρ(g) (⊕ identity on added coordinates): (dim, dim), or (..., dim, dim) for a tensor of indices."""
        return self.matrices[self._index(g)].to(dtype)

    def forward(self, x: torch.Tensor, g: Element) -> torch.Tensor:
        """N_g(x) for x of shape (..., dim); g an index, or a tensor of indices of shape x.shape[:-1]."""
        g = self._index(g)
        if isinstance(g, torch.Tensor) and isinstance(x, torch.Tensor) and g.shape != x.shape[:-1]:
            raise ShapeError(f"one element per vector: g has shape {tuple(g.shape)}, x {tuple(x.shape)}; pass "
                             f"indices of shape {tuple(x.shape[:-1])} or a single int")
        y = self.flow(x)
        mats = self.matrices[g].to(y.dtype)
        if isinstance(g, torch.Tensor):
            y = (mats @ y.unsqueeze(-1)).squeeze(-1)
        else:
            y = y @ mats.T
        return self.flow.inverse(y)

    def word(self, x: torch.Tensor, word: Sequence[Element]) -> torch.Tensor:
        """N_{g₁}(N_{g₂}(…N_{g_k}(x))): the networks composed one after the other (rightmost first),
        each a full pass through φ and φ⁻¹; ``self(x, self.product(word))`` is the one-pass equivalent."""
        for g in reversed(list(word)):
            x = self(x, g)
        return x

    def log_abs_det_jacobian(self, x: torch.Tensor, g: Element) -> torch.Tensor:
        """log|det J_{N_g}(x)| = log|det J_φ(x)| + log|det ρ(g)| − log|det J_φ(N_g x)|, shape x.shape[:-1]."""
        g = self._index(g)
        y, log_det = self.flow.forward_and_log_det(x)
        rho_term = torch.linalg.slogdet(self.matrices[g])[1].to(y.dtype)
        return log_det + rho_term - self.flow.log_abs_det_jacobian(self(x, g))

    def extra_repr(self) -> str:
        return f"group={self.rep.group.name}, order={self.order}, dim={self.dim}, realify={self.realify}"
