"""Chapter 1's error surface, gradient-descent paths, 1-D curves and loss landscapes (numbers only).
Its names load on first use (`viewcast.lazy`)."""
from ..lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "CurveConfig": ".configs", "LandscapeConfig": ".configs", "SurfaceConfig": ".surface",
    **{name: ".result" for name in ("SurfaceResult", "error_surface", "loss_curves", "loss_landscape")},
})
