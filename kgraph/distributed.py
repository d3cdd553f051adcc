"""Extraction on a Dask cluster.

Chunks of articles go to the workers as tasks of
:func:`kgraph.pipeline.extract_chunk`; each worker process loads the spaCy
model once (it stays cached in the process) and sends back only events. The
chunks are those of a local run, so the result is identical; results are
taken in input order, with a few chunks per worker in flight, so memory stays
flat however long the input.

Use it through :class:`~kgraph.pipeline.ExtractOptions`::

    ExtractOptions(scheduler="tcp://10.0.0.5:8786")    # an existing cluster
    ExtractOptions(scheduler="local", n_process=4)       # a LocalCluster here

Every worker needs kgraph (and the same model and dictionaries) installed;
``pip install 'kgraph[dask]'`` on each machine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import KGraphError
from .pipeline import _Runner, extract_chunk

if TYPE_CHECKING:
    from .model import Article
    from .pipeline import ExtractOptions, _Handle

__all__ = ["DaskRunner", "LOCAL"]

#: The ``scheduler`` value that starts a ``LocalCluster``.
LOCAL = "local"
# Seconds to wait for a remote scheduler before giving up.
_CONNECT_TIMEOUT = 30


def _warm(model: str | None) -> bool:
    """Load the model in a worker, once, before the first task."""
    from .nlp import load_nlp

    load_nlp(model)
    return True


class DaskRunner(_Runner):
    """Runs chunks on a Dask cluster: ``options.scheduler`` is ``"local"``
    (a ``LocalCluster`` of ``options.n_process`` worker processes, one thread
    each) or a scheduler address.

    Raises:
        KGraphError: if Dask is not installed or the scheduler cannot be
            reached.
    """

    def __init__(self, options: ExtractOptions) -> None:
        super().__init__(options)
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise KGraphError(
                f"--scheduler {options.scheduler} needs Dask: pip install 'kgraph[dask]'"
            ) from None
        self._cluster = None
        try:
            if options.scheduler == LOCAL:
                self._cluster = LocalCluster(
                    n_workers=max(1, options.n_process),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port: never clash with a running one
                )
                self._client = Client(self._cluster)
            else:
                self._client = Client(options.scheduler, timeout=_CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:
            self.close()
            raise KGraphError(
                f"cannot reach Dask scheduler {options.scheduler!r}: {err}; "
                "expected tcp://HOST:PORT of a running scheduler, or 'local'"
            ) from None
        workers = self._client.run(_warm, self.options.model)
        self.window = 2 * max(1, len(workers))

    def submit(self, chunk: list[Article]) -> _Handle:
        return self._client.submit(extract_chunk, chunk, self.options, pure=False)

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
