"""Permutation groups: Schreier–Sims stabilizer chains, vectorised enumeration, conjugacy classes.

A finite matrix group acts faithfully on the (finite) orbit of a basis, so all of its group
theory — order, membership, elements, classes — is done here on permutations of that orbit.
Permutations are tuples (``p[x]`` is the image of ``x``); products act left to right:
``mul(a, b)[x] == b[a[x]]``.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from math import gcd, prod
from typing import Callable, Sequence

import numpy as np

from invariants.errors import TooLargeError

Perm = tuple
DEFAULT_MAX_ELEMENTS = 2_000_000  # a group is enumerated (for its classes) up to this order unless asked
# product replacement steps before its first random element: 1000 completes W(D30) on its 1740 roots
# (300 does not), and costs 2000 products of permutations
PRODUCT_REPLACEMENT_WARM_UP = 1000


def mul(a: Perm, b: Perm) -> Perm:
    """First a, then b."""
    return tuple(map(b.__getitem__, a))


def inverse(a: Perm) -> Perm:
    out = [0] * len(a)
    for i, x in enumerate(a):
        out[x] = i
    return tuple(out)


def is_identity(a: Perm) -> bool:
    return all(i == x for i, x in enumerate(a))


def perm_order(a: Perm) -> int:
    """Order of a permutation: lcm of its cycle lengths."""
    seen = [False] * len(a)
    order = 1
    for start in range(len(a)):
        if seen[start]:
            continue
        length, x = 0, start
        while not seen[x]:
            seen[x] = True
            x = a[x]
            length += 1
        order = order * length // gcd(order, length)
    return order


class StabilizerChain:
    """A base and strong generating set of a permutation group (deterministic Schreier–Sims).

    Example:
        >>> c = StabilizerChain([(1, 2, 0), (1, 0, 2)], 3)
        >>> c.order()
        6
        >>> c.contains((2, 1, 0))
        True
    """

    def __init__(self, generators: Sequence[Perm], degree: int, base_points: Sequence[int] | None = None,
                 known_order: int | None = None):
        """``base_points``: choose base points only among these (the action on them must be faithful).
        ``known_order``: |G| when known from theory (the catalogue's n!, 2^n n!, ...).  The product of
        the basic orbits of any partial chain is at most |G|, with equality only when the chain is
        complete, so reaching ``known_order`` proves completeness and the Schreier generators need not
        all be sifted (for the symmetric group on its adjacent transpositions, the O(n^5) part).
        A wrong ``known_order`` is the caller's error: pass it only when it is a theorem."""
        self.degree = degree
        self.identity: Perm = tuple(range(degree))
        self._candidates = list(base_points) if base_points is not None else list(range(degree))
        gens = [tuple(g) for g in generators if not is_identity(g)]
        self.base: list[int] = []
        for g in gens:
            if all(g[b] == b for b in self.base):
                self.base.append(self._moved_point(g))
        self.strong: list[list[Perm]] = []
        fixing = gens  # the generators fixing base[:i], filtered level by level (not O(levels^2 * gens))
        for b in self.base:
            self.strong.append(fixing)
            fixing = [g for g in fixing if g[b] == b]
        self.transversals: list[dict[int, Perm]] = [self._orbit(i) for i in range(len(self.base))]
        # inverses of transversal elements, made on first use: sifting needs each one many times
        self._inverses: list[dict[int, Perm]] = [{} for _ in self.base]
        if known_order is not None and self.order() < known_order:
            self._complete_to(known_order)
        if self.order() != known_order:  # not proven complete by the order: Schreier-Sims proper
            self._run()

    def _complete_to(self, order: int, patience: int = 40) -> None:
        """Sift random elements (random subproducts, seeded: the chain is reproducible) and add
        their residues until the orbits multiply to ``order`` — complete, as said in __init__ —
        or ``patience`` sifts in a row change nothing (the deterministic check then finishes).
        G(2, 1, 100), whose sign change is not on the last coordinate, needs a few residues where
        the full check sifts O(n^4) Schreier generators.  When that walk stalls, a second phase draws
        elements by product replacement (Celler et al.), after a warm-up: the walk on simple
        reflections mixes too slowly for W(D_n) on its roots (W(D16) stalled at half its order, and
        the full check of W(D30) took 200 s; product replacement completes it in a few sifts)."""
        gens = self.strong[0] if self.strong else []
        if not gens:
            return
        rng = random.Random(0)
        walk = self.identity

        def subproducts() -> Perm:
            nonlocal walk
            subproduct = self.identity  # a random subproduct of all generators (Babai), times the walk so far
            for g in gens:
                if rng.random() < 0.5:
                    subproduct = mul(subproduct, g)
            walk = mul(walk, subproduct)
            return walk

        self._sift_random(subproducts, order, patience)
        if self.order() < order:
            self._sift_random(self._product_replacement(gens, rng), order, patience)

    def _product_replacement(self, gens: Sequence[Perm], rng: random.Random,
                             warm_up: int = PRODUCT_REPLACEMENT_WARM_UP) -> Callable[[], Perm]:
        """Random elements by product replacement with an accumulator ("rattle"): a state of at
        least 11 elements generating G, s_i ← s_i·s_j (which keeps it generating: s_j⁻¹ is a power of
        s_j), the accumulator multiplied by s_i each step; ``warm_up`` steps before the first."""
        state = [gens[k % len(gens)] for k in range(max(11, len(gens) + 1))]
        acc = self.identity

        def step() -> Perm:
            nonlocal acc
            i, j = rng.sample(range(len(state)), 2)
            state[i] = mul(state[i], state[j]) if rng.random() < 0.5 else mul(state[j], state[i])
            acc = mul(acc, state[i])
            return acc

        for _ in range(warm_up):
            step()
        return step

    def _sift_random(self, draw: Callable[[], Perm], order: int, patience: int) -> None:
        """Sift elements from ``draw`` until the orbits multiply to ``order`` or ``patience`` sifts
        in a row change nothing."""
        idle = 0
        while self.order() < order and idle < patience:
            residue, level = self.sift(draw())
            if level == len(self.base) and residue == self.identity:
                idle += 1
                continue
            idle = 0
            if level == len(self.base):
                self.base.append(self._moved_point(residue))
                self.strong.append([])
                self.transversals.append({})
                self._inverses.append({})
            # residue fixes base[:level], so it may join strong[level] alone: completeness is proven
            # by the order, not by the Schreier generators, and one orbit is recomputed, not level
            self.strong[level].append(residue)
            self.transversals[level] = self._orbit(level)
            self._inverses[level] = {}

    def _orbit(self, level: int) -> dict[int, Perm]:
        b = self.base[level]
        trans = {b: self.identity}
        frontier = [b]
        while frontier:
            nxt = []
            for x in frontier:
                ux = trans[x]
                for s in self.strong[level]:
                    y = s[x]
                    if y not in trans:
                        trans[y] = mul(ux, s)
                        nxt.append(y)
            frontier = nxt
        return trans

    def _moved_point(self, g: Perm) -> int:
        for x in self._candidates:
            if g[x] != x:
                return x
        raise ValueError("the action on the base candidates is not faithful")

    def _u_inverse(self, level: int, point: int) -> Perm:
        cache = self._inverses[level]
        u = cache.get(point)
        if u is None:
            u = cache[point] = inverse(self.transversals[level][point])
        return u

    def sift(self, g: Perm, start: int = 0) -> tuple[Perm, int]:
        """Strip g through the chain from ``start``; returns (residue, level where it stopped)."""
        for level in range(start, len(self.base)):
            beta = g[self.base[level]]
            if beta not in self.transversals[level]:
                return g, level
            g = mul(g, self._u_inverse(level, beta))
        return g, len(self.base)

    def _run(self) -> None:
        i = len(self.base) - 1
        while i >= 0:
            changed = self._check_level(i)
            i = changed if changed is not None else i - 1

    def _check_level(self, i: int) -> int | None:
        trans = self.transversals[i]
        for b, ub in list(trans.items()):
            for s in self.strong[i]:
                h = mul(mul(ub, s), self._u_inverse(i, s[b]))
                residue, level = self.sift(h, i + 1)
                if level == len(self.base) and residue == self.identity:
                    continue
                if level == len(self.base):
                    self.base.append(self._moved_point(residue))
                    self.strong.append([])
                    self.transversals.append({})
                    self._inverses.append({})
                for m in range(i + 1, level + 1):
                    self.strong[m].append(residue)
                    self.transversals[m] = self._orbit(m)
                    self._inverses[m] = {}
                return level
        return None

    def order(self) -> int:
        return prod(len(t) for t in self.transversals)

    def contains(self, g: Perm) -> bool:
        residue, level = self.sift(tuple(g))
        return level == len(self.base) and is_identity(residue)

    # -- vectorised enumeration -------------------------------------------------
    def _dtype(self):
        return np.uint8 if self.degree <= 256 else (np.uint16 if self.degree <= 65536 else np.int32)

    def _tables(self):
        if not hasattr(self, "_tab"):
            tabs = []
            for level, trans in enumerate(self.transversals):
                pts = sorted(trans)
                arr = np.array([trans[p] for p in pts], dtype=self._dtype())
                inv = np.argsort(arr, axis=1).astype(self._dtype())
                pos = np.full(self.degree, -1, dtype=np.int64)
                pos[pts] = np.arange(len(pts))
                tabs.append((arr, inv, pos))
            self._tab = tabs
        return self._tab

    def elements(self, max_elements: int) -> np.ndarray:
        """All elements as an (order × degree) array, in the chain's mixed-radix order."""
        n = self.order()
        itemsize = np.dtype(self._dtype()).itemsize
        if n > max_elements:
            raise TooLargeError(
                f"the group has {n} elements, more than max_elements={max_elements} "
                f"(about {n * self.degree * itemsize / 2**30:.1f} GiB to enumerate); "
                f"pass max_elements={n} (CLI: --max-elements {n}) if the machine has the memory",
                estimate=n, option="max_elements")
        x = np.arange(self.degree, dtype=self._dtype())[None, :]
        for arr, _, _ in reversed(self._tables()):
            # element h*u acts as u[h[p]]
            x = arr[:, x].reshape(-1, self.degree) if len(arr) > 1 else x
        return np.ascontiguousarray(x)

    def index_of(self, x: np.ndarray) -> np.ndarray:
        """Positions of the rows of ``x`` (group elements) in the order of `elements`."""
        return self.index_from_base_images(np.asarray(x)[:, self.base])

    def index_from_base_images(self, images: np.ndarray) -> np.ndarray:
        """Positions of the elements whose images of the base points are the rows of ``images``.

        Sifting only ever looks at base images: (x·w)[b] = w[x[b]].
        """
        y = np.array(images, dtype=np.int64, copy=True).reshape(len(images), len(self.base))
        idx = np.zeros(len(y), dtype=np.int64)
        stride = self.order()
        for level, (arr, inv, pos) in enumerate(self._tables()):
            stride //= len(arr)
            digit = pos[y[:, level]]
            if np.any(digit < 0):
                raise ValueError("element not in the group")
            idx += digit * stride
            y = inv[digit[:, None], y]
        return idx


@dataclass(frozen=True)
class PermClass:
    """A conjugacy class: a representative permutation and the class size."""

    representative: Perm
    size: int


def _distinct(a: np.ndarray) -> np.ndarray:
    """np.unique(a) for a 1-d integer array: numpy 2's first np.unique imports numpy.ma (60 ms,
    a third of a small group's whole invariant ring)."""
    a = np.sort(a)
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if len(a) else a


def conjugacy_classes(chain: StabilizerChain, generators: Sequence[Perm], max_elements: int,
                      progress=None) -> list[PermClass]:
    """Conjugacy classes by orbits of conjugation on the enumerated group (vectorised)."""
    elems = chain.elements(max_elements)
    n = len(elems)
    base = np.array(chain.base, dtype=np.int64)
    gens = [np.array(g, dtype=np.int64) for g in generators]
    # (g^-1 x g)[b] = g[x[g^-1[b]]]: only the base images are needed to locate an element
    gather = [np.argsort(g)[base] for g in gens]
    seen = np.zeros(n, dtype=bool)
    classes: list[PermClass] = []
    start = 0
    done = 0
    while done < n:
        while seen[start]:
            start += 1
        seen[start] = True
        frontier = np.array([start])
        size = 1
        while len(frontier):
            x = elems[frontier]
            found = []
            for g, cols in zip(gens, gather):
                idx = chain.index_from_base_images(g[x[:, cols]])
                new = _distinct(idx[~seen[idx]])
                seen[new] = True
                found.append(new)
            # each generator's new elements were marked seen before the next: the parts are disjoint
            frontier = np.concatenate(found) if found else np.array([], dtype=np.int64)
            size += len(frontier)
        classes.append(PermClass(tuple(int(v) for v in elems[start]), size))
        done += size
        if progress is not None:
            progress(done, n)
    return classes
