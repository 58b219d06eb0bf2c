"""The invariant ring of a representation: a lazy view over pure stages, certified.

Algorithm (Sturmfels, *Algorithms in Invariant Theory*, §2.5; King's degree-by-degree generators),
one module per stage, each a function from frozen inputs to a frozen result with its proof:

1. `primaries.primary_invariants`: a proven homogeneous system of parameters p;
2. `secondaries.secondary_invariants`: R = ⊕ s_j K[p], checked against the Hilbert series;
3. `generators.generator_bound` and `generators.minimal_generators`: minimal generators up to a
   proven degree bound (Noether's without any hsop when it is the smaller one);
4. `relations.relations`: minimal relations among the generators up to a stated degree.

`InvariantRing` computes each stage on first use and keeps it; what a stage returns depends only
on the representation and the options, never on which stages ran before.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Sequence

import sympy
from flint import fmpq_mpoly

from invariants.errors import InputError, check_int
from invariants.groups.action import all_invariant, is_invariant
from invariants.groups.base import ClassicalGenerators
from invariants.groups.representation import Representation, as_representation
from invariants.polynomials.echelon import Echelon
from invariants.polynomials.ideals import PROOF_MAX_BITS, PROOF_MAX_TERMS, HsopProof, ProofLimits, proof_limits
from invariants.polynomials.ring import degree
from invariants.rings.context import GradedInvariants, weighted_monomials
from invariants.rings.generators import (GenerationCheck, GeneratorBound, Generators, check_generators,
                                         generator_bound, generators_through, minimal_generators)
from invariants.rings.hsop import prove_hsop
from invariants.rings.modular import ModularInvariantRing, is_modular
from invariants.rings.primaries import (DEFAULT_MAX_HSOP_BEZOUT, MAX_HSOP_CANDIDATES, HironakaEstimate, Primaries,
                                       hironaka_estimate, prescribed_primaries, primary_invariants)
from invariants.rings.relations import MAX_RELATION_MONOMIALS, Relations, generator_symbols, relations
from invariants.rings.secondaries import Secondaries, secondary_invariants
from invariants.rings.spaces import DEFAULT_MAX_MONOMIALS
from invariants.series.hilbert import HilbertSeries


@dataclass(frozen=True)
class RingCertificate:
    """What proves the description of the invariant ring complete; every field is checkable."""

    group_order: int | None  # None for a group of positive dimension
    molien: HilbertSeries
    primary_degrees: list[int]
    hsop_proof: HsopProof
    secondary_degrees: list[int]
    hironaka_series_equals_molien: bool
    generator_degree_bound: int
    generator_bound_reason: str
    generated_dimensions: list[tuple[int, int, int]]

    @property
    def certified(self) -> bool:
        """True when the primaries, secondaries and generators are proven complete."""
        return self.hironaka_series_equals_molien and all(a == b for _, a, b in self.generated_dimensions)

    def __str__(self) -> str:
        return "\n".join([
            (f"|G| = {self.group_order}; Molien series {self.molien}" if self.group_order is not None else
             f"Molien–Weyl series {self.molien}"),
            f"primary invariants of degrees {self.primary_degrees}: an hsop by {self.hsop_proof}",
            f"secondary invariants of degrees {self.secondary_degrees}: sum t^e / prod(1 - t^d) "
            f"{'equals' if self.hironaka_series_equals_molien else 'DIFFERS FROM'} the Molien series",
            f"generators: the generated algebra has the dimension of R in every degree <= "
            f"{self.generator_degree_bound} ({self.generator_bound_reason})",
        ])


class InvariantRing:
    """The ring of invariants K[V]^G of a representation (or a finite group's natural one),
    computed lazily and exactly.

    The ``max_*`` keywords bound what is tried before a refusal that names them: the largest
    ∏ d_i of an hsop proven by a Gröbner basis (``max_hsop_bezout``), the candidate systems the
    hsop search tries (``max_hsop_candidates``), the size at which one Gröbner proof gives up
    (``max_proof_terms`` terms, ``max_proof_bits`` coefficient bits), the monomials of one degree
    solved for, the products of one degree of relations, the group elements and terms of a series.

    Example:
        >>> from invariants.catalogue import cyclic
        >>> R = InvariantRing(cyclic(4))
        >>> R.primary_degrees, R.secondary_degrees, R.generator_degrees
        ([2, 4], [0, 4], [2, 4, 4])
        >>> R.certificate.certified
        True
    """

    def __init__(self, group: Any, *, relations_degree: int | None = None,
                 max_monomials: int = DEFAULT_MAX_MONOMIALS, seed: int = 0, progress: bool | None = None,
                 max_hsop_bezout: int = DEFAULT_MAX_HSOP_BEZOUT,
                 max_relation_products: int = MAX_RELATION_MONOMIALS, primary: Sequence[Any] | None = None,
                 max_elements: int | None = None, max_terms: int | None = None, max_samples: int | None = None,
                 max_classes: int | None = None, max_hsop_candidates: int = MAX_HSOP_CANDIDATES,
                 max_proof_terms: int = PROOF_MAX_TERMS, max_proof_bits: int = PROOF_MAX_BITS):
        self.representation: Representation = as_representation(group)
        self.group = self.representation.group
        self.n = self.representation.dim
        self.name = str(self.representation) if self.representation.label != "v" else self.group.name
        self.graded = GradedInvariants(self.representation, max_monomials=max_monomials, progress=progress, seed=seed,
                                       max_elements=max_elements, max_terms=max_terms, max_samples=max_samples,
                                       max_classes=max_classes)
        self.ring = self.graded.ring
        self.order = self.group.order()
        self.max_hsop_bezout = max_hsop_bezout
        self.max_hsop_candidates = check_int(max_hsop_candidates, "max_hsop_candidates", 1)
        self.proof_limits = ProofLimits(max_proof_terms, max_proof_bits)
        self.max_relation_products = max_relation_products
        self.relations_degree = relations_degree
        self._given_primary = None if primary is None else [self._as_flint(p) for p in primary]

    # -- graded pieces --------------------------------------------------------------------
    @property
    def molien(self) -> HilbertSeries:
        return self.graded.series

    def basis(self, d: int) -> tuple[fmpq_mpoly, ...]:
        """An exact basis of the invariants of degree d (flint polynomials)."""
        return self.graded.basis(d)

    def dimension(self, d: int) -> int:
        return self.graded.dimension(d)

    # -- the stages -------------------------------------------------------------------------
    @functools.cached_property
    def primaries(self) -> Primaries:
        """Stage 1: a proven homogeneous system of parameters (a theorem's generators when they
        are as many as dim V and the series is that of the polynomial ring they would generate);
        with ``primary=[...]`` given, those, checked and proven."""
        with proof_limits(self.proof_limits):
            return self._primaries()

    def _primaries(self) -> Primaries:
        if self._given_primary is not None:
            return prescribed_primaries(self.graded, self._given_primary, max_hsop_bezout=self.max_hsop_bezout)
        found = self.classical
        if found is not None and len(found.polys) == self.graded.series.krull_dimension():
            degrees = [degree(p) for p in found.polys]
            if self.molien == HilbertSeries.from_degrees(degrees):
                proof = prove_hsop(self.ring, list(found.polys), polynomial_ring=True)
                if proof is not None:
                    return Primaries(tuple(found.polys), tuple(degrees), proof)
        return primary_invariants(self.graded, max_hsop_bezout=self.max_hsop_bezout,
                                  max_candidates=self.max_hsop_candidates)

    @functools.cached_property
    def secondaries(self) -> Secondaries:
        """Stage 2: the Hironaka decomposition over `primaries`."""
        return secondary_invariants(self.graded, self.primaries)

    @functools.cached_property
    def classical(self) -> ClassicalGenerators | None:
        """Minimal generators known by a theorem (first fundamental theorem, symmetric polynomials),
        when one applies to this representation; each is checked to be exactly invariant."""
        found = self.group.classical_generators(self.representation, self.ring)
        if found is not None and not all_invariant(self.ring, list(found.polys), self.representation):
            raise AssertionError(f"{found.theorem}: a generator is not invariant")  # pragma: no cover
        return found

    @functools.cached_property
    def generator_bound(self) -> GeneratorBound:
        """The proven degree bound for generators (needs primaries only when neither a theorem nor
        Noether's bound is the smaller)."""
        if self.classical is not None:
            return GeneratorBound(max((degree(p) for p in self.classical.polys), default=0), self.classical.theorem,
                                  "theorem")
        return generator_bound(self.graded, lambda: self.primaries)

    @functools.cached_property
    def generation(self) -> Generators:
        """Stage 3: minimal generators up to `generator_bound`, with the dimension checks (none
        needed when a theorem gives them)."""
        bound = self.generator_bound
        if self.classical is not None:
            polys = self.classical.polys
            return Generators(polys, tuple(degree(p) for p in polys), bound, ())
        return minimal_generators(self.graded, bound, self.primaries if bound.kind == "polynomial ring" else None)

    @functools.cached_property
    def relation_ideal(self) -> Relations:
        """Stage 4: minimal relations among the generators up to ``relations_degree``."""
        return relations(self.graded, self.generation, self.relations_degree, self.max_relation_products)

    @functools.cached_property
    def hironaka_estimate(self) -> HironakaEstimate:
        """What `primaries` and `secondaries` will cost, from the Hilbert series alone (the
        command line computes the decomposition by default only when it is cheap)."""
        return hironaka_estimate(self.graded)

    # -- sympy views -------------------------------------------------------------------------
    @property
    def primary(self) -> list[sympy.Expr]:
        """Primary invariants (a proven homogeneous system of parameters), as sympy expressions."""
        return [self.ring.to_sympy(p) for p in self.primaries.polys]

    @property
    def primary_degrees(self) -> list[int]:
        return list(self.primaries.degrees)

    @property
    def secondary(self) -> list[sympy.Expr]:
        """Secondary invariants: R = ⊕_j s_j · K[primaries]."""
        return [self.ring.to_sympy(p) for p in self.secondaries.polys]

    @property
    def secondary_degrees(self) -> list[int]:
        return list(self.secondaries.degrees)

    @property
    def hironaka_certified(self) -> bool:
        """True when R = ⊕ s_j K[p] is proven (the hsop proof, and Σ t^{deg s_j}/∏(1 − t^{deg p_i})
        equal to the Hilbert series); the generators are not needed.

        Example:
            >>> from invariants.catalogue import cyclic
            >>> invariant_ring(cyclic(4)).hironaka_certified
            True
        """
        return self.secondaries.certified

    @property
    def generators(self) -> list[sympy.Expr]:
        """A minimal generating set of the invariant ring."""
        return [self.ring.to_sympy(p) for p in self.generation.polys]

    @property
    def generator_degrees(self) -> list[int]:
        return list(self.generation.degrees)

    @property
    def generators_certificate(self) -> GenerationCheck:
        """Why `generators` generate R: dim R_d against the generated dimension in every degree up
        to the bound, and why the bound holds (no Hironaka decomposition needed under Noether's).

        Example:
            >>> from invariants.catalogue import cyclic
            >>> print(invariant_ring(cyclic(4, form="permutation")).generators_certificate)  # doctest: +ELLIPSIS
            complete: the candidates generate R in every degree <= 4, which proves generation (Noether's bound: ...)
        """
        gen = self.generation
        return GenerationCheck(gen.certified, None, list(gen.dimensions), gen.bound.degree, gen.bound.reason)

    def generators_up_to(self, bound: int) -> list[sympy.Expr]:
        """Minimal generators of degree <= bound (no primaries needed: cheap for a feature layer;
        complete as a generating set only if ``bound`` reaches `generator_degrees`).

        Example:
            >>> from invariants.catalogue import symmetric
            >>> invariant_ring(symmetric(4)).generators_up_to(2)
            [x0 + x1 + x2 + x3, x0**2 + x1**2 + x2**2 + x3**2]
        """
        noether = self.group.noether_bound()   # every generator has degree <= |G| (char 0): no need to look past it
        gens, _ = generators_through(self.graded, bound if noether is None else min(bound, noether))
        return [self.ring.to_sympy(g) for g in gens]

    @functools.cached_property
    def generator_symbols(self) -> list[sympy.Symbol]:
        """y0, y1, …: the names of the generators in `relations` (no relation is computed here)."""
        return generator_symbols(len(self.generation.polys))

    @property
    def relations(self) -> list[sympy.Expr]:
        """Minimal relations among the generators (in symbols y0, y1, …), up to `relations_degree_bound`."""
        return self.relation_ideal.expressions

    @property
    def relation_degrees(self) -> list[int]:
        return list(self.relation_ideal.degrees)

    @property
    def relations_degree_bound(self) -> int:
        return self.relation_ideal.degree_bound

    # -- rewriting --------------------------------------------------------------------------
    def express(self, f: Any) -> sympy.Expr:
        """An invariant f as a polynomial in the generators y0, y1, … (exact).

        Raises InputError when f is not invariant."""
        gens, degs = list(self.generation.polys), list(self.generation.degrees)
        symbols = sympy.symbols(f"y0:{len(gens)}") if gens else []
        out = sympy.Integer(0)
        for d, part in self.ring.homogeneous_parts(self._as_flint(f)).items():
            if d == 0:
                out += self.ring.field.to_sympy(self.ring.coefficients(part).get((0,) * self.n, self.ring.field.zero))
                continue
            ech = Echelon(self.ring)
            for expo in weighted_monomials(degs, d):
                ech.add(self.graded.monomial_value(gens, expo), tag=expo)
            combo = ech.solve(part)
            if combo is None:
                raise InputError(f"the degree-{d} part of the polynomial is not invariant under {self.name}")
            for expo, c in combo.items():
                out += self.ring.field.to_sympy(c) * sympy.Mul(*[s ** e for s, e in zip(symbols, expo)])
        return sympy.expand(out)

    def express_hironaka(self, f: Any) -> list[tuple[sympy.Expr, sympy.Expr]]:
        """f = Σ_j q_j(p) s_j: pairs (q_j as a polynomial in p0, p1, …, s_j as a polynomial in x)."""
        prim, pdeg = list(self.primaries.polys), list(self.primaries.degrees)
        secs = list(self.secondaries.polys)
        psyms = sympy.symbols(f"p0:{len(prim)}")
        coeffs: dict[int, sympy.Expr] = {}
        for d, part in self.ring.homogeneous_parts(self._as_flint(f)).items():
            ech = Echelon(self.ring)
            for j, s in enumerate(secs):
                ds = degree(s)
                for expo in weighted_monomials(pdeg, d - ds) if d >= ds else ():
                    ech.add(self.graded.monomial_value(prim, expo) * s, tag=(j, expo))
            combo = ech.solve(part)
            if combo is None:
                raise InputError(f"the degree-{d} part of the polynomial is not invariant under {self.name}")
            for (j, expo), c in combo.items():
                term = self.ring.field.to_sympy(c) * sympy.Mul(*[s ** e for s, e in zip(psyms, expo)])
                coeffs[j] = coeffs.get(j, sympy.Integer(0)) + term
        return [(sympy.expand(q), self.ring.to_sympy(secs[j])) for j, q in sorted(coeffs.items())]

    def _as_flint(self, f: Any) -> fmpq_mpoly:
        return f if isinstance(f, fmpq_mpoly) else self.ring.from_sympy(f)

    def check_generators(self, candidates: Sequence[Any]) -> GenerationCheck:
        """Do these invariants generate the ring?  Compared degree by degree with the Hilbert series
        up to the proven bound (`generator_bound`).

        Example:
            >>> from invariants.catalogue import symmetric
            >>> R = invariant_ring(symmetric(3))
            >>> R.check_generators(["x0 + x1 + x2", "x0*x1 + x0*x2 + x1*x2"]).complete
            False
        """
        polys = [self._as_flint(c) for c in candidates]
        for p in polys:
            if not is_invariant(self.ring, p, self.representation):
                raise InputError(f"{self.ring.to_sympy(p)} is not invariant under {self.name}")
        return check_generators(self.graded, polys, self.generator_bound)

    # -- certificate and output -----------------------------------------------------------------
    @property
    def certificate(self) -> RingCertificate:
        """What proves the description complete: the hsop, the Hironaka series identity and the
        generators' dimension checks (the relations carry their own statement: `relation_ideal`)."""
        prim, sec, gen = self.primaries, self.secondaries, self.generation
        return RingCertificate(self.order, self.molien, list(prim.degrees), prim.proof, list(sec.degrees),
                               sec.series_identity, gen.bound.degree, gen.bound.reason, list(gen.dimensions))

    def to_json(self, parts: Sequence[str] = ("generators", "hironaka", "relations")) -> dict:
        """The `molien ring --json` contract (see README): the keys of the parts asked for
        ("generators", "hironaka", "relations"), and ``certified`` for those parts.

        Example:
            >>> from invariants.catalogue import cyclic
            >>> sorted(invariant_ring(cyclic(4)).to_json(["generators"]))
            ['certified', 'generator_degrees', 'generators', 'molien', 'order']
        """
        out: dict[str, Any] = {
            "order": self.order,
            "molien": {"numerator": self.molien.numerator_list(), "denominator": self.molien.denominator_list()},
        }
        certified = True
        if "hironaka" in parts:
            out["primary_degrees"] = self.primary_degrees
            out["secondary_degrees"] = self.secondary_degrees
            certified = certified and self.hironaka_certified
        if "generators" in parts:
            out["generator_degrees"] = self.generator_degrees
            out["generators"] = [sympy.sstr(g) for g in self.generators]
            certified = certified and self.generators_certificate.complete
        if "relations" in parts:
            out["relation_degrees"] = self.relation_degrees
            out["relations_degree_bound"] = self.relations_degree_bound
        out["certified"] = certified
        return out

    def __repr__(self) -> str:
        return f"InvariantRing({self.name})"

    def _repr_latex_(self) -> str:
        gens = ",\\ ".join(sympy.latex(g) for g in self.generators)
        return rf"$K[V]^G = K[{gens}],\quad H(t) = {self.molien.latex()}$"


def invariant_ring(group: Any, **options: Any) -> InvariantRing:
    """The invariant ring of a group (its natural representation) or a representation, certified;
    over GF(p) with p dividing |G| a `ModularInvariantRing` (options: ``max_degree``, ``max_monomials``).

    Example:
        >>> from invariants.catalogue import symmetric
        >>> invariant_ring(symmetric(3)).generator_degrees
        [1, 2, 3]
    """
    rep = as_representation(group)
    if is_modular(rep):
        return ModularInvariantRing(rep, **options)
    return InvariantRing(rep, **options)
