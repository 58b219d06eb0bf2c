"""Conjugacy classes without enumeration (#21 item 4): sampled, certified classes against the
enumeration path, centralisers and conjugators against brute force, and the large groups
against GAP's ``ConjugacyClasses`` and ``MolienSeries``."""
from __future__ import annotations

import random
import re
import sys
from collections import Counter
from math import prod
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from oracles import gap_available, gap_generators, parse_gap_rational, run_gap  # noqa: E402

from invariants.catalogue import by_name  # noqa: E402
from invariants.catalogue.spec import load_spec  # noqa: E402
from invariants.errors import MolienError, TooLargeError  # noqa: E402
from invariants.groups.finite.group import AUTO_MAX_CLASSES, ENUMERATE_UP_TO, MatrixGroup  # noqa: E402
from invariants.groups.finite.perm_classes import (BacktrackSearch, cycle_type,  # noqa: E402
                                                   sampled_conjugacy_classes)
from invariants.groups.finite.permgroup import StabilizerChain, conjugacy_classes, inverse, mul  # noqa: E402
from invariants.groups.representation import molien_series  # noqa: E402
from invariants.series.hilbert import HilbertSeries  # noqa: E402

requires_gap = pytest.mark.skipif(not gap_available(), reason="GAP is not installed (no `gap` on PATH)")


def _profile(classes) -> Counter:
    """The multiset of (class size, cycle type of the representative)."""
    return Counter((c.size, cycle_type(c.representative)) for c in classes)


def _random_groups() -> list[tuple[str, list[tuple], int]]:
    """Random permutation groups: two random permutations of 7 points, and random elements of the
    imprimitive wreath products S3 ≀ S3 (degree 9) and S2 ≀ S4 (degree 8), which have many classes
    of equal cycle type."""
    rng = random.Random(21)
    out = []
    for trial in range(3):
        gens = [tuple(rng.sample(range(7), 7)) for _ in range(2)]
        out.append((f"random S7 subgroup {trial}", gens, 7))

    def wreath_element(blocks: int, size: int) -> tuple:
        top = rng.sample(range(blocks), blocks)
        inner = [rng.sample(range(size), size) for _ in range(blocks)]
        perm = [0] * (blocks * size)
        for b in range(blocks):
            for i in range(size):
                perm[b * size + i] = top[b] * size + inner[b][i]
        return tuple(perm)

    out.append(("S3 wr S3 (random generators)", [wreath_element(3, 3) for _ in range(4)], 9))
    out.append(("S2 wr S4 (random generators)", [wreath_element(4, 2) for _ in range(4)], 8))
    return out


@pytest.mark.parametrize("name,gens,degree", _random_groups())
def test_sampled_classes_equal_the_enumerated_ones_on_random_permutation_groups(name, gens, degree):
    chain = StabilizerChain(gens, degree)
    sampled = sampled_conjugacy_classes(chain, gens, seed=3)
    enumerated = conjugacy_classes(chain, gens, chain.order())
    assert sum(c.size for c in sampled) == chain.order()
    assert _profile(sampled) == _profile(enumerated), name


@pytest.mark.parametrize("spec", ["weyl(F4)", "weyl(D5)", "complex_reflection(3,3,5)", "complex_reflection(4,2,3)",
                                  "binary_icosahedral()"])
def test_sampled_classes_equal_the_enumerated_ones_on_catalogue_groups(spec):
    """Class sizes and element orders, and each sampled representative lies in the enumerated class
    of its size and order that it is conjugate to — checked through the matrices: the multiset of
    (size, order, characteristic polynomial) agrees."""
    def profile(group, method):
        classes = group.conjugacy_classes(method=method)
        return Counter((c.size, c.order, str(c.representative.q.charpoly())) for c in classes)

    assert profile(by_name(spec), "sample") == profile(by_name(spec), "enumerate")


