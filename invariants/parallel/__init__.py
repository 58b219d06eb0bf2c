"""Where the independent pieces of an exact computation run: one after another in this process
(the default, `executor`), or as tasks on a Dask cluster (`dask_cluster`), with the same answers."""
from invariants._lazy import lazy_exports

_EXPORTS = {
    "Executor": "executor", "SerialExecutor": "executor", "current_executor": "executor", "use_executor": "executor",
    "cluster": "dask_cluster", "DaskExecutor": "dask_cluster", "parse_cluster_address": "dask_cluster",
}
__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
