"""The group protocol: what every group offers the algorithms, finite or compact.

A `Group` acts linearly through its `Representation`s (`invariants.groups.representation`, one
value type for every kind of group).  A representation is given by the images of the group's
*discrete generators* (all generators of a finite group; one element per non-identity component
class of a compact group) and of a fixed basis of its *Lie algebra* (empty for a finite group).
A polynomial is invariant exactly when the discrete generators fix it and the Lie algebra kills
it, so everything linear — invariants of one degree, equivariant maps, isotypic components —
is computed from those matrices, written once.

What differs between kinds of groups is behind the methods below, each the best algorithm that
kind of group allows: the Hilbert series (class sums or the Molien–Weyl integral), a basis of
the invariants of one degree (orbit sums, power sums or a fixed space; the Lie algebra's
kernel on weight-zero monomials), Noether's degree bound, and extra ways to prove a system of
parameters.  Algorithms call these; none asks which kind of group it was given.

Groups are values: equal when they are the same group acting on the same space, printable as
a spec that `invariants.catalogue.spec.load_spec` reads back.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Sequence

from invariants.errors import InputError

if TYPE_CHECKING:  # only for annotations: the protocol imports no implementation
    from invariants.fields.base import Field
    from invariants.groups.representation import Representation
    from invariants.linalg.matrix import Matrix
    from invariants.polynomials.ideals import HsopProof
    from invariants.polynomials.ring import PolynomialRing
    from invariants.series.hilbert import HilbertSeries

Weight = tuple[int, ...]
SignedWeight = tuple[Weight, Fraction]  # (weight ν, phase ζ as an exponent in Q/Z): the eigenvalue ζ·z^ν


@dataclass(frozen=True)
class ComponentClass:
    """A class of components of a compact group (a conjugacy class, for a finite group): its share
    of the Haar measure, the rank of its maximal (twisted) torus, and the positive roots of the
    Weyl integration formula restricted to that torus."""

    share: Fraction
    rank: int
    positive_roots: tuple[Weight, ...]
    name: str = "identity component"


@dataclass(frozen=True)
class ClassicalGenerators:
    """Minimal generators of an invariant ring known by a theorem (flint polynomials in the
    representation's coordinates), and which theorem."""

    polys: tuple
    theorem: str


@dataclass(frozen=True)
class ClassicalCovariants:
    """Minimal generators of a covariant module known by a theorem: maps (tuples of flint
    polynomials, one per coordinate of the target), their degrees, and which theorem."""

    maps: tuple
    degrees: tuple
    theorem: str


@dataclass(frozen=True)
class AtomSpec:
    """How a group names its basic representations in specs: a regular expression for the labels
    (``\\d+`` for SO(3)'s irreps, ``\\d+[eo]`` for O(3)'s, …) and examples for error messages."""

    pattern: str
    examples: str


class Group(ABC):
    """A group acting linearly; see the module docstring for the protocol.

    Example:
        >>> from invariants import symmetric
        >>> from invariants.groups.compact import SO3
        >>> symmetric(3).is_finite, SO3().is_finite
        (True, False)
        >>> symmetric(3) == symmetric(3), repr(SO3())
        (True, 'SO(3)')
    """

    name: str

    # -- value semantics ---------------------------------------------------------------------
    @property
    @abstractmethod
    def spec(self) -> str | dict:
        """What `load_spec` reads back to an equal group: a string, or a JSON-like dict."""

    @abstractmethod
    def _key(self) -> Any:
        """Hashable data that equal groups share."""

    def _same(self, other: "Group") -> bool:
        return self._key() == other._key()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Group) and type(self)._key is type(other)._key and self._same(other)

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return self.spec if isinstance(self.spec, str) else f"{type(self).__name__}({self.spec!r})"

    # -- shape ---------------------------------------------------------------------------------
    @property
    @abstractmethod
    def is_finite(self) -> bool: ...

    def order(self) -> int | None:
        """The number of elements; None for a group of positive dimension."""
        return None

    @property
    @abstractmethod
    def discrete_generators(self) -> int:
        """How many matrices a representation lists besides its Lie algebra."""

    @property
    def lie_dimension(self) -> int:
        """The dimension of the Lie algebra (0 for a finite group)."""
        return 0

    # -- representations -------------------------------------------------------------------------
    @abstractmethod
    def atom(self, label: Any) -> "Representation":
        """The basic representation named ``label`` in this group's spec grammar."""

    @property
    @abstractmethod
    def atoms(self) -> AtomSpec: ...

    def representation_from_images(self, images: Sequence[Any], *, field: Any = None,
                                   check: bool = True) -> "Representation":
        """The representation with the given images of the discrete generators (finite groups)."""
        raise InputError(f"{self.name}: build representations from {self.atoms.examples}, not from images")

    def image_group(self, rep: "Representation") -> Any:
        """ρ(G) as a finite matrix group (finite groups only)."""
        raise InputError(f"{self.name} is not finite: its image is not a finite matrix group")

    def restriction(self, rep: "Representation", subgroup: "Group") -> "Representation":
        raise InputError(f"restriction to a subgroup is defined for finite groups given by generators, not {self.name}")

    def same_generators(self, other: "Group") -> bool:
        """Whether the two equal groups list the same discrete generators (then representations
        compare by their matrices; otherwise by their values on one group's generators)."""
        return True

    def generator_elements(self) -> list:
        """The discrete generators as elements a representation can be evaluated at."""
        return []

    def default_representation(self) -> "Representation":
        """The representation meant when only the group is given (a finite group's natural one)."""
        raise InputError(f"{self.name} has no default representation: give one, e.g. {self.atoms.examples}")

    # -- the algorithms that depend on the kind of group ------------------------------------------------
    @abstractmethod
    def hilbert_series(self, rep: "Representation", chi: "Representation | None" = None, *,
                       max_elements: int | None = None, max_terms: int | None = None, method: str = "auto",
                       progress: Any = None, max_samples: int | None = None,
                       max_classes: int | None = None) -> "HilbertSeries":
        """Σ_d (multiplicity of χ in S^d V) t^d; the invariants when chi is None.

        Size guards: ``max_elements`` (the largest finite group enumerated for its classes),
        ``max_samples`` and ``max_classes`` (the random elements drawn, and the classes sampled,
        for a finite group too large to list) and ``max_terms`` (the table of a Molien–Weyl count);
        each group reads the ones that bound its method (None: the default)."""

    @abstractmethod
    def invariant_basis(self, rep: "Representation", d: int, ring: "PolynomialRing", *, expected: int | None,
                        method: str, max_monomials: int) -> tuple[list, str]:
        """A spanning set of the degree-d invariants (flint polynomials in ``ring``) and the method's name."""

    def invariant_dimension(self, rep: "Representation", d: int, *, max_monomials: int) -> int | None:
        """dim of the degree-d invariants (None when it cannot be computed ahead of a basis)."""
        return rep.molien_series()[d]

    def noether_bound(self) -> int | None:
        """A degree bound for generators of every invariant ring of this group (Noether's |G| in
        characteristic 0), or None when there is none to read off the group."""
        return None

    def averaging_elements(self, rep: "Representation", limit: int) -> list | None:
        """The matrices ρ(g) of all group elements when there are at most ``limit`` of them (the
        Reynolds operator may then average over them), else None."""
        return None

    def nullcone_theorem(self, rep: "Representation") -> tuple[int, str] | None:
        """The nullcone's dimension and the theorem that gives it without computation, or None."""
        return None

    def classical_generators(self, rep: "Representation", ring: "PolynomialRing") -> ClassicalGenerators | None:
        """Minimal generators of K[V]^G when a classical theorem gives them (no computation), else None."""
        return None

    def classical_covariants(self, V: "Representation", W: "Representation",
                             ring: "PolynomialRing") -> ClassicalCovariants | None:
        """Minimal generators of the equivariant maps V → W over K[V]^G when a classical theorem
        gives them (no computation), else None."""
        return None

    def hsop_proof(self, rep: "Representation", ring: "PolynomialRing", polys: Sequence) -> "HsopProof | None":
        """A proof that ``polys`` is a system of parameters that only this kind of group can give
        (after the generic ones failed), or None."""
        return None

    def component_classes(self) -> tuple[ComponentClass, ...]:
        """The classes the Molien–Weyl integral sums over (the identity component first): what a
        product with this group needs."""
        raise InputError(f"{self.name} cannot be a factor of a product group")

    def class_weights(self, rep: "Representation") -> tuple[tuple[SignedWeight, ...], ...]:
        """Per component class, the eigenvalues ζ·z^ν of an element of its (twisted) torus on ``rep``."""
        return rep.class_weights

    def product(self, other: "Group") -> "Group":
        """G × H, the group of pairs (acting on V ⊗ W through `Representation.outer`)."""
        raise InputError(f"{self.name} cannot be a factor of a product group")

    def rep_spec(self, text: str) -> str | dict:
        """The spec of this group's representation written ``text`` in its grammar."""
        return f"{self.spec}:{text}" if isinstance(self.spec, str) else {"group": self.spec, "rep": text}

    def random_elements(self, count: int, seed: int | None = None) -> list:
        """Exact random elements in the group's defining form (uniform for a finite group)."""
        raise InputError(f"{self.name} has no exact random elements; sample it numerically (bridge.sample)")

    def describe(self, rep: "Representation") -> str:
        """One line for the command line: the group, the space, and what sizes it."""
        return f"{self.name} on {rep}  (dimension {rep.dim})"


def check_same_group(V: "Representation", W: "Representation") -> None:
    """Refuse two representations of different groups, naming both."""
    if V.group != W.group:
        raise InputError(f"V is a representation of {V.group.name} and W of {W.group.name}: both must be "
                         "representations of the same group (build both from one group)")


def common_field(*fields: "Field") -> "Field":
    """A field containing all the given ones: the one of largest degree (QQ lies in all; a field
    that does not contain another fails later with a `FieldError`)."""
    return max(fields, key=lambda f: f.degree)
