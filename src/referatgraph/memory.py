"""Giving freed memory back to the operating system between the steps of a build.

A build reads the shared resources, their validation parts and the entity pages in batches of
bounded size, so what it holds at once does not grow with the corpus. What the C allocator
keeps does: glibc's malloc raises its mmap threshold to the largest block freed so far, and
then keeps the freed batches' memory in the process's heap for reuse. Measured on the shared
store of a 1,000-meeting build (`docs/performance.md`, "Memory"): reading its ten batches and
grouping them by subject left the process at 151 MiB although the Python objects alive stayed
under 10 MiB; trimming after each batch, 114 MiB.

:func:`trim` asks glibc to return the free memory at the top and in the middle of its heap
(``malloc_trim(0)``). It walks the whole heap: about 1 ms a call in a build (73 calls, 0.08 s in
all, for 1,000 meetings in one process), but 20–30 ms on a heap of 100 MiB full of small holes,
so the build calls it between batches and parts, never per meeting. On other C libraries (macOS, Windows,
musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = ctypes.CDLL(None).malloc_trim  # the C library Python runs on; glibc has it
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_size_t]
    fn.restype = ctypes.c_int
    return fn


def trim() -> None:
    """Return the memory that the C allocator holds free to the operating system (glibc's
    ``malloc_trim(0)``; nothing where the C library has no such function)."""
    fn = _malloc_trim()
    if fn is not None:
        fn(0)
