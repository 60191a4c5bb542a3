"""The honest forecast: refit to the last day, recursive days, conformal intervals."""
from .conformal import Calibration
from .forecast import ForecastResult, forecast, predict_days

__all__ = ["Calibration", "ForecastResult", "forecast", "predict_days"]