def test_weyl_e6_is_sampled_by_default_and_matches_enumeration():
    group = by_name("weyl(E6)")
    assert group.order() > ENUMERATE_UP_TO
    sampled = group.conjugacy_classes()
    enumerated = by_name("weyl(E6)").conjugacy_classes(method="enumerate")
    assert len(sampled) == 25  # W(E6): 25 classes (Carter 1972)
    assert Counter((c.size, c.order) for c in sampled) == Counter((c.size, c.order) for c in enumerated)


def test_centralisers_and_conjugators_against_brute_force():
    """On S2 ≀ S4 (order 384): |C(g)| is the number of enumerated elements commuting with g, and
    a conjugator is returned exactly for the pairs in one enumerated class."""
    name, gens, degree = _random_groups()[-1]
    chain = StabilizerChain(gens, degree)
    elements = [tuple(int(v) for v in row) for row in chain.elements(chain.order())]
    search = BacktrackSearch(chain)
    classes = conjugacy_classes(chain, gens, chain.order())
    rng = random.Random(5)
    for g in rng.sample(elements, 12):
        order, cent_gens = search.centraliser(g)
        assert order == sum(1 for h in elements if mul(h, g) == mul(g, h))
        assert all(mul(h, g) == mul(g, h) for h in cent_gens)
    class_of = {}
    for i, c in enumerate(classes):
        rep = c.representative
        for h in elements:
            class_of.setdefault(mul(mul(inverse(h), rep), h), i)
    for _ in range(40):
        g1, g2 = rng.sample(elements, 2)
        h = search.conjugator(g1, g2)
        if class_of[g1] == class_of[g2]:
            assert h is not None and mul(mul(inverse(h), g1), h) == g2  # h∘g1∘h⁻¹ = g2, acting left to right
        else:
            assert h is None


def test_sampling_that_cannot_finish_refuses_with_the_estimate_and_the_knob():
    group = by_name("weyl(E6)")
    with pytest.raises(TooLargeError) as info:
        group.conjugacy_classes(method="sample", max_samples=1)
    assert isinstance(info.value, MolienError)
    assert info.value.option == "max_samples" and 0 < info.value.estimate < 51840
    assert "max_samples=" in str(info.value)
    assert len(group.conjugacy_classes(method="sample")) == 25  # a refusal caches nothing


def test_many_classes_hand_over_to_enumeration():
    """G(12,1,3), order 10,368 > ENUMERATE_UP_TO with 520 classes (12-multipartitions of 3:
    12·3 + 12·11·2 + C(12,3)): sampling stops at AUTO_MAX_CLASSES and the group is listed."""
    group = by_name("complex_reflection(12,1,3)")
    assert group.order() > ENUMERATE_UP_TO
    with pytest.raises(TooLargeError) as info:
        sampled_conjugacy_classes(group.chain, group.perm_generators, max_classes=AUTO_MAX_CLASSES)
    assert info.value.option == "max_classes"
    classes = group.conjugacy_classes()
    assert len(classes) == 12 * 3 + 12 * 11 * 2 + 220 and sum(c.size for c in classes) == group.order()


def test_molien_by_the_acting_groups_classes_equals_the_images_classes():
    """Λ²V of W(F4) and of W(D5) (−1 ∈ W(F4) acts trivially on Λ²V: a quotient): the series summed
    over W's own (sampled) classes equals the series of the image group, by enumeration."""
    for spec in ("weyl(F4)", "weyl(D5)"):
        group = by_name(spec)
        group.conjugacy_classes(method="sample")  # cached: the series below sums over these
        rep = group.natural().ext(2)
        image = MatrixGroup(rep.images, rep.field)
        assert molien_series(rep) == molien_series(image, method="classes"), spec


def test_weyl_e7_on_exterior_square_satisfies_steinberg():
    """W(E7) on Λ²V (order 2,903,040; not a reflection representation) by sampled classes: Λ²V is
    irreducible (Steinberg: the exterior powers of a reflection representation are), real and not
    trivial, so no invariant linear form and exactly one invariant quadratic form."""
    series = molien_series(load_spec("weyl(E7):ext2(v)"))
    assert [series[d] for d in range(3)] == [1, 0, 1]


