"""The server's warm-up: what visitors will ask for first, computed in the background for each store version.

Every value derived from a build is computed once per store version and kept (single-flight caches), but the
first visitor used to pay for it: on 50,000 actors an ego map took 11 s, the broker table 15 s. Each time the
server opens a store version (at start-up, and when a new build, restore or edit is swapped in), a background
thread computes, in this order:

``memory``     the embedded store copied into memory (:meth:`graph.store.EmbeddedStore.load_into_memory`: 5 to 10
               times faster reads at national scale; ``PASSE_MURAILLE_STORE_MEMORY=off`` keeps reading disk);
``glossary``   the decoder's index (lookups, autocomplete);
``pages``      the labels and filter choices of the pages;
``actors``     the first page of the actor list with its facets (``/api/v1/actors``), and what every actor is
               (the table its filters by age and its facets are counted from);
``stats``      the statistics (``/api/v1/stats``, the coverage against official counts);
``maps``       the map graph with its betweenness and cut points (ego maps, overview, research page);
``research``   the research page's tables (brokers of the map graph, sector pairs, isolated actors, reviews);
``network``    the analytics' projection of the store onto networkx graphs;
``brokers``    the broker table (betweenness, constraint, brokerage roles) the API and pages rank;
``gaps``       the gap report's parts that no filter changes (sector mixing, suggested links, communities);
``exports``    the actor graph as GraphML and GEXF (networkx's writers: 7.6 s and 10.6 s for the 55,000 nodes and
               331,000 ties of a 50,000-actor store, kept in memory, about 230 MB there) and the HSDS arrays
               (4 s each there, 75 MB).

The server answers meanwhile; a request that needs a value being computed waits for that computation instead
of starting a second one. ``/health`` reports the progress (``warm_up``; a failed step by its name only, the
error is logged). ``PASSE_MURAILLE_WARMUP`` chooses
how much: ``full`` (default, the list above), ``light`` (memory, the glossary and pages only) or ``off``. When a newer
version is opened the warm-up of the older one stops after its current step.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import date

from api.routers.network import broker_table_json
from graph.glossary import get_index
from graph.network.gaps import gap_report
from graph.network.projection import project
from graph.publish.exports import NETWORK_FORMATS, network_export
from graph.publish.hsds import hsds_json
from graph.publish.maps import projection
from graph.publish.research import research_report
from graph.query.actor_search import ActorFilter, search_actors
from graph.query.entities import form_choices, labels_by_id
from graph.query.stats import graph_stats
from graph.version_cache import freeze_if_long_lived

log = logging.getLogger("passe_muraille.warm_up")

__all__ = ["WarmUp", "STEPS", "LEVELS", "level_from_env", "memory_from_env"]


def _memory(store) -> None:
    if memory_from_env() and hasattr(store, "load_into_memory"):
        store.load_into_memory()


def memory_from_env() -> bool:
    """``PASSE_MURAILLE_STORE_MEMORY``: ``on`` (default) copies the embedded store into memory, ``off`` reads disk."""
    value = os.environ.get("PASSE_MURAILLE_STORE_MEMORY", "on").strip().lower()
    if value not in ("on", "off", "1", "0", "yes", "no", ""):
        raise ValueError(f"PASSE_MURAILLE_STORE_MEMORY must be on or off, not {value!r}")
    return value in ("on", "1", "yes", "")


def _glossary(store) -> None:
    get_index(store)


def _pages(store) -> None:
    labels_by_id(store)
    form_choices(store)


def _actors(store) -> None:
    search_actors(store, ActorFilter())


def _stats(store) -> None:
    graph_stats(store)


def _maps(store) -> None:
    projection(store)


def _research(store) -> None:
    research_report(store)


def _network(store) -> None:
    project(store)


def _brokers(store) -> None:
    broker_table_json(project(store))


def _exports(store) -> None:
    for fmt in NETWORK_FORMATS:
        network_export(store, fmt)
    hsds_json(store, "organizations")
    hsds_json(store, "services")


def _gaps(store) -> None:


    gap_report(project(store), today=date.today())


STEPS: tuple[tuple[str, Callable[[object], None]], ...] = (
    ("memory", _memory), ("glossary", _glossary), ("pages", _pages), ("actors", _actors), ("stats", _stats),
    ("maps", _maps), ("research", _research), ("network", _network), ("brokers", _brokers), ("gaps", _gaps),
    ("exports", _exports))
LEVELS = {"full": len(STEPS), "light": 3, "off": 0}


def level_from_env() -> str:
    """``PASSE_MURAILLE_WARMUP``: ``full`` (default; also ``on``), ``light`` or ``off`` (also ``0``, ``no``)."""
    value = os.environ.get("PASSE_MURAILLE_WARMUP", "full").strip().lower()
    value = {"on": "full", "": "full", "0": "off", "no": "off"}.get(value, value)
    if value not in LEVELS:
        raise ValueError(f"PASSE_MURAILLE_WARMUP must be one of full, light, off, not {value!r}")
    return value


class WarmUp:
    """Runs the warm-up steps for each store it is given (:meth:`schedule`), one background thread each."""

    def __init__(self, level: str = "full"):
        self.level = level
        self.steps = STEPS[:LEVELS[level]]
        self._lock = threading.Lock()
        self._latest = None
        self._status: dict = {"state": "off" if not self.steps else "waiting"}

    def status(self) -> dict:
        """``state`` (waiting, running, done, off), the ``version`` concerned, the steps ``done`` so far with their
        seconds, the step ``running``, the names of the ``failed`` ones (their errors are logged), and the total
        ``seconds`` once done."""
        with self._lock:
            return {key: (value.copy() if isinstance(value, dict | list) else value)
                    for key, value in self._status.items()}

    def schedule(self, store) -> None:
        """Warm ``store`` (the version just opened) in a background thread; an older warm-up stops."""
        if not self.steps:
            return
        with self._lock:
            self._latest = store
            self._status = {"state": "running", "version": str(store.version), "done": {}, "running": None,
                            "failed": []}
        threading.Thread(target=self._run, args=(store,), name="passe-muraille-warm-up", daemon=True).start()

    def _run(self, store) -> None:
        started = time.perf_counter()
        for name, step in self.steps:
            with self._lock:
                if self._latest is not store:
                    return  # a newer version was opened: its own warm-up takes over
                self._status["running"] = name
            begun = time.perf_counter()
            try:
                step(store)
            except Exception as err:  # noqa: BLE001 - a failed step only means the first request computes it
                # the error goes to the log only: /health is public, and an error may name paths or queries
                log.warning("warm-up step %s failed: %s", name, " ".join(str(err).split())[:300])
                with self._lock:
                    if self._latest is store:
                        self._status["failed"].append(name)
                continue
            with self._lock:
                if self._latest is store:
                    self._status["done"][name] = round(time.perf_counter() - begun, 3)
        freeze_if_long_lived()  # what the steps cached on the projection lives as long as the version
        with self._lock:
            if self._latest is store:
                self._status.update(state="done", running=None, seconds=round(time.perf_counter() - started, 3))
