"""The one way viewcast writes a file, and the checks made before any work so that no run is lost to a
bad path: `check_folder`, `check_target` (a file that can be written), `write_atomic` (a crash never
leaves half a file). A check creates nothing: a folder is made when its first file is written, so a
command refused after its checks leaves nothing behind.

>>> p = write_atomic(check_target(tmp / "x.txt", "out"), b"hi")
>>> p.read_bytes(), check_folder(tmp / "new" / "folder").exists()
(b'hi', False)
>>> write_atomic(tmp / "new" / "folder" / "y.txt", b"!").parent.is_dir()
True
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import ViewcastError


def check_folder(path: str | Path, param: str = "out") -> Path:
    """Make sure files can be written into folder `path` — before any work, so no run is lost to it.
    A missing folder is not made here: the nearest folder that exists above it must take a new entry."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ViewcastError("exists and is not a folder", param=param, value=str(path), hint="give a folder name")
    probe_in = path
    while not probe_in.exists():
        probe_in = probe_in.parent
    if not probe_in.is_dir():
        raise ViewcastError(f"{probe_in} is a file, not a folder", param=param, value=str(path),
                            hint="give a folder name")
    try:
        fd, probe = tempfile.mkstemp(prefix=".viewcast-probe.", dir=probe_in)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise ViewcastError(f"cannot write there ({e.strerror or e})", param=param, value=str(path),
                            hint="choose a folder you can write to") from None
    return path


def check_target(path: str | Path, param: str = "save", in_new_folder: bool = False) -> Path:
    """Make sure a file can be written at `path` — before any work, so no run is lost to a bad path.
    Its folder must exist, unless `in_new_folder` (a folder -o names, made when the file is written)."""
    path = Path(path)
    if path.is_dir():
        raise ViewcastError("is a folder; give a file name such as model.safetensors", param=param, value=str(path))
    if path.parent.exists() and not path.parent.is_dir():
        raise ViewcastError(f"{path.parent} is a file, not a folder", param=param, value=str(path),
                            hint="write elsewhere")
    if not path.parent.is_dir() and not in_new_folder:
        raise ViewcastError(f"the folder {path.parent} does not exist", param=param, value=str(path),
                            hint="create it or write elsewhere")
    try:
        check_folder(path.parent, param)
    except ViewcastError as e:  # name the file asked for, not only its folder
        raise ViewcastError(f"cannot write into {path.parent} ({e.message.partition('(')[2].rstrip(')')})",
                            param=param, value=str(path), hint="choose a folder you can write to") from None
    return path


def write_atomic(path: str | Path, blob: bytes) -> Path:
    """Write to a temporary file in the same folder, fsync, then rename over `path`. The file gets the
    permissions a plain open() would give it (mkstemp's are owner-only): the replaced file's, or
    0666 less the umask (0644 under the usual umask 022)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)  # a folder checked by check_folder is made now
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # not on Windows before Python 3.13
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)  # reading the umask means setting it: set it back at once
        os.umask(umask)
        return 0o666 & ~umask
