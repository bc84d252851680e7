"""Peak resident memory of each process of a build: the build's process and its workers.

    .venv/bin/python benchmarks/processes.py N [SRC]

Builds ``benchmarks/corpus/N`` (made by ``make_corpus.py N``) as users run it, with its default
workers, importing referatgraph from ``SRC`` (default: this checkout's ``src/``; give the
``src/`` of another checkout, e.g. a ``git worktree`` of an older commit, to compare two
versions under the same conditions). Every 50 ms it reads VmRSS of the build's process and of
its children from /proc (Linux only) and prints each one's peak and the peak of their sum,
with the build's wall time and phases. The output goes to a temporary folder, deleted after.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def main() -> None:
    n = sys.argv[1]
    src = sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "src")
    corpus = ROOT / "benchmarks" / "corpus" / n
    out = Path(tempfile.mkdtemp(prefix=f"processes-{n}-")) / "out"
    code = (
        f"import sys, time; sys.path.insert(0, {src!r})\n"
        "from pathlib import Path\n"
        "from referatgraph.pipeline import build\n"
        f"t = time.perf_counter(); r = build([Path({str(corpus)!r})], Path({str(out)!r}))\n"
        "print(f'ok={r.ok} wall {time.perf_counter() - t:.2f} s, phases', "
        "{k: round(v, 2) for k, v in r.timings.items()})\n"
    )
    build = subprocess.Popen([sys.executable, "-c", code])
    peak: dict[int, int] = {}
    tree = 0
    while build.poll() is None:
        total = 0
        for pid in [build.pid, *_children(build.pid)]:
            kib = _rss_kib(pid)
            if kib is not None:
                total += kib
                peak[pid] = max(peak.get(pid, 0), kib)
        tree = max(tree, total)
        time.sleep(0.05)
    workers = sorted(v // 1024 for pid, v in peak.items() if pid != build.pid)
    print(f"N={n} src={src}: build's process {peak.get(build.pid, 0) // 1024} MiB; "
          f"workers {workers} MiB; all processes together {tree // 1024} MiB")
    shutil.rmtree(out.parent, ignore_errors=True)
    sys.exit(build.returncode)


if __name__ == "__main__":
    main()
