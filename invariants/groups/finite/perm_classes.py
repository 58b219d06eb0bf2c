"""Conjugacy classes of a large permutation group without enumerating it.

Given a stabilizer chain (`permgroup.StabilizerChain`) the classes are found by sampling and
*proved* complete by counting:

- candidates: the generators, uniformly random elements (one random transversal element per
  level of the chain, vectorised), and the powers of every class representative and its products
  with central elements (they reach the small classes, such as the central −1, that uniform
  sampling would practically never hit);
- a candidate whose invariants (cycle type; with the orbitals — the orbits on pairs of points —
  the orbitals of (x, g x) and (x, g² x) counted over x) differ from those of every class found so
  far is a new class; one whose invariants match is set aside and, only when sampling stops
  finding classes, decided by a backtrack conjugacy test against the classes with its invariants
  (after an optional caller-supplied key such as the characteristic polynomial of a matrix);
- every class size is |G| / |C_G(g)|, with the centraliser computed exactly by backtrack search
  over the base (an element commuting with g maps each g-cycle onto a g-cycle of the same length,
  h(g^i x) = g^i h(x), so one base image fixes a whole cycle of images);
- the classes found are pairwise non-conjugate by construction, so the classes are complete
  exactly when their sizes sum to |G|; anything else is a refusal (`TooLargeError`), never a guess.

Permutations are tuples, ``p[x]`` the image of x, as in `permgroup`.
"""
from __future__ import annotations

from collections import Counter
from math import gcd
from typing import Any, Callable, Hashable, Sequence

import numpy as np

from invariants.errors import TooLargeError
from invariants.groups.finite.permgroup import PermClass, Perm, StabilizerChain

DEFAULT_MAX_SAMPLES = 100_000  # random elements drawn before the search for classes gives up
DEFAULT_MAX_CLASSES = 300      # classes sampled (a centraliser each) before a group that cannot be listed is refused
LOWER_BOUND_SAMPLES = 512      # random elements whose cycle types bound the number of classes from below
MAX_CENTRAL_MULTIPLES = 16     # central elements whose multiples of each new class are tried


def cycle_lengths(g: Sequence[int]) -> list[int]:
    """``out[x]`` = the length of the cycle of g through x."""
    n = len(g)
    out = [0] * n
    for start in range(n):
        if out[start]:
            continue
        cyc = [start]
        x = g[start]
        while x != start:
            cyc.append(x)
            x = g[x]
        length = len(cyc)
        for y in cyc:
            out[y] = length
    return out


