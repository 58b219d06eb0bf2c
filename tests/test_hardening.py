"""Regression corpus for #26: inputs that hung, crashed or traced back now finish or are refused
with a molien error that names its estimate and knob."""
import argparse

import pytest

from invariants import InputError, MolienError, TooLargeError, invariants_of_degree, molien_series
from invariants.catalogue import cyclic, symmetric, weyl
from invariants.catalogue.spec import load_spec
from invariants.cli import build_parser, cli_advice, main
from invariants.groups.compact import SO3, Torus
from invariants.polynomials.ring import monomials


SEMIPRIME = 1000000000000000000000001970000000000000000000000871   # nextprime(10**25) * nextprime(10**26)


@pytest.mark.parametrize("argv, message", [
    (["series", "symmetric(100000)"], "MAX_DIMENSION"),
    (["series", "symmetric(3000)"], "MAX_DIMENSION"),
    (["series", "cyclic(100000, permutation)"], "MAX_DIMENSION"),
    (["series", "weyl(A3000)"], "MAX_DIMENSION"),
    (["series", "signed_permutations(2000)"], "MAX_DIMENSION"),
    (["series", "O(3):1000x1o"], "MAX_DIMENSION"),
    (["series", "SO(100000):v"], "MAX_DIMENSION"),           # was 'unknown group name'
    (["series", "SO(1000):v"], "MAX_MATRIX_ENTRIES"),        # was minutes building 499,500 matrices
    (["series", "U(200):200"], "MAX_MATRIX_ENTRIES"),
    (["ring", "SU(2):8"], "MAX_DEGREE_SEQUENCES"),           # was 'among 0 candidates'
    (["series", "U(1):1000000000000,-1"], "MAX_WEIGHT"),
    (["series", "cyclic(4)", "--terms", "100000000"], "above the command line's limit"),
    (["series", "cyclic(4)", "--terms", "0"], "expected an integer >= 1"),
    (["series", "cyclic(4)", "--terms", "-5"], "expected an integer >= 1, got '-5'"),
    (["series", "cyclic(4)", "--terms", "10**8"], "expected an integer >= 1, got '10**8'"),
    (["invariants", "cyclic(4)", "--degree", "100000"], "above the command line's limit"),
    (["ring", "cyclic(4)", "--relations-degree", "1000000"], "above the command line's limit"),
    (["ring", "cyclic(4)", "--relations-degree", "-3"], "expected an integer >= 0, got '-3'"),
    (["covariants", "SO(3):v", "SO(3):v", "--max-degree", "1000000"], "above the command line's limit"),
    # a 52-digit semiprime: φ(n) by factoring took sympy hours; √(n/2) <= φ(n) refuses at once
    (["series", f"G({SEMIPRIME},1,2)"], "degree at least"),
    (["series", f"binary_dihedral({SEMIPRIME})"], "degree at least"),
    (["series", f"cyclic({SEMIPRIME})"], "MAX_ROTATION_FIELD_DEGREE"),
    (["series", f"dihedral({SEMIPRIME})"], "MAX_ROTATION_FIELD_DEGREE"),
    (["series", "cyclic(4)^0"], "written with spaces around x"),   # was 'did you mean cyclic(4)^0?'
    (["reynolds", "symmetric(8)", "(x0+x1+x2+x3+x4+x5+x6+x7)**30"], "MAX_EXPANDED_TERMS"),   # sympy expanded 10^7 terms
])
def test_command_line_refuses_with_a_message(argv, message, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's refusals
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


def test_dimension_guard_names_its_knob_in_the_api():
    with pytest.raises(TooLargeError, match="dimension 3,000.*MAX_DIMENSION") as info:
        1000 * load_spec("O(3):1o")
    assert info.value.estimate == 3000 and info.value.option == "invariants.groups.representation.MAX_DIMENSION"
    with pytest.raises(TooLargeError):
        symmetric(5000)
    with pytest.raises(TooLargeError):
        weyl("A2000")
    with pytest.raises(TooLargeError, match="MAX_RANK"):  # found by the fuzz test: 'A2xB200' ran for minutes
        load_spec("A2xB200")
    assert (300 * SO3().irrep(1)).dim == 900  # under the limit, built by doubling


def test_huge_torus_weights_are_refused_not_aborted():
    with pytest.raises(TooLargeError, match="MAX_WEIGHT"):
        Torus(1).rep([10**12, -1])


def test_enumerating_too_many_monomials_is_refused_with_the_knob():
    with pytest.raises(TooLargeError, match="pass max_monomials=") as info:
        invariants_of_degree(cyclic(3, form="permutation").natural() * 1, 10**9)
    assert info.value.option == "max_monomials"
    # many monomials, few variables: fine (dim R_2000 = 1001 from (1 + t^4)/((1 - t^2)(1 - t^4)))
    assert len(invariants_of_degree(cyclic(4), 2000)) == molien_series(cyclic(4))[2000] == 1001


def test_monomials_of_high_degree_in_few_variables_are_listed_in_linear_time():
    assert monomials(2, 5) == [(5, 0), (4, 1), (3, 2), (2, 3), (1, 4), (0, 5)]
    assert len(monomials(2, 200_000)) == 200_001
    assert monomials(3, 7)[:3] == [(7, 0, 0), (6, 1, 0), (6, 0, 1)]


def test_every_refusal_is_a_molien_error():
    for bad in ["SU(2):99999999999999999999/2", "U(1)^2:(1,a)", "SU(2):abc", "SO(3):1000000"]:
        with pytest.raises(MolienError):
            load_spec(bad)
    with pytest.raises(InputError):
        invariants_of_degree(cyclic(4), -1)


def test_weyl_e8_degree_30_is_refused_before_enumerating():
    with pytest.raises(TooLargeError, match="1.03e\\+07 monomials"):
        invariants_of_degree(weyl("E8"), 30)


def test_json_integers_past_python_digit_limit_are_an_input_error(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text('{"generators": [[[1' + "0" * 5000 + ', 0], [0, 1]]]}')
    with pytest.raises(InputError, match="write large numbers as strings"):
        load_spec(str(path))


def test_a_long_stage_says_what_it_computes(capfd):
    """`molien ring` runs its stages under a heartbeat: a stage that takes long is named on stderr
    (here every 0.2 s), also while a C call holds the interpreter's lock, and nothing is printed
    once it is done."""
    import time

    from invariants.progress import Heartbeat

    beat = Heartbeat(every=0.2)
    lines: list[str] = []
    deadline = time.monotonic() + 60  # a loaded machine is slow: wait for the beat, not for a fixed time
    with beat.stage("the primary invariants"):
        while not lines and time.monotonic() < deadline:
            sum(range(40_000_000))  # ~1 s in one C call that holds the GIL, as flint's Buchberger does
            lines += capfd.readouterr().err.splitlines()
    time.sleep(0.5)
    beat.stop()
    after = capfd.readouterr().err.splitlines()
    assert lines and all(line.startswith("molien: computing the primary invariants (") for line in lines + after)


def test_the_heartbeat_carries_the_progress_and_estimate_of_a_bar_inside_its_stage(capfd):
    """A progress bar inside a stage (the hsop search, say) reports to the command's heartbeat even
    when stderr is not a terminal: ``molien: computing <stage> (N s; <bar>: 40%, ~3 s left)``."""
    import time

    from invariants.progress import _LISTENERS, Heartbeat, progress_bar

    beat = Heartbeat(every=0.2)
    lines: list[str] = []
    deadline = time.monotonic() + 60
    with beat.stage("the primary invariants"):
        update = progress_bar("candidates", enabled=None)
        time.sleep(0.3)
        update(2, 5)
        while not any("candidates: 40%" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.1)
            lines += capfd.readouterr().err.splitlines()
    beat.stop()
    said = [line for line in lines if "candidates: 40%" in line]
    assert said and said[0].startswith("molien: computing the primary invariants (") and " s left)" in said[0]
    assert not _LISTENERS   # the stage's listener is gone with it


def test_names_from_files_cannot_drive_the_terminal(tmp_path, capsys):
    import json

    path = tmp_path / "g.json"
    path.write_text(json.dumps({"generators": [[["0", "-1"], ["1", "0"]]], "name": "C4\x1b[2J\u202eevil"}))
    assert main(["series", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "C4\\x1b[2J\\u202eevil" in out


def test_a_reader_that_leaves_early_gets_no_traceback():
    """`molien series ... | head -1`: the pipe closes under the writer (#26 item 4)."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "invariants.cli", "series", "weyl(E8)", "--terms", "100000"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and proc.returncode in (0, 141)


def test_a_long_hsop_search_shows_its_count_and_names_its_cap(monkeypatch, capsys):
    """A search whose candidates fail one after another (SO(3) on 1+1+2: 135 bounded attempts,
    minutes) draws a bar counting towards MAX_HSOP_CANDIDATES; the first three failures are quiet."""
    from invariants.rings import primaries
    from invariants.rings.context import GradedInvariants

    real, calls = primaries._prove, []

    def fail_four_times(graded, polys, bezout, cheap=False):
        calls.append(1)
        return None if len(calls) <= 4 else real(graded, polys, bezout, cheap)

    monkeypatch.setattr(primaries, "_prove", fail_four_times)
    found = primaries.primary_invariants(GradedInvariants(cyclic(4).natural(), progress=True))
    assert found.degrees == (2, 4) and len(calls) >= 5
    err = capsys.readouterr().err
    assert f"primary invariants (candidates of {primaries.MAX_HSOP_CANDIDATES})" in err and "100.0%" in err
    assert " s left" in err   # the worst case's time, extrapolated from the attempts so far
    monkeypatch.setattr(primaries, "_prove", lambda graded, polys, bezout, cheap=False: None)
    monkeypatch.setattr(primaries, "quotient_proof", lambda ring, polys: (None, False))
    with pytest.raises(MolienError, match="max_hsop_candidates=120.*max_proof_terms=2,000") as refused:
        primaries.primary_invariants(GradedInvariants(cyclic(4).natural(), progress=False))
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    said = cli_advice(str(refused.value), commands["ring"])
    assert "--max-hsop-candidates 120" in said and "--max-proof-bits 1000" in said and "max_" not in said
    calls.clear()
    monkeypatch.setattr(primaries, "_prove", lambda graded, polys, bezout, cheap=False: calls.append(1))
    with pytest.raises(MolienError, match="among 5 candidates.*max_hsop_candidates=5"):
        primaries.primary_invariants(GradedInvariants(cyclic(4).natural(), progress=False), max_candidates=5)
    assert len(calls) <= 5


def test_proof_limits_are_keywords_of_the_ring_and_flags_of_the_cli(monkeypatch, capsys):
    """The Gröbner proofs' size limits reach the proofs from InvariantRing's keywords (a context
    value, restored afterwards), are refused when not positive ints, and are flags of `ring`."""
    from invariants import cli
    from invariants.polynomials import ideals
    from invariants.rings import hsop
    from invariants.rings.ring import InvariantRing

    seen = []
    real = hsop.groebner_leading_monomials

    def spy(ring, polys, limit, max_terms, max_bits):
        seen.append((max_terms, max_bits))
        return real(ring, polys, limit, max_terms, max_bits)

    monkeypatch.setattr(hsop, "groebner_leading_monomials", spy)
    monkeypatch.setattr(hsop, "_slice_proof", lambda ring, polys: (None, False))   # force the Gröbner proof
    R = InvariantRing(cyclic(4), max_proof_terms=7_000, max_proof_bits=3_000)
    with ideals.proof_limits(R.proof_limits):
        assert hsop._fibre_dimension_proof(R.ring, list(R.primaries.polys), 100) is not None
    assert seen and set(seen) == {(7_000, 3_000)}
    assert ideals.current_proof_limits() == ideals.ProofLimits(2_000, 1_000)   # restored
    for bad in (0, -1, 1.5, True):
        with pytest.raises(InputError, match="max_proof_terms"):
            InvariantRing(cyclic(3), max_proof_terms=bad)
        with pytest.raises(InputError, match="max_hsop_candidates"):
            InvariantRing(cyclic(3), max_hsop_candidates=bad)
    given = {}

    def ring_spy(group, **options):
        given.update(options)
        raise MolienError("stop here")

    monkeypatch.setattr(cli, "invariant_ring", ring_spy)
    assert main(["ring", "cyclic(4)", "--max-hsop-candidates", "9", "--max-proof-terms", "5000",
                 "--max-proof-bits", "800"]) == 2
    assert (given["max_hsop_candidates"], given["max_proof_terms"], given["max_proof_bits"]) == (9, 5000, 800)
    assert "stop here" in capsys.readouterr().err


def test_dihedral_120_in_the_rotation_form_is_built_and_its_ring_found():
    """Q(cos π/60) has degree 16; it was refused with a bound of 262,144 read off sympy's radicals."""
    from invariants.catalogue import dihedral
    from invariants.rings.ring import InvariantRing
    G = dihedral(120)
    assert G.field.degree == 16 and G.order() == 240
    assert InvariantRing(G).generator_degrees == [2, 120]


def test_roots_of_unity_of_huge_order_are_refused_without_factoring():
    from invariants.fields import cyclotomic_field, number_field, real_cyclotomic_field
    for make in (lambda: cyclotomic_field(SEMIPRIME), lambda: real_cyclotomic_field(SEMIPRIME),
                 lambda: number_field(f"exp(2*pi*I/{SEMIPRIME})"), lambda: number_field(f"cos(pi/{SEMIPRIME})")):
        with pytest.raises(TooLargeError, match="max_degree"):
            make()


@pytest.mark.parametrize("field, message", [
    (f"GF({SEMIPRIME})", "p < 2^64"),                  # was OverflowError from flint's nmod
    ("GF(18446744073709551629)", "p < 2^64"),           # the first prime past 2^64
    (f"QQ(sqrt({SEMIPRIME}))", "below 2^64"),           # squarefree test by factoring: hung
])
def test_fields_past_machine_words_or_factoring_are_refused(tmp_path, capsys, field, message):
    import json
    spec = tmp_path / "g.json"
    spec.write_text(json.dumps({"field": field, "generators": [[[0, 1], [1, 0]]]}))
    assert main(["series", str(spec)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    from invariants.fields import finite_field
    assert finite_field(18446744073709551557).characteristic == 18446744073709551557   # the last prime below 2^64


@pytest.mark.parametrize("make, knob", [
    (lambda: SO3().irrep(10**6), "MAX_HARMONIC_DEGREE"),
    (lambda: __import__("invariants.groups.compact", fromlist=["SU2"]).SU2().binary_forms(10**6), "MAX_DIMENSION"),
    (lambda: SO3().irrep(1).sym(10**6), "MAX_DIMENSION"),
    (lambda: (4 * SO3().irrep(1)).sym(40), "MAX_DIMENSION"),
    (lambda: molien_series(cyclic(4)).coefficients(10**9), "MAX_SERIES_TERMS"),
    (lambda: __import__("bridge").equivariant_layer("SO(3):v", "SO(3):2", degree_bound=10**4),
     "MAX_EQUIVARIANT_UNKNOWNS"),
    (lambda: __import__("bridge").compile_polynomials(["(x0+x1+x2+x3+x4+x5+x6+x7)**30"]), "MAX_EXPANDED_TERMS"),
])
def test_api_sizes_that_hung_are_refused_at_once_with_the_knob(make, knob):
    """Each of these ran for minutes or hours (harmonics of degree 10^6, a symmetric power of
    dimension 5e11, 10^9 series terms, equivariants of degree 10^4) before a size was checked."""
    with pytest.raises(TooLargeError, match=knob) as info:
        make()
    assert info.value.estimate is not None and knob in info.value.option


def test_degree_bounds_past_noether_and_repeated_generators_stay_cheap():
    """A feature layer's degree_bound past Noether's bound |G| looks no further than |G| (was 10^6
    degrees of series), and 100,000 copies of one generator are checked once (was O(k^2) pairs)."""
    from bridge import invariant_layer
    from invariants import MatrixGroup, invariant_ring
    layer = invariant_layer("cyclic(8)", degree_bound=10**6)
    assert len(layer.polynomials) == len(invariant_ring(cyclic(8)).generators)
    G = MatrixGroup([[[0, 1], [1, 0]]] * 100_000)
    assert G.order() == 2 and len(G._distinct_generators()) == 1


def test_so3_irreps_of_high_degree_are_built_in_flint():
    """The Lie algebra on the solid harmonics is computed in flint (l = 30 took 25 s in sympy): at
    l = 3 and 40 the Casimir L_1² + L_2² + L_3² is exactly −l(l+1) and [L_1, L_2] = L_3, as on R^3 (l = 1)."""
    from flint import fmpq_mat
    from invariants.groups.compact.harmonics import so3_irrep_data
    for l in (1, 3, 40):
        L = [m.q for m in so3_irrep_data(l)[0]]
        n = 2 * l + 1
        assert L[0] * L[0] + L[1] * L[1] + L[2] * L[2] == fmpq_mat(n, n, [-l * (l + 1) * (i == j) for i in range(n)
                                                                            for j in range(n)])
        assert L[0] * L[1] - L[1] * L[0] == L[2]


def test_every_command_runs_under_a_heartbeat(monkeypatch, capsys):
    """`molien nullcone SO(3):1+1+1+1+1+1` ran a minute without a word: every command but `ring`
    (which names each part) now runs in one heartbeat stage named after what it computes."""
    import contextlib

    import invariants.cli as cli
    stages: list[str] = []

    class Recorder:
        def stage(self, label):
            stages.append(label)
            return contextlib.nullcontext()

        def stop(self):
            stages.append("stop")

    monkeypatch.setattr(cli, "Heartbeat", Recorder)
    assert main(["series", "cyclic(4)"]) == 0
    assert main(["nullcone", "cyclic(4)"]) == 0
    assert main(["series", "cyclic(0)"]) == 2          # stopped on the error path too
    assert stages == ["the Molien series", "stop", "the Hilbert ideal and the nullcone", "stop",
                      "the Molien series", "stop"]


def test_a_long_sum_in_a_spec_is_refused_as_it_is_read():
    """5,000 vectors of SO(3) in a JSON spec were summed one by one, each sum rebuilding growing
    matrices, for minutes before the dimension guard saw the total; it is checked per term now."""
    with pytest.raises(TooLargeError, match="a sum of 342 terms has dimension 1,026"):
        load_spec({"group": "SO(3)", "irreps": [1] * 5000})


def test_a_sum_of_300_terms_is_built_by_halves_and_reads_back_as_written():
    """SO(3) on 300 vectors written as a 300-term sum took 288 s (each sum rebuilt the growing
    matrices); by halves it is the chain's representation, text and summands included."""
    text = "SO(3):" + "+".join(["1"] * 300)
    rep = load_spec(text)
    assert rep.dim == 900 and str(rep) == text and rep.copies()[1] == 300 and len(rep.summands()) == 300
    small = load_spec("SO(3):1+2+0+1")
    chain = SO3().irrep(1) + SO3().irrep(2) + SO3().irrep(0) + SO3().irrep(1)
    assert small == chain and small.construction == chain.construction and str(small) == str(chain)


def test_so2_on_frequency_one_copies_gets_the_fundamental_theorem(capsys):
    """``ring SO(2):1,1,1,1,1,1`` searched 120 hsop candidates for over 60 s: SO(2)'s frequency 1 is
    its vector representation, so the first fundamental theorem answers (21 inner products and 15
    determinants)."""
    assert main(["ring", "SO(2):1,1,1,1,1,1", "--json"]) == 0
    import json
    out = json.loads(capsys.readouterr().out)
    assert out["generator_degrees"] == [2] * 36


def test_a_compact_ring_whose_invariants_need_gigabytes_is_refused_in_seconds():
    """``ring O(3):1o+1o+1o+1e`` grew to 20 GB in 50 s and was killed by the kernel: one Gröbner
    fibre-dimension proof (degrees 2^5·4^4) and then a dense 38,080 × 20,468 exact matrix for the
    degree-8 invariants.  The proof now stops at max_hsop_bezout and the matrix is sized first."""
    from invariants import invariant_ring
    with pytest.raises(TooLargeError, match="MAX_KERNEL_ENTRIES") as refused:
        invariant_ring(load_spec("O(3):1o+1o+1o+1e")).generator_degrees
    assert refused.value.estimate == 38_080 * 20_468


def test_feature_layers_take_floating_dtypes_only():
    from bridge import invariant_layer
    import torch
    for dtype in ("float16", torch.int64):   # a string reached torch.zeros as a TypeError; int64 built silently
        with pytest.raises(InputError, match="floating-point torch.dtype"):
            invariant_layer("symmetric(3)", dtype=dtype)


def test_convolution_sizes_are_integers_and_bounded():
    """GroupConv2d with a 10001-wide stencil raised numpy's MemoryError after 21 s, GaugeConv with
    max_frequency 10^7 ran without end, and float or zero sizes failed later inside torch."""
    from neural.conv import GroupConv2d
    from neural.conv.gspace import steerable_space
    from neural.mesh.conv import GaugeConv
    space = steerable_space(8)
    regular = space.type(space.regular)
    with pytest.raises(TooLargeError, match="MAX_KERNEL_SIZE"):
        GroupConv2d(regular, regular, 10_001)
    for kwargs in ({"kernel_size": 3.0}, {"kernel_size": 3, "stride": 0}, {"kernel_size": 3, "padding": -1}):
        with pytest.raises(InputError, match="GroupConv2d: [a-z_]+ must be an integer"):
            GroupConv2d(regular, regular, **kwargs)
    plane = steerable_space(None)
    trivial = plane.type(plane.trivial)
    with pytest.raises(TooLargeError, match="MAX_FREQUENCY"):
        GaugeConv(trivial, trivial, max_frequency=10**7)
    with pytest.raises(InputError, match="GaugeConv: max_frequency must be an integer"):
        GaugeConv(trivial, trivial, max_frequency=2.5)
