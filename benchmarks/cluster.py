"""Speed-up on a cluster (#24): the same computations serially, on a local Dask cluster of 1 and of
2 worker processes, and a training under torchrun with 1 and 2 processes — one run, one machine.

* engine, Molien series by classes — G(m,1,3) (orders 6m³; m = 32 has 7 040 conjugacy classes):
  the class enumeration runs here, the class terms are tasks;
* engine, invariants of several degrees — `invariant_spaces` of a group on a space, one degree
  per task;
* training grid — `benchmarks/generalisation.py` over a small grid (every run its own task), as a
  user runs it, the wall clock of the whole command;
* data-parallel training — `neural.training.fit` of an MLP under torchrun (gloo), the same global
  batch in 1 and 2 processes: the time of the fit on rank 0.

Every answer is compared with the serial one (the series and bases bit-identical, the trained
parameters to float tolerance) before a time is reported.

    python benchmarks/cluster.py            # the table in the README (minutes on 2 cores)
    python benchmarks/cluster.py --quick    # small sizes (well under a minute)

Writes benchmarks/results/cluster.md and cluster.json (cluster-quick.* with --quick).
Needs the cluster extra: pip install 'molien[cluster]'.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # before benchmarks/, whose bridge.py would shadow the bridge package
RESULTS = ROOT / "benchmarks" / "results"
SETTINGS = ("serial", "local:1", "local:2")


def _timed(fn, *args):
    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


# -- engine -----------------------------------------------------------------------------------------
def molien_by_classes(spec: str) -> list[dict]:
    """Class enumeration here, then the class terms serially / as tasks (a fresh representation each
    time, so that nothing is cached between settings)."""
    from invariants.catalogue.spec import load_spec
    from invariants.groups.finite.molien import finite_molien_series
    from invariants.groups.representation import as_representation
    from invariants.parallel import cluster

    rows, reference = [], None
    for setting in SETTINGS:
        with cluster(None if setting == "serial" else setting):
            rep = as_representation(load_spec(spec))
            classes, enumerate_s = _timed(rep.image_group.conjugacy_classes)
            series, terms_s = _timed(lambda: finite_molien_series(rep, method="classes"))
        if reference is None:
            reference = series
        assert series.numerator == reference.numerator and series.denominator == reference.denominator, setting
        rows.append({"work": f"Molien series of {spec} by classes ({len(classes)} classes)", "setting": setting,
                     "seconds": enumerate_s + terms_s, "parallel_part_s": terms_s, "serial_part_s": enumerate_s})
    return rows


def spaces_by_degree(spec: str, degrees: list[int]) -> list[dict]:
    from invariants.catalogue.spec import load_spec
    from invariants.parallel import cluster
    from invariants.rings.spaces import invariant_spaces

    rows, reference = [], None
    for setting in SETTINGS:
        with cluster(None if setting == "serial" else setting):
            spaces, seconds = _timed(invariant_spaces, load_spec(spec), degrees)
        bases = {d: spaces[d].polynomials for d in degrees}
        reference = reference or bases
        assert bases == reference, setting
        dims = ", ".join(str(len(spaces[d])) for d in degrees)
        rows.append({"work": f"invariants of {spec} in degrees {degrees[0]}–{degrees[-1]} (dimensions {dims})",
                     "setting": setting, "seconds": seconds, "parallel_part_s": seconds, "serial_part_s": 0.0})
    return rows


# -- training ---------------------------------------------------------------------------------------
def training_grid(quick: bool) -> list[dict]:
    grid = (["--families", "o3_smooth", "--seeds", "2", "--steps", "60"] if quick else
            ["--families", "o3_smooth,so3_chiral", "--seeds", "2", "--steps", "1000"])
    grid += ["--points", "3", "--sizes", "100", "--models", "molien,mlp+aug", "--test", "500"]
    rows, reference = [], None
    with tempfile.TemporaryDirectory() as out:
        for setting in SETTINGS:
            command = [sys.executable, str(ROOT / "benchmarks" / "generalisation.py"), *grid, "--results", out,
                       "--out", "grid"] + ([] if setting == "serial" else ["--cluster", setting])
            done, seconds = _timed(lambda: subprocess.run(command, **dict_capture()))
            _check(done)
            runs = {(r["family"], r["model"], r["seed"]): r["test_smse"] for r in json.loads(Path(out, "grid.json").read_text())}
            reference = reference or runs
            gap = max(abs(runs[k] - reference[k]) / max(abs(reference[k]), 1e-12) for k in reference)
            assert gap < 1e-6, (setting, gap)  # every run seeds itself: the same scores wherever it ran
            rows.append({"work": f"generalisation grid, {len(runs)} trainings (whole command)", "setting": setting,
                         "seconds": seconds, "parallel_part_s": None, "serial_part_s": None})
    return rows


def dict_capture() -> dict:
    return {"capture_output": True, "text": True, "cwd": str(ROOT),
            "env": {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}}


def _check(done: subprocess.CompletedProcess) -> None:
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])


def data_parallel(quick: bool) -> list[dict]:
    from neural.distributed import local_command

    rows, reference = [], None
    with tempfile.TemporaryDirectory() as out:
        for processes in (1, 2):
            command = local_command(__file__, "--ddp-worker", out, *(["--quick"] if quick else []), processes=processes)
            done = subprocess.run(command, **dict_capture())
            _check(done)
            result = json.loads(Path(out, "ddp.json").read_text())
            reference = reference or result
            gap = max(abs(a - b) for a, b in zip(result["params"], reference["params"]))
            assert gap < 1e-4, (processes, gap)
            rows.append({"work": f"fit of an MLP ({result['parameters']} parameters, {result['rows']} rows, global "
                                 f"batch {result['batch']}, {result['epochs']} epochs, float32)",
                         "setting": f"torchrun × {processes}", "seconds": result["seconds"],
                         "parallel_part_s": None, "serial_part_s": None})
    return rows


def ddp_worker(out: str, quick: bool) -> None:
    """Run by torchrun: every rank builds the same data and model; rank 0 writes the time and the
    trained parameters."""
    import torch

    from neural import distributed
    from neural.baselines import MLP
    from neural.training import fit

    torch.set_num_threads(1)
    rows, batch, epochs = (8_000, 1_000, 2) if quick else (40_000, 4_000, 5)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(rows, 12, generator=gen)
    y = torch.sin(x[:, :6] * x[:, 6:]).sum(1, keepdim=True)
    torch.manual_seed(0)
    model = MLP(12, 1, channels=512, layers=3)
    start = time.perf_counter()
    fit(model, (x, y), epochs=epochs, batch_size=batch, lr=1e-3, progress=False)
    seconds = time.perf_counter() - start
    if distributed.is_main():
        params = torch.cat([p.detach().flatten() for p in model.parameters()])
        Path(out, "ddp.json").write_text(json.dumps({
            "seconds": seconds, "params": params[:2000].tolist(), "parameters": params.numel(), "rows": rows,
            "batch": batch, "epochs": epochs}))


# -- report ------------------------------------------------------------------------------------------
def report(rows: list[dict], meta: dict) -> str:
    lines = [f"# On a cluster: speed-up with 1 and 2 workers on this machine\n",
             f"Run {meta['date']} UTC on {meta['machine']}, {meta['cores']} cores, load average before the run "
             f"{meta['load']}; dask {meta['dask']}, torch {meta['torch']}. Every answer was checked equal to the serial "
             "one before its time is reported. Speed-up = serial (or torchrun × 1) time / this time.\n",
             "| work | setting | seconds | speed-up | serial part (s) |", "|---|---|---:|---:|---:|"]
    base: dict[str, float] = {}
    for row in rows:
        if row["setting"] in ("serial", "torchrun × 1"):
            base[row["work"]] = row["seconds"]
        serial = "" if row["serial_part_s"] is None else f"{row['serial_part_s']:.1f}"
        lines.append(f"| {row['work']} | {row['setting']} | {row['seconds']:.1f} | "
                     f"{base[row['work']] / row['seconds']:.2f}× | {serial} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (CI)")
    parser.add_argument("--ddp-worker", metavar="OUT", help=argparse.SUPPRESS)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.ddp_worker:
        ddp_worker(args.ddp_worker, args.quick)
        return []
    import dask
    import torch

    meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": platform.machine(), "cores": os.cpu_count(),
            "load": " ".join(f"{v:.2f}" for v in os.getloadavg()), "dask": dask.__version__,
            "torch": torch.__version__}
    rows = molien_by_classes("G(8,1,3)" if args.quick else "G(32,1,3)")
    rows += spaces_by_degree("symmetric(4)" if args.quick else "W(F4)", [2, 3, 4] if args.quick else [16, 18, 20, 22, 24])
    rows += training_grid(args.quick)
    rows += data_parallel(args.quick)
    name = "cluster-quick" if args.quick else "cluster"
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    text = report(rows, meta)
    (args.results / f"{name}.md").write_text(text)
    print(text)
    return rows


if __name__ == "__main__":
    main()
