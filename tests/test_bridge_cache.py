"""The disk cache of generator sets: a hit returns the exact polynomials without computing, a
damaged file is recomputed, a different request or engine never shares a file."""
import json

import pytest
import sympy

from bridge import cache as cache_module
from bridge import equivariant_layer, invariant_layer
from bridge.cache import cached_polynomials
from invariants.rings.ring import InvariantRing

X = sympy.symbols("x0:3")


def counting(result):
    calls = []

    def compute():
        calls.append(1)
        return result

    return compute, calls


def test_hit_returns_exact_polynomials_without_computing(tmp_path):
    polys = [X[0] + sympy.Rational(1, 3) * X[1] ** 2, sympy.sqrt(2) * X[2] ** 3]
    compute, calls = counting(polys)
    first = cached_polynomials({"what": "test"}, X, compute, root=tmp_path)
    again = cached_polynomials({"what": "test"}, X, compute, root=tmp_path)
    assert first == again == polys and len(calls) == 1
    maps = [[X[0], X[1] * X[2]], [sympy.Integer(0), X[2]]]
    compute, calls = counting(maps)
    assert cached_polynomials({"what": "maps"}, X, compute, root=tmp_path) == maps
    assert cached_polynomials({"what": "maps"}, X, compute, root=tmp_path) == maps and len(calls) == 1


def test_keys_separate_requests_and_engines(tmp_path, monkeypatch):
    compute, calls = counting([X[0]])
    cached_polynomials({"what": "test", "degree_bound": 2}, X, compute, root=tmp_path)
    cached_polynomials({"what": "test", "degree_bound": 3}, X, compute, root=tmp_path)
    assert len(calls) == 2
    monkeypatch.setattr(cache_module, "engine_fingerprint", lambda: "another engine")
    cached_polynomials({"what": "test", "degree_bound": 2}, X, compute, root=tmp_path)
    assert len(calls) == 3


def test_damaged_or_hostile_file_is_recomputed(tmp_path):
    compute, calls = counting([X[0] * X[1]])
    cached_polynomials({"what": "test"}, X, compute, root=tmp_path)
    (path,) = (tmp_path / "generators").iterdir()
    data = json.loads(path.read_text())
    data["polynomials"][0]["terms"][0][1] = "__import__('os').system('false')"
    path.write_text(json.dumps(data))
    assert cached_polynomials({"what": "test"}, X, compute, root=tmp_path) == [X[0] * X[1]]
    path.write_text("{not json")
    assert cached_polynomials({"what": "test"}, X, compute, root=tmp_path) == [X[0] * X[1]]
    assert len(calls) == 3
    assert json.loads(path.read_text())["polynomials"][0]["terms"] == [[[1, 1, 0], "1"]]  # the file repaired


def test_cache_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("MOLIEN_CACHE", "0")
    compute, calls = counting([X[0]])
    cached_polynomials({"what": "test"}, X, compute, root=tmp_path)
    cached_polynomials({"what": "test"}, X, compute, root=tmp_path)
    assert len(calls) == 2 and not (tmp_path / "generators").exists()


def test_layers_come_from_the_cache_the_second_time(tmp_path, monkeypatch):
    monkeypatch.setenv("MOLIEN_CACHE_DIR", str(tmp_path))
    first = invariant_layer("O(2):2xv", normalize=None)
    cov = equivariant_layer("SO(3):2xv", "SO(3):v", degree_bound=2)

    def refuse(self, *args):
        raise AssertionError("computed although cached")

    monkeypatch.setattr(InvariantRing, "generators", property(refuse))
    again = invariant_layer("O(2):2xv", normalize=None)
    assert again.polynomials == first.polynomials and len(first.polynomials) == 3
    assert equivariant_layer("SO(3):2xv", "SO(3):v", degree_bound=2).polynomials == cov.polynomials
    with pytest.raises(AssertionError, match="computed although cached"):
        invariant_layer("O(2):3xv")  # not cached yet: the engine runs


def test_a_folder_others_can_write_is_not_read(tmp_path):
    """Someone else could have planted a wrong answer there: the cache warns and computes (#26)."""
    compute, calls = counting([X[0]])
    cached_polynomials({"what": "test"}, X, compute, root=tmp_path)
    (tmp_path / "generators").chmod(0o777)
    with pytest.warns(UserWarning, match="can be written by other users.*computing without the cache"):
        assert cached_polynomials({"what": "test"}, X, compute, root=tmp_path) == [X[0]]
    assert len(calls) == 2
