"""Learning with symmetry: orbits, symmetry coordinates (canonical forms), and discovering
symmetries and near-symmetries from data or a trained model."""
