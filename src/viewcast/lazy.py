"""Packages that load what they export on first use (PEP 562), so `viewcast --help`, `--version` and a
bad argument answer before torch, scipy or scikit-learn are imported (each costs a second or more).

A package declares its exports and the module each comes from; `import viewcast as vc` then costs
nothing, and `vc.fit` imports the API the first time it is used. A function named like one of its
package's modules (`train.fit`, `diagnosis.diagnose`) stays the function once that module is imported,
as it was when packages imported everything eagerly.

>>> import viewcast.train as train
>>> train.TrainConfig().epochs, "TrainConfig" in dir(train)
(1000, True)
"""
from __future__ import annotations

import importlib
import sys
import types


class _Package(types.ModuleType):
    """A package module whose exported names are not replaced by its submodules of the same name."""

    def __setattr__(self, name: str, value) -> None:
        exports = self.__dict__.get("_exports", {})
        if (name in exports and isinstance(value, types.ModuleType)
                and value.__name__ == f"{self.__name__}.{name}"):
            return  # the import system naming the submodule: the package keeps the function it exports
        super().__setattr__(name, value)


def attach(package: str, exports: dict[str, str]):
    """Make `package` lazy: `exports` maps each exported name to its module (relative, e.g. ".fit").
    Returns (__getattr__, __dir__, __all__) for the package to assign. Submodules not named in
    `exports` load on attribute access too (`vc.api`, `vc.models`), as after an eager import."""
    mod = sys.modules[package]

    def __getattr__(name: str):
        where = exports.get(name)
        if where is None:
            try:
                return importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as e:
                if e.name != f"{package}.{name}":
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(where, package), name)
        mod.__dict__[name] = value  # later look-ups are plain attribute reads
        return value

    def __dir__() -> list[str]:
        return sorted(set(mod.__dict__) | set(exports))

    mod.__dict__["_exports"] = dict(exports)
    mod.__class__ = _Package
    return __getattr__, __dir__, list(exports)
