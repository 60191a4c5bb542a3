"""The honest forecast: validated on the last year, refit to the last day, recursive days, conformal intervals."""
from .conformal import Calibration
from .days import blend_days, predict_days
from .forecast import MAX_DAYS, SAVED_DAYS, forecast, forecast_many
from .result import ForecastResult
from .selector import Selector

__all__ = ["Calibration", "ForecastResult", "Selector", "blend_days", "forecast", "forecast_many", "predict_days",
           "MAX_DAYS", "SAVED_DAYS"]
