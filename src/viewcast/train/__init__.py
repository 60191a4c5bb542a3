"""The ONE engine: M members (series × folds × seeds) stacked, optimizers, prediction.
Its names load on first use (`viewcast.lazy`): the CLI reads TrainConfig's defaults without torch."""
from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "TrainConfig": ".config", "seed_stream": ".config",
    "EngineResult": ".engine", "pick_device": ".engine", "train": ".engine",
    **{name: ".fit" for name in ("FitResult", "History", "fit", "fit_ensemble", "predict")},
    "Batch": ".members", "Member": ".members", "pack": ".members",
    "Stop": ".stop", "StopReason": ".stop", "describe": ".stop",
})
