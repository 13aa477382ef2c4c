"""Bulk loading a new build beside the building thread: N-Triples fed through OS pipes to one Oxigraph loader
per core (Oxigraph parses and writes without the GIL while Python keeps producing triples)."""

from __future__ import annotations

import contextlib
import os
import queue
import threading

from graph.store.writer import NewBuild


class Pipe:
    """The N-Triples on their way to the store loader, table by table, through an OS pipe.

    Oxigraph reads the pipe itself (``/dev/fd/N``), without the GIL, while a writer thread feeds it what the
    building thread pushes; a Python file object would make the loader wait for the GIL at every read.
    :meth:`cancel` ends the stream with a line that is not N-Triples, so that the load stops with an error.
    """

    SLICE = 1 << 20

    def __init__(self):
        self._read_fd, write_fd = os.pipe()
        self._out = os.fdopen(write_fd, "wb")
        self._chunks: queue.SimpleQueue = queue.SimpleQueue()
        self._cancelled = False
        self._writer = threading.Thread(target=self._write, name="passe-muraille-store-feed", daemon=True)
        self._writer.start()

    @property
    def path(self) -> str:
        return f"/dev/fd/{self._read_fd}"

    def _write(self) -> None:
        try:
            while not self._cancelled:
                chunk = self._chunks.get()
                if chunk is None:
                    break
                view = memoryview(chunk)
                for start in range(0, len(view), self.SLICE):
                    if self._cancelled:
                        break
                    self._out.write(view[start:start + self.SLICE])
            if self._cancelled:
                self._out.write(b"\n!cancelled!\n")
        except OSError:
            pass  # the loader stopped reading (it failed): nothing more to feed
        finally:
            with contextlib.suppress(OSError):
                self._out.close()

    def push(self, data: bytes) -> None:
        if data:
            self._chunks.put(data)

    def finish(self) -> None:
        self._chunks.put(None)

    def cancel(self) -> None:
        self._cancelled = True
        self._chunks.put(None)

    def close_reader(self) -> None:
        """Called once the loader is done with the pipe: a writer still blocked on it then fails and ends."""
        with contextlib.suppress(OSError):
            os.close(self._read_fd)

    def join(self) -> None:
        self._writer.join()


class Loader(threading.Thread):
    """Bulk-loads part of the new build's database in the background (Oxigraph releases the GIL while it
    parses and writes), reading the N-Triples from a :class:`Pipe` as the building thread produces them."""

    def __init__(self, new: NewBuild, pipe: Pipe):
        super().__init__(name="passe-muraille-store-load", daemon=True)
        self.new, self.pipe = new, pipe
        self.store = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.store = self.new.load(path=self.pipe.path, lenient=True)
        except BaseException as err:  # re-raised in the building thread
            self.error = err
        finally:
            self.pipe.close_reader()

    def result(self):
        self.join()
        self.pipe.join()
        if self.error is not None:
            raise self.error
        return self.store

    def stop(self) -> None:
        """Make the load fail at the end of what it has been given, wait for it (abort removes its files)."""
        self.pipe.cancel()
        if self.is_alive():
            self.join()
        self.pipe.join()


def loader_count() -> int:
    """How many bulk loads run side by side: ``PASSE_MURAILLE_BUILD_LOADERS``, else one per core (at least 2).

    Oxigraph's bulk loader sorts and writes one batch on one thread; parts loaded at once use every core
    (1M triples on 2 cores: 6.2 s on one loader, 2.4–3.4 s on two; four, eight or sixteen were no faster).
    """
    setting = os.environ.get("PASSE_MURAILLE_BUILD_LOADERS", "").strip()
    if setting:
        if not setting.isdigit() or not 1 <= int(setting) <= 64:
            raise ValueError(f"PASSE_MURAILLE_BUILD_LOADERS must be a whole number from 1 to 64, not {setting!r}")
        return int(setting)
    return max(2, os.cpu_count() or 1)


class Loaders:
    """Several :class:`Loader` s into the same new build; :meth:`push` deals the N-Triples out among them, cut
    at line ends into pieces of about ``PIECE`` bytes, each piece to the loader given the fewest bytes so far."""

    PIECE = 8 << 20

    def __init__(self, new: NewBuild, count: int):
        self.loaders = [Loader(new, Pipe()) for _ in range(count)]
        self.given = [0] * count
        for loader in self.loaders:
            loader.start()

    def push(self, data: bytes) -> None:
        start, view = 0, memoryview(data)
        while start < len(data):
            end = data.find(b"\n", min(start + self.PIECE, len(data)) - 1) + 1 or len(data)
            target = self.given.index(min(self.given))
            self.loaders[target].pipe.push(view[start:end])
            self.given[target] += end - start
            start = end

    def result(self):
        """The loaded store, once every part is in (call :meth:`finish` first); the first failure is raised."""
        stores = [loader.result() for loader in self.loaders]
        return stores[0]

    def finish(self) -> None:
        for loader in self.loaders:
            loader.pipe.finish()

    def stop(self) -> None:
        for loader in self.loaders:
            loader.stop()
