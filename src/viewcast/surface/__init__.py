"""Chapter 1's error surface, gradient-descent paths, 1-D curves and loss landscapes (numbers only)."""
from .landscape import CurveConfig, LandscapeConfig
from .result import SurfaceResult, error_surface, loss_curves, loss_landscape
from .surface import SurfaceConfig

__all__ = ["CurveConfig", "LandscapeConfig", "SurfaceResult", "error_surface", "loss_curves", "loss_landscape",
           "SurfaceConfig"]