@pytest.mark.parametrize("name,degrees,reflections", [
    ("E7", (2, 6, 8, 10, 12, 14, 18), 63),
    ("E8", (2, 8, 12, 14, 18, 20, 24, 30), 120),   # order 348,364,800
])
def test_rotation_subgroups_of_weyl_groups(name, degrees, reflections):
    """W⁺ = W ∩ SO(V), generated by the products s_1 s_i of simple reflections, contains no
    reflection; its invariants are R^W ⊕ J·R^W with J the product of the N positive roots, so its
    Molien series is (1 + t^N)/∏(1 − t^{d_i}) (e.g. Stanley, "Invariants of finite groups and their
    applications to combinatorics", Bull. AMS 1 (1979): the det-relative invariants of W are J·R^W).  For E8 the group has order |W(E8)|/2 =
    348,364,800 and is given only by generators: its classes are sampled, never listed."""
    s = by_name(f"weyl({name})").generators
    group = MatrixGroup([s[0] @ x for x in s[1:]], name=f"W({name})+")
    assert group.reflection_certificate is None
    expected = HilbertSeries.from_degrees(degrees, [1] + [0] * (reflections - 1) + [1])
    assert molien_series(group) == expected
    assert sum(c.size for c in group.conjugacy_classes()) == group.order() == prod(degrees) // 2


# -- against GAP ----------------------------------------------------------------------------

def _gap_class_sizes(spec: str) -> list[int]:
    group = by_name(spec)
    out = run_gap(f"G := Group({gap_generators(group)});;\n"
                  "Print(\"@@SIZES \", SortedList(List(ConjugacyClasses(G), Size)), \"\\n\");\n", 600)
    body = re.search(r"@@SIZES \[(.*?)\]", out, re.S).group(1)
    return sorted(int(x) for x in body.replace("\n", " ").split(","))


@pytest.mark.oracle
@requires_gap
def test_weyl_e7_class_sizes_equal_gaps():
    assert sorted(c.size for c in by_name("weyl(E7)").conjugacy_classes()) == _gap_class_sizes("weyl(E7)")


@pytest.mark.oracle
@pytest.mark.slow
@requires_gap
def test_weyl_e8_class_sizes_equal_gaps():
    """W(E8), order 696,729,600: never enumerable here (2,000,000 is the enumeration guard)."""
    assert sorted(c.size for c in by_name("weyl(E8)").conjugacy_classes()) == _gap_class_sizes("weyl(E8)")


@pytest.mark.oracle
@pytest.mark.slow
@requires_gap
def test_weyl_e7_exterior_square_molien_equals_gaps():
    rep = load_spec("weyl(E7):ext2(v)")
    out = run_gap(f"G := Group({gap_generators(list(rep.images))});;\n"
                  "Print(\"@@MOLIEN \", MolienSeries(NaturalCharacter(G)), \"\\n\");\n", 600)
    gap = parse_gap_rational(re.search(r"@@MOLIEN (.*)", out.replace("\\\n", "")).group(1))
    assert molien_series(rep) == gap


@pytest.mark.parametrize("spec", ["alternating(100)", "G(3,3,30)"])
def test_groups_with_too_many_classes_are_refused_at_once_with_a_lower_bound(spec):
    """Distinct cycle types of a few random elements bound the class count from below: a group
    that cannot be listed and has more classes than the sampling cap is refused before any
    centraliser is computed, with that bound as the estimate and the knobs named."""
    from invariants import load_spec
    from invariants.errors import TooLargeError
    group = load_spec(spec)
    with pytest.raises(TooLargeError, match="at least .* conjugacy classes") as refusal:
        group.conjugacy_classes()
    assert refusal.value.option == "max_classes" and refusal.value.estimate > 300
    assert "max_elements" in str(refusal.value) and "max_classes" in str(refusal.value)
