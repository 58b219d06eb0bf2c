"""Compact groups as the algebra needs them: component classes, tori, root systems.

A compact group G with identity component G° and finite component group C is described by its
*component classes*: the identity component and, for each other class of components, the share
of G it occupies, the rank of its (twisted) maximal torus and the positive roots of the Weyl
integration formula on it.  The Molien–Weyl integral is a sum over classes of constant terms
(`invariants.groups.compact.molien_weyl`), and invariants are the polynomials the Lie algebra
kills and the component representatives fix (`invariants.groups.compact.invariants`).

Every representation of one group lists its Lie algebra matrices in the same basis (the
group's ``lie_basis``: e.g. the rotations E_ji − E_ij, i < j, for SO(n)) and its Cartan
elements as the same combinations of them, so representations built separately combine.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any, Sequence

from invariants.errors import InputError
from invariants.groups.base import AtomSpec, ComponentClass, Group, Weight, common_field
from invariants.groups.compact.invariants import compact_invariants
from invariants.groups.compact.molien_weyl import DEFAULT_MAX_TERMS, molien_weyl
from invariants.groups.compact.quotient_proof import prove_hsop_by_quotient
from invariants.groups.representation import SUM, Representation, WeightData
from invariants.series.hilbert import HilbertSeries
from invariants.linalg.matrix import Matrix


class CompactGroup(Group):
    """A compact (or reductive, through its compact form) group, by its component classes.

    Subclasses name their basic representations (``SO3().irrep(2)``, ``U1().rep([1, -1])``, …)
    through `atom`.  Two group objects are the same group when their keys agree.

    Example:
        >>> from invariants.groups.compact import SO3
        >>> G = SO3()
        >>> G.rank, G.classes[0].positive_roots, G.lie_dimension
        (1, ((1,),), 3)
    """

    is_finite = False

    def __init__(self, name: str, classes: Sequence[ComponentClass], key: tuple, lie_dimension: int,
                 spec: str | None = None, discrete: int | None = None):
        self.name = name
        self.classes = tuple(classes)
        self.key = key
        self._lie_dimension = lie_dimension
        self._spec = spec or name
        self._discrete = len(self.classes) - 1 if discrete is None else discrete

    # -- value semantics ---------------------------------------------------------------------------
    @property
    def spec(self) -> str:
        return self._spec

    def _key(self) -> Any:
        return self.key

    @property
    def rank(self) -> int:
        return self.classes[0].rank

    @property
    def is_connected(self) -> bool:
        return len(self.classes) == 1

    @property
    def discrete_generators(self) -> int:
        return self._discrete

    @property
    def lie_dimension(self) -> int:
        return self._lie_dimension

    def product(self, other: Group) -> "ProductGroup":
        return ProductGroup((self, other))

    def component_classes(self) -> tuple[ComponentClass, ...]:
        return self.classes

    # -- representations ---------------------------------------------------------------------------
    @property
    def atoms(self) -> AtomSpec:
        return AtomSpec(r"v", "v (the vector representation)")

    def atom(self, label: Any) -> Representation:
        raise InputError(f"{self.name} has no representation {label!r}; use {self.atoms.examples}")

    # -- the algorithms for compact groups -----------------------------------------------------------
    def hilbert_series(self, rep: Representation, chi: Representation | None = None, *,
                       max_elements: int | None = None, max_terms: int | None = None, method: str = "auto",
                       progress: Any = None, max_samples: int | None = None, max_classes: int | None = None):
        """The Molien–Weyl integral, proven (`invariants.groups.compact.molien_weyl`); ``max_terms``
        bounds its counting table (the finite groups' guards do not apply)."""
        if method not in ("auto", "molien_weyl"):
            raise InputError(f"unknown method {method!r} for {self.name}: use 'auto' or 'molien_weyl'")
        known = self.classical_series(rep) if chi is None and method == "auto" else None
        if known is not None:
            return known
        return molien_weyl(rep, chi, max_terms=max_terms or DEFAULT_MAX_TERMS)[0]

    def classical_series(self, rep: Representation) -> HilbertSeries | None:
        """The Hilbert series of K[V]^G in closed form when a classical theorem gives it (the
        integral's circuit enumeration grows like 2^rank: SO(30) on R^30 would never finish), else
        None."""
        return None

    def invariant_basis(self, rep: Representation, d: int, ring: Any, *, expected: int | None, method: str,
                        max_monomials: int) -> tuple[list, str]:
        if method not in ("auto", "lie_kernel"):
            raise InputError(f"unknown method {method!r} for {self.name}: use 'auto' or 'lie_kernel'")
        return compact_invariants(rep, d, ring, max_monomials), "lie_kernel"

    def hsop_proof(self, rep: Representation, ring: Any, polys: Sequence):
        """(K[V]/(p))^G by Molien–Weyl: a polynomial Hilbert series exactly when p is an hsop."""
        return prove_hsop_by_quotient(rep, ring, polys)

    def describe(self, rep: Representation) -> str:
        kind = "compact" if getattr(self, "compact", True) else "reductive"
        return f"{self.name} on {rep.label}  ({kind}, dimension {rep.dim}, rank {self.rank})"


class ProductGroup(CompactGroup):
    """G_1 × … × G_s acting on V_1 ⊗ … ⊗ V_s (built by `Representation.outer`): ranks add, roots
    embed in their own coordinates, component classes multiply.  A finite factor enters with its
    conjugacy classes as components (rank 0), so SO(3) × S_k acts on k points of R^3.

    Example:
        >>> from invariants import symmetric, molien_series
        >>> from invariants.groups.compact import SO3
        >>> V = SO3().irrep(1).outer(symmetric(3).natural())
        >>> V.group, V.dim
        (SO(3) x symmetric(3), 9)
    """

    def __init__(self, factors: Sequence[Group]):
        self.factors = tuple(factors)
        per_factor = [f.component_classes() for f in self.factors]
        classes = []
        for combo in itertools.product(*per_factor):
            offset = sum(c.rank for c in combo)
            roots: list[Weight] = []
            start = 0
            share = Fraction(1)
            for c in combo:
                share *= c.share
                roots += [(0,) * start + r + (0,) * (offset - start - c.rank) for r in c.positive_roots]
                start += c.rank
            classes.append(ComponentClass(share, offset, tuple(roots), " × ".join(c.name for c in combo)))
        specs = [f.spec for f in self.factors]
        super().__init__(" × ".join(f.name for f in self.factors), classes, ("product", self.factors),
                         sum(f.lie_dimension for f in self.factors),
                         spec=" x ".join(specs) if all(isinstance(x, str) for x in specs) else None,
                         discrete=sum(f.discrete_generators for f in self.factors))
        if not all(isinstance(x, str) for x in specs):
            self._spec = {"product": specs}

    def atom(self, label: Any) -> Representation:
        raise InputError(f"representations of {self.name} are built as V.outer(W) from its factors' representations")

    def rep_spec(self, text: str) -> str | dict:
        return text

    def outer(self, V: Representation, W: Representation) -> Representation:
        """V ⊠ W, with the weight data of every pair of component classes."""
        f = common_field(V.field, W.field)
        a_id, b_id = Matrix.identity(V.dim, f), Matrix.identity(W.dim, f)
        images = [g.change_field(f).kron(b_id) for g in V.images] + [a_id.kron(h.change_field(f)) for h in W.images]
        lie = [x.change_field(f).kron(b_id) for x in V.lie_algebra] + [a_id.kron(y.change_field(f)) for y in W.lie_algebra]
        (pv, cv, wv), (pw, cw, ww) = _weight_data(V), _weight_data(W)
        wf = common_field(pv.field, pw.field)
        av, aw = Matrix.identity(V.dim, wf), Matrix.identity(W.dim, wf)
        torus = WeightData(pv.change_field(wf).kron(pw.change_field(wf)),
                           tuple(h.change_field(wf).kron(aw) for h in cv) + tuple(av.kron(k.change_field(wf)) for k in cw),
                           tuple(tuple((u + v, (z + y) % 1) for u, z in x for v, y in yy)
                                 for x, yy in itertools.product(wv, ww)))
        element_map = None
        if V._element_map is not None and W._element_map is not None:
            def element_map(pair: Any) -> Matrix:
                if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                    raise InputError(f"an element of {self.name} is a pair (g, h)")
                x, y = V(pair[0]), W(pair[1])
                common = common_field(x.field, y.field)
                return x.change_field(common).kron(y.change_field(common))
        text = None
        if isinstance(V.spec_or_none, str) and isinstance(W.spec_or_none, str):
            text = f"{V.spec_or_none} x {W.spec_or_none}"
        return Representation.make(self, images, lie, dim=V.dim * W.dim, field=f, text=text, precedence=SUM + 1,
                                   torus=torus, element_map=element_map,
                                   construction=("outer", V.dim * W.dim, V.construction, W.construction))


def _weight_data(rep: Representation):
    """(weight basis, Cartan elements, class weights) of a factor; a finite factor's are read off its classes."""
    if rep.torus is not None:
        return rep.weight_basis, rep.cartan, rep.class_weights
    return Matrix.identity(rep.dim, rep.field), (), rep.group.class_weights(rep)


def roots_type_a(n: int) -> tuple[Weight, ...]:
    """Positive roots e_i − e_j (i < j) of U(n) in the coordinates of its diagonal torus."""
    out = []
    for i, j in itertools.combinations(range(n), 2):
        v = [0] * n
        v[i], v[j] = 1, -1
        out.append(tuple(v))
    return tuple(out)


def roots_type_bcd(m: int, kind: str) -> tuple[Weight, ...]:
    """Positive roots of B_m (SO(2m+1)), C_m and D_m (SO(2m)) in the standard coordinates."""
    out = []
    for i, j in itertools.combinations(range(m), 2):
        for s in (-1, 1):
            v = [0] * m
            v[i], v[j] = 1, s
            out.append(tuple(v))
    for i in range(m):
        v = [0] * m
        if kind == "B":
            v[i] = 1
            out.append(tuple(v))
        elif kind == "C":
            v[i] = 2
            out.append(tuple(v))
    return tuple(out)


HALF = Fraction(1, 2)
