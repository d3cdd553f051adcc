"""Atomic file output: write to a temporary file beside the target, then
rename, so an interrupted run never leaves a half-written file; a set of
outputs is written to a staging folder and renamed into place together."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import ExportError

__all__ = ["atomic_write", "atomic_outputs", "NoSpaceError"]

_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class NoSpaceError(ExportError):
    """The disk (or the quota) is full; the outputs are left as they were."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        super().__init__(f"no space left writing {self.path}")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_write(path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file that replaces ``path`` when the block succeeds.

    Raises:
        ExportError: if the folder cannot be written.
    """
    path = Path(path)
    binary = "b" in mode
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror}") from None
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else "\n") as handle:
            yield handle
            handle.flush()
            # mkstemp makes the file private (0600); give it the usual mode.
            os.chmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(err, OSError) and err.errno in _NO_SPACE:
            raise NoSpaceError(path) from None
        raise


_STAGING_PREFIX = ".kgraph-staging-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remove_stale_staging(outdir: Path) -> None:
    """Remove staging folders left by killed runs (their process is gone)."""
    for stale in outdir.glob(_STAGING_PREFIX + "*"):
        pid = stale.name[len(_STAGING_PREFIX):].split("-", 1)[0]
        if stale.is_dir() and pid.isdigit() and not _pid_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def atomic_outputs(outdir: str | Path, *, remove: Iterable[str] = ()) -> Iterator[Path]:
    """A hidden staging folder inside ``outdir`` to write a set of outputs into.

    When the block succeeds, every file written to the staging folder is
    renamed into ``outdir`` (one ``rename`` each, no copying) and the files
    named in ``remove`` that were not written are deleted; when it fails or
    is interrupted, ``outdir`` is left as it was. The slow part of a build,
    serialising, happens in the staging folder, so an interruption that can
    mix old and new files is limited to a few renames.

    Raises:
        ExportError: if ``outdir`` cannot be written.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with atomic_outputs(out) as stage:
    ...     _ = (stage / "a.txt").write_text("new")
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt']
    """
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(outdir)
        stage = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=outdir))
    except OSError as err:
        raise ExportError(f"cannot write {outdir}: {err.strerror}") from None
    try:
        try:
            yield stage
        except NoSpaceError as err:
            # Name the output, not its staging copy.
            raise NoSpaceError(outdir / err.path.name if err.path.parent == stage else err.path) from None
        except OSError as err:
            if err.errno not in _NO_SPACE:
                raise
            name = Path(err.filename).name if err.filename else None
            raise NoSpaceError(outdir / name if name else outdir) from None
        written = sorted(p.name for p in stage.iterdir() if p.is_file() and not p.name.startswith("."))
        try:
            for name in written:
                os.replace(stage / name, outdir / name)
            for name in remove:
                if name not in written and (outdir / name).exists():
                    (outdir / name).unlink()
            _fsync_dir(outdir)
        except OSError as err:
            if err.errno in _NO_SPACE:
                raise NoSpaceError(outdir) from None
            raise ExportError(f"cannot write {outdir}: {err.strerror}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    # Makes the renames durable on POSIX; not possible (nor needed) on Windows.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
