"""The ONE engine: M members (series × folds × seeds) stacked, optimizers, prediction."""
from .config import TrainConfig, seed_stream
from .engine import EngineResult, pick_device, train
from .fit import FitResult, History, fit, fit_ensemble, predict
from .members import Batch, Member, pack
from .stop import Stop, StopReason, describe

__all__ = ["TrainConfig", "seed_stream", "EngineResult", "pick_device", "train", "FitResult", "History", "fit", "fit_ensemble",
           "predict", "Batch", "Member", "pack", "Stop", "StopReason", "describe"]
