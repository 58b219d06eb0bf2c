"""molien.neural: data, baselines and training for learning with symmetry (torch; knows nothing of flint).

Modules (import them directly; this package imports nothing on its own):

* `neural.datasets`: the EMLP tasks regenerated from their formulas (``O5Synthetic``,
  ``Inertia``, ``ParticleInteraction``, ``DoubleSpringPendulum``), ``SymmetricSet``, ``CyclicSet``, and
  the charged N-body simulator (`neural.datasets.nbody`);
  ``make(name, n, seed)`` returns a `TaskData` (``X``, ``Y``, ``rep_in``, ``rep_out``, ``group``).
* how a task's group acts: the engine's `Representation` (``rep_in``, ``rep_out``), received and
  applied through the bridge (`bridge.act`, `bridge.sample`, `bridge.load_spec`).
* `neural.baselines`: `MLP` (EMLP's), `Augmented` (group augmentation), `DeepSets`.
* `neural.standardize`: `Standardizer` (the one affine standardisation: fit, apply, invert;
  per feature or per block) and `Standardized` (EMLP's normalisation, answers in raw units of y).
* `neural.training`: ``fit(model, train, val=None, ...)``, the one training loop (regression,
  a custom ``loss``, or an unsupervised ``loss(model, batch)``), and ``evaluate(model, data)``.
* `neural.distributed`: what `fit` does under torchrun (DistributedDataParallel, each global
  batch split over the processes: the single-process result up to rounding).
* `neural.cluster`: ``run_grid(fn, items, cluster)``, a benchmark's runs as Dask tasks
  (``--cluster local:N`` or ``tcp://host:port``; ``pip install molien[cluster]``).
* `neural.hamiltonian`: `HamiltonianRollout` (an energy network -> predicted trajectory chunks, RK4)
  and `InvariantHamiltonian` (the pendulum's energy network on exact O(2)-about-z invariants).
* `neural.checks`: ``equivariance_error(model, data)``, max |f(g·x) - g·f(x)| over random g.
* `neural.models`: `InvariantModel` and `EquivariantModel` on the bridge's exact features.
* `neural.pair_sum`: `PairSum`, one network of the invariants of V ⊕ V summed over the pairs of
  k copies of V (the two-body term `InvariantModel` adds on points and particles).
* `neural.emlp_models`: molien's models for the EMLP tasks (`invariant_model`, `inertia_model`,
  `set_generator_mlp`), the builders ``benchmarks/emlp_table.py`` registers.
* `neural.polynomial_path`: `PolynomialPath`, a closed-form polynomial beside a network (degree
  and ridge by leave-one-out); `InvariantModel` chooses one by default (``path="auto"``).
* `neural.conv`: group CNNs on images from exact kernel bases (`GridSpace` for C2 … D4 moving
  pixels, `SteerableSpace` for C_N, D_N), field types, the exact covariant nonlinearity, pooling,
  batch norm, `GroupCNN`.
* `neural.graph`: equivariant message passing on particles (`EquivariantMessagePassing`,
  `ParticleNetwork`), graphs in torch_geometric's conventions, `EGNN` (the baseline).
* `neural.sets`: layers between tensors (R^n)^{⊗k} for any permutation group G ≤ S_n
  (`PermutationLinear`), `UniversalInvariantNetwork`, `universal_order`, `set_model`.
* `neural.symmetry`: orbits (`orbits`), symmetry coordinates (`canonical`), discovering continuous
  and finite symmetries (`discovery`, `finite`, `surrogate`), near-symmetries (`near`), and the
  anchors' tasks (`tasks`).
"""
__all__: list[str] = []