def cycle_type(g: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """The cycle type as sorted (length, number of cycles) pairs.

    Example:
        >>> cycle_type((1, 0, 3, 4, 2, 5))
        ((1, 1), (2, 1), (3, 1))
    """
    counts = Counter(cycle_lengths(g))
    return tuple(sorted((length, c // length) for length, c in counts.items()))


class BacktrackSearch:
    """Centralisers and conjugating elements in the group of a stabilizer chain, by backtrack
    over the base.

    An element h is determined by its base images; they are chosen level by level from the
    transversals (h = u_0 ∘ u_1 ∘ … ∘ u_{k-1}), and a partial h is abandoned as soon as

    - an image violates h ∘ g1 = g2 ∘ h (each chosen image fixes the images of its whole g1-cycle,
      which must be a g2-cycle of the same length, disjoint from the images already taken), or
    - a forced image cannot be reached any more: with the prefix P fixed, the remaining factor
      lies in the stabiliser G^(j) and moves each point only inside its G^(j)-orbit.

    Example:
        >>> chain = StabilizerChain([(1, 2, 3, 0), (1, 0, 2, 3)], 4)          # S4
        >>> BacktrackSearch(chain).centraliser((1, 0, 3, 2))[0]                 # C((01)(23)) = D8
        8
        >>> BacktrackSearch(chain).conjugator((1, 0, 2, 3), (0, 1, 3, 2)) is not None
        True
    """

    def __init__(self, chain: StabilizerChain, orbitals: np.ndarray | None = None):
        """``orbitals``: the table of `orbital_ids`, when known — it sharpens the cycle condition:
        h(x) = y needs (x, g1^e x) and (y, g2^e y) in the same orbital for every e."""
        self.orbitals = orbitals
        self.n = chain.degree
        self.base = list(chain.base)
        self.k = len(self.base)
        self.trans = chain.transversals
        # the transversals as index arrays (rows in the order of the sorted orbit points): a node
        # of the search composes permutations, which numpy does at C speed
        self.tables = [(arr.astype(np.intp), inv.astype(np.intp), pos) for arr, inv, pos in chain._tables()]
        self.identity = tuple(range(self.n))
        self._ident = np.arange(self.n, dtype=np.intp)
        # orbit ids of each stabiliser G^(j) on all points (level k: the trivial group)
        self.orbit_id = [np.array(_orbit_ids(chain.strong[j], self.n)) for j in range(self.k)] + [self._ident]

    # -- the search --------------------------------------------------------------------------
    def _setup(self, g1: Perm, g2: Perm) -> None:
        self.g1, self.g2 = g1, g2
        self.g1a, self.g2a = np.array(g1, dtype=np.intp), np.array(g2, dtype=np.intp)
        self.cyc1, self.cyc2 = cycle_lengths(g1), cycle_lengths(g2)
        self.lab1, self.lab2 = self._point_labels()
        self.lab2a = np.array(self.lab2)
        self.img = [-1] * self.n
        self.used = [False] * self.n
        self.stack: list[int] = []
        self.stack_img: list[int] = []

    def _point_labels(self) -> tuple[list[int], list[int]]:
        """Labels of the points for g1 and for g2, equal where h(x) = y is possible: the cycle length,
        and with the orbital table the orbitals of (x, g^e x) for e = 1 … 31."""
        if self.orbitals is None:
            return self.cyc1, self.cyc2
        profiles = []
        for g, cyc in ((self.g1a, self.cyc1), (self.g2a, self.cyc2)):
            cols = [np.array(cyc)]
            cur = g
            for _ in range(min(max(cyc) - 1, 31)):
                cols.append(self.orbitals[self._ident, cur])
                cur = g[cur]
            profiles.append(np.stack(cols, axis=1))
        width = max(p.shape[1] for p in profiles)
        both = np.zeros((2 * self.n, width), dtype=np.int64)
        both[:self.n, :profiles[0].shape[1]] = profiles[0]
        both[self.n:, :profiles[1].shape[1]] = profiles[1]
        labels = np.unique(both, axis=0, return_inverse=True)[1].ravel()
        return labels[:self.n].tolist(), labels[self.n:].tolist()

    def _assign(self, x: int, y: int) -> bool:
        """h(x) = y, and so h(g1^t x) = g2^t y along the whole cycle; False on a contradiction."""
        img = self.img
        if img[x] >= 0:
            return img[x] == y  # cycles are always assigned whole, so one point decides
        if self.used[y] or self.lab1[x] != self.lab2[y]:
            return False
        g1, g2, used, stack, stack_img = self.g1, self.g2, self.used, self.stack, self.stack_img
        for _ in range(self.cyc1[x]):
            img[x] = y
            used[y] = True
            stack.append(x)
            stack_img.append(y)
            x, y = g1[x], g2[y]
        return True

    def _undo(self, mark: int) -> None:
        img, used, stack, stack_img = self.img, self.used, self.stack, self.stack_img
        while len(stack) > mark:
            x = stack.pop()
            used[stack_img.pop()] = False
            img[x] = -1

    def _dfs(self, level: int, prefix: np.ndarray, pinv: np.ndarray, first: Sequence[int] | None = None
             ) -> Perm | None:
        """An element h = prefix ∘ (element of G^(level)) satisfying the assignments, or None
        (``pinv`` is prefix⁻¹; both index arrays)."""
        if level == self.k:
            if np.array_equal(prefix[self.g1a], self.g2a[prefix]):
                return tuple(prefix.tolist())
            return None  # pragma: no cover - the base images determine h, which the cycles fix
        b = self.base[level]
        arr, inv, pos = self.tables[level]
        forced = self.img[b]
        if first is not None:
            gammas = first
        elif forced >= 0:
            gm = int(pinv[forced])
            gammas = [gm] if pos[gm] >= 0 else []
        else:
            pts = np.flatnonzero(pos >= 0)
            ys = prefix[pts]
            ok = self.lab2a[ys] == self.lab1[b]
            used = self.used
            gammas = [gm for gm, y, good in zip(pts.tolist(), ys.tolist(), ok.tolist()) if good and not used[y]]
        nxt_orbit = self.orbit_id[level + 1]
        stack, stack_img = self.stack, self.stack_img
        for gm in gammas:
            mark = len(stack)
            if self._assign(b, int(prefix[gm])):
                row = pos[gm]
                p2 = prefix[arr[row]]  # x ↦ prefix(u(x))
                p2inv = inv[row][pinv]
                # the rest of h lies in G^(level+1), which moves x only inside its orbit there
                xs = np.array(stack, dtype=np.intp)
                if np.array_equal(nxt_orbit[p2inv[np.array(stack_img, dtype=np.intp)]], nxt_orbit[xs]):
                    found = self._dfs(level + 1, p2, p2inv)
                    if found is not None:
                        return found
            self._undo(mark)
        return None

    # -- public questions --------------------------------------------------------------------
    def centraliser(self, g: Perm) -> tuple[int, list[Perm]]:
        """(|C_G(g)|, generators of C_G(g)), exactly: a base and strong generators of the
        centraliser are built from the bottom level up; at level i only points outside the orbit
        of b_i under the part found so far are searched for (Sims' subgroup search)."""
        self._setup(g, g)
        lab = self.lab1
        gens: list[Perm] = []
        order = 1
        for i in range(self.k - 1, -1, -1):
            b = self.base[i]
            orbit = _orbit(b, gens)  # everything found so far fixes b_0 … b_{i-1}
            failed: set[int] = set()
            # C^(i) fixes b_0 … b_{i-1}, hence (commuting with g) their whole g-cycles
            feasible = all(self._assign(self.base[j], self.base[j]) for j in range(i)) and \
                all(self.orbit_id[i][x] == self.orbit_id[i][self.img[x]] for x in self.stack)
            mark = len(self.stack)
            for gm in self.trans[i]:
                if gm in orbit or gm in failed:
                    continue
                h = None
                if feasible and lab[gm] == lab[b]:
                    h = self._dfs(i, self._ident, self._ident, first=[gm])
                    self._undo(mark)
                if h is None:
                    failed |= _orbit(gm, gens)
                else:
                    gens.append(h)
                    orbit = _orbit(b, gens)
            self._undo(0)
            order *= len(orbit)
        return order, gens

    def conjugator(self, g1: Perm, g2: Perm, centraliser_gens: Sequence[Perm] = ()) -> Perm | None:
        """An h in G with h ∘ g1 ∘ h⁻¹ = g2 (so g1 and g2 are conjugate), or None if there is none.

        The conjugators form the coset C_G(g2) ∘ h, so the image of b_0 need only be tried once in
        each orbit of ``centraliser_gens`` (generators of C_G(g2), when known)."""
        if sorted(cycle_lengths(g1)) != sorted(cycle_lengths(g2)):
            return None
        if self.k == 0:
            return self.identity if g1 == g2 else None
        self._setup(g1, g2)
        if sorted(self.lab1) != sorted(self.lab2):
            return None
        b = self.base[0]
        want = self.lab1[b]
        tried: set[int] = set()
        for gm in self.trans[0]:
            if gm in tried or self.lab2[gm] != want:
                continue
            tried |= _orbit(gm, centraliser_gens)
            h = self._dfs(0, self._ident, self._ident, first=[gm])
            self._undo(0)
            if h is not None:
                return h
        return None


def _orbit(point: int, gens: Sequence[Perm]) -> set[int]:
    orbit = {point}
    frontier = [point]
    while frontier:
        nxt = []
        for x in frontier:
            for s in gens:
                y = s[x]
                if y not in orbit:
                    orbit.add(y)
                    nxt.append(y)
        frontier = nxt
    return orbit


def _orbit_ids(gens: Sequence[Perm], n: int) -> list[int]:
    ids = [-1] * n
    for start in range(n):
        if ids[start] >= 0:
            continue
        for x in _orbit(start, gens):
            ids[x] = start
    return ids


def random_elements(chain: StabilizerChain, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` uniformly random elements as rows: one uniformly random transversal element per
    level, composed (vectorised over the batch)."""
    tables = chain._tables()
    x = np.broadcast_to(np.arange(chain.degree, dtype=tables[0][0].dtype if tables else np.int64),
                        (count, chain.degree)) if not tables else None
    for arr, _, _ in reversed(tables):
        pick = arr[rng.integers(len(arr), size=count)]
        # element h*u acts as u[h[p]], as in `StabilizerChain.elements`
        x = pick if x is None else np.take_along_axis(pick, x.astype(np.intp), axis=1)
    return np.ascontiguousarray(x)


def cycle_length_counts(rows: np.ndarray) -> np.ndarray:
    """For each row (a permutation), the number of points on cycles of each length: an array
    ``out[r, l]`` (vectorised: the powers g^t are walked until every point has come back)."""
    count, n = rows.shape
    idx = rows.astype(np.intp)
    ident = np.arange(n)
    lengths = np.zeros((count, n), dtype=np.intp)
    cur = idx
    t = 1
    while True:
        back = (cur == ident) & (lengths == 0)
        lengths[back] = t
        if lengths.all():
            break
        cur = np.take_along_axis(idx, cur, axis=1)
        t += 1
    flat = (np.arange(count)[:, None] * (n + 1) + lengths).ravel()
    return np.bincount(flat, minlength=count * (n + 1)).reshape(count, n + 1)


def _type_from_counts(row: np.ndarray) -> tuple[tuple[int, int], ...]:
    return tuple((int(length), int(row[length]) // int(length)) for length in np.flatnonzero(row))


MAX_ORBITAL_DEGREE = 1500  # the orbital table has degree² entries


def orbital_ids(generators: Sequence[Perm], n: int) -> np.ndarray:
    """``out[x, y]``: the orbit of the pair (x, y) under the group (its orbital), numbered 0, 1, …

    Labels are spread to a fixed point, each pair taking the least label reachable from it; each
    generator permutes the pairs, so the spread both ways is two gathers, and a label (a pair in
    the same orbit) is replaced by its own label to shortcut long paths."""
    lab = np.arange(n * n, dtype=np.int64)
    moves = []
    for g in generators:
        g = np.asarray(g, dtype=np.int64)
        mv = (g[:, None] * n + g[None, :]).ravel()  # the pair (x, y) -> (g x, g y)
        back = np.empty_like(mv)
        back[mv] = np.arange(n * n)
        moves += [mv, back]
    while True:
        old = lab
        for mv in moves:
            lab = np.minimum(lab, lab[mv])
        lab = lab[lab]
        if np.array_equal(lab, old):
            break
    return np.unique(lab, return_inverse=True)[1].reshape(n, n)


def class_invariants(rows: np.ndarray, orbitals: np.ndarray | None) -> list[tuple]:
    """Class invariants of the permutations in ``rows``: the cycle type and, given the orbital
    table, how many points x have (x, g x) — and (x, g² x) — in each orbital (conjugating g by h
    moves (x, g x) to (h x, (h g h⁻¹)(h x)), in the same orbital).  For a Weyl group on its roots
    the orbitals are the inner products, and these counts separate all 60 classes of W(E7)."""
    counts = cycle_length_counts(rows)
    types = [_type_from_counts(c) for c in counts]
    if orbitals is None:
        return [(t,) for t in types]
    count, n = rows.shape
    idx = rows.astype(np.intp)
    width = int(orbitals.max()) + 1
    offsets = np.arange(count)[:, None] * width
    ident = np.arange(n)[None, :]
    one = np.bincount((orbitals[ident, idx] + offsets).ravel(), minlength=count * width).reshape(count, width)
    sq = np.take_along_axis(idx, idx, axis=1)
    two = np.bincount((orbitals[ident, sq] + offsets).ravel(), minlength=count * width).reshape(count, width)
    return [(t, a.tobytes(), b.tobytes()) for t, a, b in zip(types, one, two)]


def sampled_conjugacy_classes(chain: StabilizerChain, generators: Sequence[Perm], *,
                              key: Callable[[Perm], Hashable] | None = None, seed: int = 0,
                              max_samples: int = DEFAULT_MAX_SAMPLES, max_classes: int | None = None,
                              progress: Callable[[int, int], None] | None = None) -> list[PermClass]:
    """The conjugacy classes of ⟨generators⟩ (with its stabilizer ``chain``), without enumeration.

    Classes are found by sampling (see the module docstring) and the answer is certified: the
    classes are pairwise non-conjugate and their sizes |G|/|C_G(g)| sum to |G|.  ``key`` is an
    optional class invariant (a function of the permutation, e.g. the characteristic polynomial of
    the matrix it stands for) that spares conjugacy tests between classes of equal cycle type.
    ``seed`` makes the representatives and their order reproducible; ``progress(found, |G|)``
    reports the number of elements accounted for.  Raises `TooLargeError` (option
    ``max_samples``) if ``max_samples`` random elements do not complete the count, and (option
    ``max_classes``) as soon as more than ``max_classes`` classes are found: a group with many
    small classes (an abelian one) is listed faster than sampled.

    Example:
        >>> from invariants.groups.finite.permgroup import StabilizerChain
        >>> gens = [(1, 2, 3, 4, 0), (1, 0, 2, 3, 4)]                        # S5
        >>> sorted(c.size for c in sampled_conjugacy_classes(StabilizerChain(gens, 5), gens))
        [1, 10, 15, 20, 20, 24, 30]
    """
    order = chain.order()
    if max_classes is not None:
        # distinct cycle types among a few random elements: a proven lower bound on the number of
        # classes, cheap (vectorised, no centraliser), so a group with far too many is refused at once
        types = len({row.tobytes() for row in cycle_length_counts(
            random_elements(chain, LOWER_BOUND_SAMPLES, np.random.default_rng(seed + 1)))})
        if types > max_classes:
            raise TooLargeError(
                f"the group has at least {types} conjugacy classes ({types} cycle types among "
                f"{LOWER_BOUND_SAMPLES} random elements), more than the {max_classes} allowed: sampling them "
                f"costs a centraliser each. {_more_classes_advice(order, 2 * max(types, max_classes))}",
                estimate=types, option="max_classes")
    orbitals = orbital_ids(generators, chain.degree) if chain.degree <= MAX_ORBITAL_DEGREE else None
    search = BacktrackSearch(chain, orbitals)
    rng = np.random.default_rng(seed)
    reps: list[Perm] = []
    sizes: list[int] = []
    cents: list[list[Perm]] = []
    extras: list[Hashable] = []
    by_type: dict[Any, list[int]] = {}      # cycle type -> classes found with it
    mass: dict[Any, int] = {}               # cycle type -> elements in those classes
    pending: dict[Any, list[Perm]] = {}     # cycle type -> set-aside random elements (a few each)
    seen_types: Counter = Counter()         # cycle type -> uniform samples with it
    resolved = [0]                          # set-aside elements decided
    # candidates derived from new classes (powers, z·g), with their centraliser when it is known:
    # C(g^e) = C(g) for e prime to the order of g, and C(z·g) = C(g) for a central z
    todo: list[tuple[Perm, tuple, Any]] = []
    derived: list[tuple[Any, Perm, Any]] = []    # set-aside powers and central multiples
    derived_seen: set[Perm] = set()
    total = 0

    def extra_key(g: Perm) -> Hashable:
        return key(g) if key is not None else None

    def add(g: Perm, ct: Any, extra: Hashable, cent: tuple[int, list[Perm]] | None = None) -> None:
        nonlocal total
        if max_classes is not None and len(reps) >= max_classes:
            raise TooLargeError(
                f"the group has more than the {max_classes} conjugacy classes allowed ({total} of its {order} "
                f"elements accounted for): sampling them costs a centraliser each. "
                f"{_more_classes_advice(order, 2 * max_classes)}", estimate=len(reps) + 1, option="max_classes")
        c_order, c_gens = cent if cent is not None else search.centraliser(g)
        reps.append(g)
        sizes.append(order // c_order)
        cents.append(c_gens)
        extras.append(extra)
        by_type.setdefault(ct, []).append(len(reps) - 1)
        mass[ct] = mass.get(ct, 0) + order // c_order
        total += order // c_order
        if progress is not None:
            progress(total, order)
        # the powers of a class representative, and its products with central elements, lie in
        # classes that sampling may practically never hit (the class of −1 has one element)
        ga = np.array(g, dtype=np.intp)
        m = _order(g)
        rows = [ga]
        for _ in range(2, m):
            rows.append(ga[rows[-1]])  # g^e, as (g^(e-1) then g)
        known = [(c_order, c_gens) if gcd(e, m) == 1 else None for e in range(2, m)]
        # (a few: a large centre — an abelian group — would make this quadratic in the classes)
        central = [z for z in range(1, len(reps) - 1) if sizes[z] == 1]
        if c_order == order:  # g is central: the multiples of every class found so far
            multiples = list(range(1, len(reps) - 1)) if len(central) < MAX_CENTRAL_MULTIPLES else []
            known += [(order // sizes[i], cents[i]) for i in multiples]
        else:
            multiples = central[:MAX_CENTRAL_MULTIPLES]
            known += [(c_order, c_gens)] * len(multiples)
        rows += [np.array(reps[i], dtype=np.intp)[ga] for i in multiples]  # g then the other
        rows = np.array(rows[1:])
        if len(rows):  # the invariants of all of them at once: one vectorised call
            todo.extend(zip(map(tuple, rows.tolist()), class_invariants(rows, orbitals), known))

    def consider(g: Perm, ct: Any, structured: bool, cent: Any = None) -> bool:
        """Add g as a class if its invariants are new; else set it aside. True if added."""
        known = by_type.get(ct)
        if not known:
            add(g, ct, extra_key(g), cent)
            return True
        if any(reps[i] == g for i in known):
            return False
        if structured:  # a power or a central multiple: kept, and decided before random elements
            if g not in derived_seen:
                derived_seen.add(g)
                derived.append((ct, g, cent))
            return False
        queue = pending.setdefault(ct, [])
        if len(queue) < 2 and g not in queue:
            queue.append(g)
        return False

    def decide(ct: Any, g: Perm, cent: Any = None) -> None:
        """g is new unless conjugate to a class with its invariants (the caller's key first)."""
        extra = extra_key(g)
        same = [i for i in by_type[ct] if extras[i] == extra]
        if all(search.conjugator(g, reps[i], cents[i]) is None for i in same):
            add(g, ct, extra, cent)

    def resolve_one() -> None:
        """Decide one set-aside element, alternating between the two kinds: random elements of the
        cycle type most likely to hide a missing class (the uniform samples estimate the elements of
        each cycle type; the excess over the classes found with it, as a share, is the chance that
        one of its samples is new), and powers and central multiples (the small classes are among
        them, with a chance sampling cannot estimate)."""
        def chance(c: Any) -> float:
            return 1 - mass[c] * samples / (order * seen_types[c]) if seen_types[c] else 0.0

        resolved[0] += 1
        candidates = [c for c, q in pending.items() if q]
        if derived and (resolved[0] % 2 or not candidates):
            j = min(range(len(derived)), key=lambda j: mass[derived[j][0]])
            decide(*derived.pop(j))
            return
        best = max(candidates, key=chance)
        decide(best, pending[best].pop(0))

    def drain() -> None:
        while todo and total < order:
            g, inv, cent = todo.pop(0)
            consider(g, inv, True, cent)

    def invariants_of(g: Perm) -> tuple:
        return class_invariants(np.array([g]), orbitals)[0]

    consider(chain.identity, invariants_of(chain.identity), False)
    for s in generators:
        if total < order:
            consider(tuple(s), invariants_of(tuple(s)), True)
            drain()
    samples = 0
    stall = 0
    batch = 64
    while total < order:
        if samples >= max_samples:
            raise TooLargeError(
                f"{max_samples} random elements found {len(reps)} conjugacy classes covering {total} of the "
                f"{order} elements ({total / order:.6%}); the missing classes are too small to be hit by sampling. "
                f"Pass max_samples={4 * max_samples} (CLI: --max-samples {4 * max_samples}), or list the group with "
                f"max_elements={order} (CLI: --max-elements {order}) if memory allows",
                estimate=order - total, option="max_samples")
        rows = random_elements(chain, min(batch, max_samples - samples), rng)
        for row, ct in zip(rows, class_invariants(rows, orbitals)):
            if total >= order:
                break
            samples += 1
            seen_types[ct] += 1
            before = len(reps)
            consider(tuple(row.tolist()), ct, False)
            drain()
            stall = 0 if len(reps) > before else stall + 1
            # set-aside elements cost conjugacy tests: decide them only when sampling stops paying
            if total < order and stall >= 8 + len(reps) // 8 and (derived or any(pending.values())):
                resolve_one()
                drain()
                stall = 0
    if total != order:  # pragma: no cover - sizes are exact and classes distinct
        raise AssertionError("class sizes exceed the group order: a conjugacy test is wrong")
    return [PermClass(r, s) for r, s in zip(reps, sizes)]


def _more_classes_advice(order: int, classes: int) -> str:
    """What to do about too many classes to sample, in the words `invariants.cli.cli_advice` turns
    into the command line's flags."""
    return (f"Pass max_elements={order} (CLI: --max-elements {order}) to list the group instead if the "
            f"machine can, or max_classes={classes} (CLI: --max-classes {classes}) to sample more classes")


def _order(g: Perm) -> int:
    out = 1
    for length, _ in cycle_type(g):
        out = out * length // gcd(out, length)
    return out
