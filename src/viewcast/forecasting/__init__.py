"""The honest forecast: validated on the last year, refit to the last day, recursive days, conformal intervals.
Its names load on first use (`viewcast.lazy`): the CLI reads the Selector's defaults without torch."""
from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "Calibration": ".conformal", "ForecastResult": ".result", "Selector": ".selector",
    "blend_days": ".days", "predict_days": ".days",
    "forecast": ".forecast", "forecast_many": ".forecast", "MAX_DAYS": ".selector", "SAVED_DAYS": ".selector",
})
