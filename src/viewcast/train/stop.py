"""Why a member stopped training: a value (a reason and numbers), never a sentence. Words are
made only at the edge (`describe`), so rewording a message cannot change a diagnosis.

>>> s = Stop(StopReason.DIVERGED, update=12, loss=float("inf"), lr=0.5)
>>> s.reason is StopReason.DIVERGED, describe(s)
(True, 'diverged at update 13: the loss became inf; kept the weights of update 12; try a smaller learning rate than 0.5')
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum


class StopReason(str, Enum):
    UPDATES = "updates"  # every planned update was taken
    CRITICAL_POINT = "critical_point"  # ‖∇L‖ fell below grad_tol
    DIVERGED = "diverged"  # the loss became inf/NaN; the last finite weights were kept
    EARLY_STOP = "early_stop"  # the validation loss did not improve for `patience` updates
    CONVERGED = "converged"  # the training loss stopped falling (time to quality)
    STOPPED_AFTER = "stopped_after"  # the number of updates asked for (a refit)
    INTERRUPTED = "interrupted"  # Ctrl-C


@dataclass(frozen=True)
class Stop:
    reason: StopReason
    update: int  # updates taken when it stopped (weights after `update` updates)
    loss: float | None = None  # DIVERGED: the non-finite loss; otherwise the last training loss
    grad_norm: float | None = None  # CRITICAL_POINT: ‖∇L‖ there
    patience: int | None = None  # EARLY_STOP / CONVERGED: the patience in updates
    lr: float | None = None  # the η used (for advice)

    def as_dict(self) -> dict:
        return {"reason": self.reason.value, "update": self.update,
                "loss": self.loss if self.loss is None or math.isfinite(self.loss) else str(self.loss),
                "grad_norm": self.grad_norm, "patience": self.patience}


def describe(s: Stop, grad_tol: float | None = None) -> str:
    """The stop reason in words (English; the report translates the same values)."""
    r = s.reason
    if r is StopReason.UPDATES:
        return "updates ran out"
    if r is StopReason.DIVERGED:
        return (f"diverged at update {s.update + 1}: the loss became {s.loss}; kept the weights of update {s.update}"
                + (f"; try a smaller learning rate than {s.lr:g}" if s.lr else ""))
    if r is StopReason.CRITICAL_POINT:
        tol = f" < {grad_tol:g}" if grad_tol is not None else ""
        return f"gradient ≈ 0 (‖∇L‖ = {s.grad_norm:.2g}{tol}): a critical point"
    if r is StopReason.EARLY_STOP:
        return f"early stop: no better validation loss for {s.patience} updates"
    if r is StopReason.CONVERGED:
        return f"converged: the training loss stopped falling over {s.patience} updates"
    if r is StopReason.STOPPED_AFTER:
        return f"stopped after {s.update} updates, the number validation chose"
    return f"interrupted at update {s.update}"
