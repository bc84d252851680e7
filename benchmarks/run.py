"""Benchmark referatgraph against a naive rdflib/pySHACL pipeline and a pyoxigraph floor.

    python benchmarks/make_corpus.py 1000 && python benchmarks/run.py 1000
    python benchmarks/run.py 30                 # quick check (all variants at small sizes)

Every measurement runs in a fresh Python process (``run.py --worker …``); its peak memory is
that child's ``ru_maxrss`` as returned by ``os.wait4``. Times are wall-clock
(``time.perf_counter``) inside the child, around the work only (interpreter start and imports
excluded; they are reported separately as ``process_s``).

Variants, all on the same corpus (``benchmarks/corpus/N``, made by ``make_corpus.py``):

build    ``referatgraph.pipeline.build([corpus], out)`` as users run it: its default worker
         processes (one per CPU), nothing wrapped. Peak memory: ``peak_rss_mib`` is the largest
         single process (``ru_maxrss`` of the child and its waited-for workers);
         ``peak_tree_rss_mib`` the whole process tree (build process + workers), sampled every
         50 ms from /proc. ``phases_s``: the build's own wall times (convert, shared, finish).
stages   the same build in one process (``jobs=1``), with the pipeline's stage functions
         (parse_file, read_source, meeting_triples, link_meeting, validate_triples,
         render_meeting, Release.add / finish, …: see TIMED) wrapped by timers in the child
         only (src/ is not modified): where the CPU time goes. Its outputs must have the same
         digests as the build's (the bytes do not depend on the number of processes).
naive    the same parse and model (parse_file, meeting_triples, Linker), each triple added one by one
         to one rdflib.Graph as rdflib terms, the whole graph serialized with rdflib's Turtle and
         JSON-LD serializers, and pySHACL run once on the merged graph with the project's shapes.
floor    reading the texts (bytes → str) plus serializing the triples the build produced
         (dataset.ttl of the build at the same N, loaded untimed) to Turtle with pyoxigraph;
         apart from it, the per-meeting validation alone (extra_validation_s).
profile  pyinstrument on ``build`` in one process (no timers) of profile-N meetings.

Order and budget: phase 1 runs every variant at the smallest N; phase 2 the build at growing N
while the prediction (1.2 × the last measured cost per meeting × N) fits in 80 % of the budget,
then the stage-timed build at the largest built N; phase 3 the naive pipeline at the largest
built N that still fits. What is skipped is printed
and listed in results.json with its predicted time. ``--budget-min 0`` runs everything.

Code measured: at the start, src/, shapes/, ontology/, queries/ and examples/ are copied to
benchmarks/out/snapshot/ and every child imports referatgraph from there (PYTHONPATH), so edits
to src/ during a run do not mix versions; results.json records the snapshot's digest.

Repeats and the disk: builds of 100 meetings or fewer run three times (the median is kept). Before
each run the parent deletes that variant's previous output and waits until creating a file is
quick again (this machine's disk is slow for tens of seconds after deletions); ``--work DIR``
puts the outputs elsewhere (e.g. on tmpfs).

Results: a table on stdout and ``benchmarks/results.json`` (``--results FILE`` for another
file). ``--diagnose 100,500`` reruns only
the build (with the snapshot of the last run) and writes ``benchmarks/diagnostics.json``:
resident memory before ``Release.finish`` and the garbage collector's time.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _repo_relative(path) -> str:
    """A path as recorded in results.json: relative to the repository, never the machine's."""
    return os.path.relpath(str(path), str(HERE.parent))
REPO = HERE.parent
OUT = HERE / "out"
RESULTS = HERE / "results.json"
sys.path.insert(0, str(HERE))

STAGE_ORDER = ("read", "parse", "map", "link", "validate", "validate.shared", "publish.render_meeting", "publish.add",
               "publish.finish", "other")


# --------------------------------------------------------------------------------------------
# workers (each runs in its own process)
# --------------------------------------------------------------------------------------------


def _files(corpus: Path):
    from referatgraph.pipeline import discover

    return discover([corpus])


def _tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants (MiB), from /proc."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) / 1024
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return total


def worker_build(corpus: Path, out: Path) -> dict:
    """The build as users run it: ``build([corpus], out)`` with its default worker processes.
    A thread samples the resident memory of the whole process tree every 50 ms."""
    import threading

    from referatgraph.pipeline import build, default_jobs, discover

    peak = [0.0]
    done = threading.Event()

    def sample():
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_rss_mib(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    jobs = default_jobs(len(discover([corpus])))
    t0 = time.perf_counter()
    r = build([corpus], out)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    statuses: dict[str, int] = {}
    for f in r.files:
        statuses[f.status] = statuses.get(f.status, 0) + 1
    return {
        "wall_s": wall,
        "files": len(r.files),
        "statuses": statuses,
        "meetings": sum(1 for f in r.files if f.meeting),
        "triples": r.triples,
        "ok": r.ok,
        "conforms": r.conforms,
        "shared_conforms": None if r.shared is None else r.shared.conforms,
        "validation_results": sum(len(f.results) for f in r.files) + (len(r.shared.results) if r.shared else 0),
        "outputs": _digests(out),
        "jobs": jobs,
        "phases_s": getattr(r, "timings", {}),
        "peak_tree_rss_mib": peak[0],
    }


def _digests(out: Path) -> dict:
    """SHA-256 of the dataset files, read in chunks (reading them whole, 180 MB at N = 1000,
    counted in the build's peak memory)."""
    digests = {}
    for name in ("dataset.ttl", "dataset.jsonld"):
        if (out / name).exists():
            with open(out / name, "rb") as f:
                digests[name] = hashlib.file_digest(f, "sha256").hexdigest()
    return digests


#: (module, attribute, label): the stage functions timed from the outside. The pipeline's own
#: names (its module globals) are wrapped, so the real ``build`` runs and is timed stage by stage.
#: A name that does not exist (the code changed) is skipped and listed in the result.
TIMED = [
    ("referatgraph.pipeline", "parse_file", "read+parse"),
    ("referatgraph.parse", "read_source", "read"),
    ("referatgraph.pipeline", "meeting_triples", "map"),
    ("referatgraph.pipeline", "link_meeting", "link"),
    ("referatgraph.link.Linker", "finish", "link"),
    ("referatgraph.pipeline", "validate_triples", "validate"),
    ("referatgraph.pipeline", "validate_store", "validate.shared"),
    ("referatgraph.pipeline", "render_meeting", "publish.render_meeting"),
    ("referatgraph.publish.Release", "add", "publish.add"),
    ("referatgraph.publish.Release", "finish", "publish.finish"),
    ("referatgraph.publish", "turtle", "publish: turtle (pyoxigraph)"),
    ("referatgraph.publish", "compact_nodes", "publish: compact_nodes"),
    ("referatgraph.publish", "write_files", "publish: write_files"),
    ("referatgraph.publish", "meeting_tree", "publish: meeting_tree"),
    ("referatgraph.publish", "ontology_html", "publish: ontology_html"),
    ("referatgraph.site.Site", "render_meeting", "publish: Site.render_meeting"),
    ("referatgraph.site.Site", "finish", "publish: Site.finish"),
    ("referatgraph.site.Site", "entity_pages", "publish: Site.entity_pages"),
]


def worker_stages(corpus: Path, out: Path) -> dict:
    """``build`` in one process (``jobs=1``) with a timer around each stage function: where the
    CPU time of a build goes. (With worker processes the stages run in parallel and the timers
    would see only the build's own process.)
    """
    import functools
    import importlib
    from collections import Counter

    calls: list[tuple[str, float, int]] = []
    memory: dict[str, float | None] = {}
    added = [0]
    missing = []
    clock = time.perf_counter

    def timed(fn, label):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            at = added[0]
            a = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                calls.append((label, clock() - a, at))
                if label == "publish.add":
                    added[0] += 1
        if label == "publish.finish":
            @functools.wraps(fn)
            def finish_wrapper(*args, **kwargs):
                memory["peak_rss_before_finish_mib"] = _vm_hwm_mib()
                memory["rss_before_finish_mib"] = _vm_rss_mib()
                return wrapper(*args, **kwargs)
            return finish_wrapper
        return wrapper

    try:  # the SHACL engines the pipeline chooses from ("pyshacl", "turbo"), if it has several
        import referatgraph.validate as rv

        for name, fn in list(getattr(rv, "ENGINES", {}).items()):
            rv.ENGINES[name] = timed(fn, f"validate: engine {name}")
    except ImportError:
        pass
    for mod, attr, label in TIMED:
        try:
            try:
                owner = importlib.import_module(mod)
            except ImportError:
                m, cls = mod.rsplit(".", 1)
                owner = getattr(importlib.import_module(m), cls)
            setattr(owner, attr, timed(getattr(owner, attr), label))
        except (ImportError, AttributeError):
            missing.append(f"{mod}.{attr}")

    import gc

    import referatgraph
    from referatgraph.pipeline import build

    gc_time = {0: 0.0, 1: 0.0, 2: 0.0}
    gc_count = {0: 0, 1: 0, 2: 0}
    gc_start = [0.0]

    def on_gc(phase, info):  # time spent in the cyclic garbage collector, by generation
        if phase == "start":
            gc_start[0] = clock()
        else:
            gc_time[info["generation"]] += clock() - gc_start[0]
            gc_count[info["generation"]] += 1

    gc.callbacks.append(on_gc)
    t0 = clock()
    r = build([corpus], out, jobs=1)
    wall = clock() - t0
    gc.callbacks.remove(on_gc)
    hwm = _vm_hwm_mib()
    total_added = added[0]
    detail: dict[str, dict] = {}
    for label, d, at in calls:
        x = detail.setdefault(label, {"total_s": 0.0, "calls": 0, "in_loop_s": 0.0, "after_loop_s": 0.0})
        x["total_s"] += d
        x["calls"] += 1
        x["in_loop_s" if at < total_added else "after_loop_s"] += d

    def tot(label, part="total_s"):
        return detail.get(label, {}).get(part, 0.0)

    stages = {
        "read": tot("read"),
        "parse": tot("read+parse") - tot("read"),
        "map": tot("map"),
        "link": tot("link"),
        "validate": tot("validate"),
        "validate.shared": tot("validate.shared"),
        "publish.render_meeting": tot("publish.render_meeting"),
        "publish.add": tot("publish.add"),
        "publish.finish": tot("publish.finish"),
    }
    stages["other"] = wall - sum(stages.values())
    return {
        "wall_s": wall,
        "stages_s": stages,
        "detail": detail,
        "not_found": missing,
        "files": len(r.files),
        "meetings": sum(1 for f in r.files if f.meeting),
        "statuses": dict(Counter(f.status for f in r.files)),
        "triples": r.triples,
        "ok": r.ok,
        "conforms": r.conforms,
        "shared_conforms": None if r.shared is None else r.shared.conforms,
        "validation_results": sum(len(f.results) for f in r.files) + (len(r.shared.results) if r.shared else 0),
        "outputs": _digests(out),
        "peak_rss_end_mib": hwm,
        **memory,
        "gc_s": {f"gen{k}": v for k, v in gc_time.items()},
        "gc_collections": {f"gen{k}": v for k, v in gc_count.items()},
        "referatgraph_file": _repo_relative(referatgraph.__file__),
    }


def _vm_hwm_mib(field: str = "VmHWM") -> float | None:
    """Peak (VmHWM) or current (VmRSS) resident memory of this process, MiB (Linux)."""
    try:
        for ln in Path("/proc/self/status").read_text().splitlines():
            if ln.startswith(field + ":"):
                return int(ln.split()[1]) / 1024
    except OSError:
        pass
    return None


def _vm_rss_mib() -> float | None:
    return _vm_hwm_mib("VmRSS")


def _to_rdflib_term(t):
    import rdflib
    from pyoxigraph import Literal, NamedNode

    if isinstance(t, NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, Literal):
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        dt = t.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(dt))
    raise TypeError(f"unsupported term {t!r}")


def worker_naive(corpus: Path, out: Path) -> dict:
    import rdflib
    from pyshacl import validate

    from referatgraph.iris import DEFAULT_BASE_IRI, Minter
    from referatgraph.map import concept_triples, meeting_triples
    from referatgraph.parse import parse_file
    from referatgraph.publish import context
    from referatgraph.vocab import PREFIXES, SHAPES_FILE

    files = _files(corpus)
    clock = time.perf_counter
    t = {"read+parse": 0.0, "map": 0.0, "graph.add": 0.0, "turtle": 0.0, "jsonld": 0.0, "shacl": 0.0}
    t_start = clock()
    minter = Minter(DEFAULT_BASE_IRI)
    g = rdflib.Graph()
    for p, iri in {**PREFIXES, **minter.prefixes()}.items():
        g.bind(p, iri)
    try:  # cross-meeting links, if this version of the pipeline makes them (as build does)
        from referatgraph.link import Linker

        linker = Linker(minter)
    except ImportError:
        linker = None
    term = _to_rdflib_term
    meetings = 0
    for path, display in files:
        a = clock()
        parsed = parse_file(path, display)
        b = clock()
        t["read+parse"] += b - a
        if not parsed.ok:
            continue
        triples = meeting_triples(parsed.meeting, minter)
        if linker is not None:
            triples = linker.extend(parsed.meeting, triples)
        c = clock()
        for tr in triples:
            g.add((term(tr.subject), term(tr.predicate), term(tr.object)))
        d = clock()
        t["map"] += c - b
        t["graph.add"] += d - c
        meetings += 1
    a = clock()
    extra = list(linker.finish()) if linker is not None else []
    t["map"] += clock() - a
    a = clock()
    for tr in [*concept_triples(), *extra]:
        g.add((term(tr.subject), term(tr.predicate), term(tr.object)))
    t["graph.add"] += clock() - a
    out.mkdir(parents=True, exist_ok=True)
    a = clock()
    g.serialize(destination=str(out / "dataset.ttl"), format="turtle")
    b = clock()
    g.serialize(destination=str(out / "dataset.jsonld"), format="json-ld", context=context())
    c = clock()
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    conforms, results, _ = validate(g, shacl_graph=shapes, inference="none", advanced=True,
                                    allow_warnings=True, allow_infos=True)
    d = clock()
    t["turtle"] = b - a
    t["jsonld"] = c - b
    t["shacl"] = d - c
    n_results = len(set(results.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult"))))
    return {"wall_s": clock() - t_start, "stages_s": t, "meetings": meetings, "triples": len(g),
            "conforms": bool(conforms), "validation_results": n_results}


def worker_floor(corpus: Path, out: Path, dataset: Path) -> dict:
    import pyoxigraph as ox

    from referatgraph.iris import DEFAULT_BASE_IRI, Minter
    from referatgraph.vocab import PREFIXES

    prefixes = {**PREFIXES, **Minter(DEFAULT_BASE_IRI).prefixes()}
    paths = [p for p, _ in _files(corpus)]
    triples = [q.triple for q in ox.parse(path=str(dataset), format=ox.RdfFormat.TURTLE)]  # untimed
    out.mkdir(parents=True, exist_ok=True)
    clock = time.perf_counter
    a = clock()
    texts = [p.read_bytes().decode("utf-8") for p in paths]
    b = clock()
    (out / "dataset.ttl").write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
    c = clock()
    # Not part of the floor: the same triples as (expanded) JSON-LD, for comparison.
    (out / "dataset.jsonld").write_bytes(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
    d = clock()
    return {"wall_s": c - a, "stages_s": {"read": b - a, "turtle": c - b}, "extra_jsonld_s": d - c,
            "extra_validation_s": _validation_floor(dataset.parent / "meetings"),
            "files": len(texts), "text_mb": sum(len(x.encode()) for x in texts) / 1e6, "triples": len(triples)}


def _validation_floor(meetings: Path) -> float | None:
    """Not part of the floor: the per-meeting SHACL validation the issue asks for, alone, in one
    process: each meeting file of the build (its triples and the shared resources it uses) with
    the concept schemes, validated by pyshacl-turbo as the build does (the shapes compiled and
    the files parsed untimed)."""
    import pyoxigraph as ox

    from referatgraph.map import concept_triples
    from referatgraph.validate import compiled_shapes, validate_ntriples

    files = sorted(meetings.glob("*.ttl"))
    if not files:
        return None
    concepts = list(concept_triples())
    texts = [ox.serialize([q.triple for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)] + concepts,
                          format=ox.RdfFormat.N_TRIPLES).decode() for f in files]
    compiled_shapes()
    t0 = time.perf_counter()
    for text in texts:
        validate_ntriples(text)
    return time.perf_counter() - t0


def worker_profile(corpus: Path, out: Path) -> dict:
    from pyinstrument import Profiler

    from referatgraph.pipeline import build

    prof = Profiler(interval=0.005)  # coarser sampling: less overhead on deep pySHACL stacks
    prof.start()
    t0 = time.perf_counter()
    build([corpus], out, jobs=1)  # one process: the profiler sees every stage
    wall = time.perf_counter() - t0
    prof.stop()
    (out.parent / f"profile-{corpus.name}.txt").write_text(prof.output_text(unicode=True, color=False), encoding="utf-8")
    (out.parent / f"profile-{corpus.name}.html").write_text(prof.output_html(), encoding="utf-8")
    root = prof.last_session.root_frame()
    total = root.time

    def where(f) -> str:
        p = f.file_path or ""
        if p.startswith(str(REPO) + os.sep):  # benchmarks/run.py itself: no machine paths
            p = _repo_relative(p)
        for marker in ("site-packages/", "/src/", "/lib/python3."):
            if marker in p:
                p = p.split(marker, 1)[1]
                if marker == "/lib/python3.":  # the standard library: "json/encoder.py"
                    p = p.split("/", 1)[1]
                break
        return f"{p}:{f.line_no} {f.function}"

    def package(f) -> str:
        p = f.file_path or ""
        if "site-packages/" in p:
            return p.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
        if "/src/referatgraph/" in p:
            return "referatgraph"
        if "<" in p or not p:
            return "(native/builtin)"
        return "(python stdlib)"

    self_time: dict[str, float] = {}
    incl: dict[str, float] = {}
    pkg_self: dict[str, float] = {}

    def walk(f, ancestors: frozenset, parent=None) -> None:
        if f.is_synthetic and parent is not None:  # "[self]" etc.: time spent in the parent itself
            self_time[parent[0]] = self_time.get(parent[0], 0.0) + f.time
            pkg_self[parent[1]] = pkg_self.get(parent[1], 0.0) + f.time
            return
        key, pk = where(f), package(f)
        own = f.time - sum(c.time for c in f.children)
        self_time[key] = self_time.get(key, 0.0) + own
        pkg_self[pk] = pkg_self.get(pk, 0.0) + own
        if key not in ancestors:  # do not count recursion twice
            incl[key] = incl.get(key, 0.0) + f.time
        for c in f.children:
            walk(c, ancestors | {key}, (key, pk))

    sys.setrecursionlimit(100000)
    walk(root, frozenset())

    def top(d: dict, k: int) -> list:
        return [{"where": w, "s": round(s, 3), "share": round(s / total, 4)}
                for w, s in sorted(d.items(), key=lambda x: -x[1])[:k]]

    return {"wall_s": wall, "profiled_s": total, "top_self": top(self_time, 25),
            "top_inclusive": top(incl, 60), "by_package_self": top(pkg_self, 20)}


WORKERS = {"build": worker_build, "stages": worker_stages, "naive": worker_naive,
           "floor": worker_floor, "profile": worker_profile}


# --------------------------------------------------------------------------------------------
# parent
# --------------------------------------------------------------------------------------------


PROBES = OUT / ".probes"  # the probes' files, kept until the end of the run (deleting is what slows the disk)


def file_creation_ms(files: int = 300) -> float:
    """What creating a small file (5 KB) costs here now, in ms: a build creates about 57 per
    meeting. On this project's machine it varied from 0.03 to 0.8 ms (the disk is ext4 mounted
    with ``discard``: after files are deleted, creating files gets slow for tens of seconds)."""
    PROBES.mkdir(parents=True, exist_ok=True)
    d = Path(tempfile.mkdtemp(dir=PROBES))
    data = b"x" * 5000
    t0 = time.perf_counter()
    for i in range(files):
        (d / f"{i}.html").write_bytes(data)
    return (time.perf_counter() - t0) / files * 1000


def filesystem(path: Path) -> str:
    """The type of the file system ``path`` is on (from /proc/mounts; "" where there is none)."""
    best, kind = "", ""
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            _, mount, fs, *_ = line.split()
            if str(path.resolve()).startswith(mount.rstrip("/") + "/") and len(mount) > len(best):
                best, kind = mount, fs
    except OSError:
        pass
    return kind


def settle(fast_ms: float = 0.1, limit_s: float = 30.0) -> tuple[float, float]:
    """Wait until creating a file costs at most ``fast_ms`` (or ``limit_s`` has passed), so that
    a run does not pay for the previous run's deletions: (cost when started, seconds waited)."""
    t0 = time.perf_counter()
    while (ms := file_creation_ms()) > fast_ms and time.perf_counter() - t0 < limit_s:
        time.sleep(2)
    return ms, time.perf_counter() - t0


def run_worker(mode: str, n: int, **kw) -> dict:
    """Run one variant in a fresh process; add its peak RSS (MiB) and process wall time."""
    corpus = ensure_corpus(n)
    out = OUT / f"{mode}-{n}"
    result = OUT / f".{mode}-{n}.json"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, "--corpus", str(corpus),
           "--out", str(out), "--result", str(result)]
    for k, v in kw.items():
        cmd += [f"--{k}", str(v)]
    print(f"  {mode:8s} N={n:<5d} …", end="", flush=True)
    if out.exists():  # the previous run's output, deleted here (not in the timed process) …
        shutil.rmtree(out)
    creation, waited = settle()  # … and the disk given time to recover from it
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    env = dict(os.environ)
    if SNAPSHOT.is_dir():
        env["PYTHONPATH"] = os.pathsep.join([str(SNAPSHOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    proc = subprocess.Popen(cmd, env=env)
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - t0
    base = {"variant": mode, "n": n, "process_s": elapsed, "peak_rss_mib": ru.ru_maxrss / 1024,
            "loadavg_1min_before": load, "loadavg_1min_after": os.getloadavg()[0],
            "file_creation_ms_before": round(creation, 3), "settle_wait_s": round(waited, 1)}
    if proc.returncode != 0:
        print(f" FAILED (exit {proc.returncode})")
        return {**base, "error": f"exit {proc.returncode}"}
    data = json.loads(result.read_text())
    data.update(base)
    print(f" {data['wall_s']:8.2f} s   peak {data['peak_rss_mib']:7.0f} MiB   (load {load:.1f}, "
          f"file creation {creation:.2f} ms after {waited:.0f} s)")
    return data


def ensure_corpus(n: int) -> Path:
    import make_corpus

    d = HERE / "corpus" / str(n)
    if not make_corpus.is_current(d, n):
        make_corpus.make(n, d)
    return d


def machine() -> dict:
    from importlib import metadata

    cpu = ""
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    except OSError:
        pass
    pkgs = {}
    for name in ("referatgraph", "rdflib", "pyoxigraph", "pyshacl", "pyshacl-turbo", "PyLD", "owlrl", "oxrdflib", "pyinstrument"):
        try:
            pkgs[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pkgs[name] = None
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": pkgs,
        "loadavg_start": os.getloadavg(),
    }


SNAPSHOT = OUT / "snapshot"
#: What the package reads at run time besides its code (vocab.REPO = two levels above the package).
SNAPSHOT_DIRS = ("src", "shapes", "ontology", "queries", "examples")


def snapshot_sources() -> Path:
    """Copy src/ and the data files it reads into benchmarks/out/snapshot; workers import from
    there (PYTHONPATH), so that edits to src/ during a run do not mix two versions."""
    import shutil

    if SNAPSHOT.exists():
        shutil.rmtree(SNAPSHOT)
    for d in SNAPSHOT_DIRS:
        if (REPO / d).is_dir():
            shutil.copytree(REPO / d, SNAPSHOT / d, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return SNAPSHOT


def source_state(root: Path = REPO) -> dict:
    """Which code was measured: HEAD plus a digest of src/ and the shapes (others edit src/)."""
    src = hashlib.sha256()
    files = sorted(p for d in SNAPSHOT_DIRS if d != "examples" for p in (root / d).rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and ".egg-info" not in str(p))
    for p in files:
        src.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    commit = None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], check=False, cwd=REPO, capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return {"git_head": commit, "sources_sha256": src.hexdigest(), "files": len(files)}


#: Runs of each build of 100 meetings or fewer (the median is kept).
SMALL_BUILD_REPEATS = 3


def per_meeting(r: dict) -> float | None:
    m = r.get("meetings") or r.get("files") or r.get("n")
    return r["wall_s"] / m if r.get("wall_s") is not None and m else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="referatgraph benchmarks")
    ap.add_argument("n", nargs="?", type=int, default=1000, help="largest corpus size (default 1000)")
    ap.add_argument("--scaling", help="Ns for the full build (default 25,50,100,250,500,1000 up to N, and N)")
    ap.add_argument("--naive", help="Ns for the naive pipeline (default: the smallest build N, then the "
                                    "built Ns from the largest down, as the budget allows)")
    ap.add_argument("--profile", type=int, help="N for the profiler run (default min(N, 100), halved to fit the budget)")
    ap.add_argument("--budget-min", type=float, default=15.0,
                    help="time budget in minutes (default 15): larger runs predicted not to fit are "
                         "skipped and listed in results.json; 0 = run everything")
    ap.add_argument("--no-write", action="store_true", help="do not write benchmarks/results.json")
    ap.add_argument("--results", type=Path, help="write the results there instead of benchmarks/results.json")
    ap.add_argument("--work", type=Path, help="where the runs write their outputs (default benchmarks/out); "
                    "e.g. a tmpfs folder, to measure without the disk")
    ap.add_argument("--diagnose", help="only run the stage-timed build at these Ns (e.g. 100,500) with the "
                                       "existing snapshot (the code of the last full run), and write "
                                       "benchmarks/diagnostics.json")
    ap.add_argument("--worker", choices=WORKERS, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--dataset", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)

    if a.worker:  # (its previous output was deleted by the parent: run_worker)
        kw = {"dataset": a.dataset} if a.worker == "floor" else {}
        data = WORKERS[a.worker](a.corpus, a.out, **kw)
        if "referatgraph" in sys.modules:
            data["referatgraph_file"] = _repo_relative(sys.modules["referatgraph"].__file__)
        a.result.write_text(json.dumps(data))
        return 0
    if a.work:
        global OUT, PROBES
        OUT, PROBES = a.work.resolve(), a.work.resolve() / PROBES.name
    atexit.register(shutil.rmtree, PROBES, True)  # the disk probes' files (file_creation_ms)

    def ns(text: str | None) -> list[int] | None:
        return sorted({int(x) for x in text.split(",")}) if text else None

    if a.diagnose:
        if not SNAPSHOT.is_dir():
            snapshot_sources()
        state = source_state(SNAPSHOT)
        print(f"diagnostic builds with the snapshot {state['sources_sha256'][:12]}")
        diag = [run_worker("build", k) for k in ns(a.diagnose)]
        for r in diag:
            print(f"  N={r['n']}: peak before finish {r.get('peak_rss_before_finish_mib')} MiB, RSS before finish "
                  f"{r.get('rss_before_finish_mib')} MiB, peak at end {r.get('peak_rss_end_mib')} MiB, gc {r.get('gc_s')}")
        doc = {"command": "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
               "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "machine": machine(), "source_measured": state, "runs": diag}
        (HERE / "diagnostics.json").write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")
        return 0

    n = a.n
    scaling = ns(a.scaling) or sorted({x for x in (25, 50, 100, 250, 500, 1000) if x <= n} | {n})
    naive_req = ns(a.naive)
    budget = a.budget_min * 60 or float("inf")
    OUT.mkdir(parents=True, exist_ok=True)
    info = machine()
    inside = OUT.is_relative_to(REPO)
    info["work"] = {"path": _repo_relative(OUT) if inside else str(OUT), "filesystem": filesystem(OUT)}
    snapshot_sources()
    src_before = source_state(SNAPSHOT)
    print(f"machine: {info['nproc']} cores, {info['cpu']}, Python {info['python']}; "
          f"budget {a.budget_min:g} min")
    t_all = time.perf_counter()
    elapsed = lambda: time.perf_counter() - t_all
    runs: list[dict] = []
    skipped: list[dict] = []
    builds: dict[int, dict] = {}
    naives: dict[int, dict] = {}
    floors: dict[int, dict] = {}

    def fits(pred: float, share: float = 1.0) -> bool:
        return elapsed() + pred <= budget * share

    def skip(what: str, k: int, pred: float) -> None:
        print(f"  {what:8s} N={k:<5d} skipped: predicted {pred:.0f} s, {elapsed():.0f} s of "
              f"{budget:.0f} s used")
        skipped.append({"variant": what, "n": k, "predicted_s": round(pred), "elapsed_s": round(elapsed())})

    def do_build(k: int) -> None:
        # A build of 100 meetings or fewer takes seconds, and one run's wall time moves by
        # 10-30 % on this machine: three runs, the median kept (all three recorded).
        tries = [run_worker("build", k) for _ in range(SMALL_BUILD_REPEATS if k <= 100 else 1)]
        ok = sorted((t for t in tries if "error" not in t), key=lambda t: t["wall_s"])
        builds[k] = ok[len(ok) // 2] if len(ok) == len(tries) else next(t for t in tries if "error" in t)
        if len(tries) > 1:
            builds[k]["repeats_wall_s"] = [t.get("wall_s") for t in tries]
        runs.append(builds[k])
        if "error" not in builds[k]:
            floors[k] = run_worker("floor", k, dataset=OUT / f"build-{k}" / "dataset.ttl")
            runs.append(floors[k])

    def c_build() -> float:  # s per meeting at the largest measured build
        good = [k for k, b in builds.items() if "error" not in b]
        return per_meeting(builds[max(good)]) if good else 1.0

    # Phase 1, at the smallest size: every variant once.
    n0 = scaling[0]
    print(f"phase 1 (N={n0}): build, floor, stage-timed build (one process), naive, profile")
    do_build(n0)
    stages: dict[int, dict] = {n0: run_worker("stages", n0)}
    runs.append(stages[n0])
    for k in naive_req or [n0]:
        if k == n0 or not naive_req:
            naives[k] = run_worker("naive", k)
            runs.append(naives[k])
    pn = a.profile or min(n, 100)
    pred = 2.6 * c_build() * pn  # pyinstrument's overhead measured at ~2.5x on this code
    while not a.profile and pn > 10 and not fits(pred, 0.35):
        pn //= 2
        pred = 2.6 * c_build() * pn
    profile = run_worker("profile", pn)
    runs.append(profile)

    # Phase 2: the full build at growing sizes while it fits in 80 % of the budget.
    print("phase 2: full build at growing N")
    for k in scaling[1:]:
        pred = 1.2 * c_build() * k
        if fits(pred, 0.8):
            do_build(k)
        else:
            skip("build", k, pred)

    # The stage-timed build (one process) at the largest built size, if it fits.
    built = sorted(k for k, b in builds.items() if "error" not in b)
    if built and built[-1] != n0:
        k = built[-1]
        jobs = builds[k].get("jobs") or 1
        pred = 1.3 * jobs * builds[k]["wall_s"]
        if fits(pred, 0.8):
            stages[k] = run_worker("stages", k)
            runs.append(stages[k])
        else:
            skip("stages", k, pred)

    # Phase 3: the naive pipeline at the largest built sizes that still fit.
    print("phase 3: naive pipeline at larger N")
    built = sorted((k for k, b in builds.items() if "error" not in b), reverse=True)
    for k in (naive_req or built):
        if k in naives:
            continue
        ref = max(naives) if naives else n0
        c_naive = per_meeting(naives[ref]) if ref in naives and "error" not in naives[ref] else c_build()
        pred = c_naive * k * max(1.0, k / ref) ** 0.5  # naive cost per meeting grows with N
        if naive_req or fits(pred):
            naives[k] = run_worker("naive", k)
            runs.append(naives[k])
        else:
            skip("naive", k, pred)

    summary = summarize(n, builds, naives, floors, stages)
    summary["total_benchmark_s"] = elapsed()
    info["loadavg_end"] = os.getloadavg()
    info["source_measured"] = src_before  # the snapshot every worker imported
    info["live_source_changed_during_run"] = source_state(REPO)["sources_sha256"] != src_before["sources_sha256"]
    imported = {r.get("referatgraph_file") for r in runs if r.get("referatgraph_file")}
    info["imported_from"] = sorted(imported)
    if any(not str(x).startswith(_repo_relative(SNAPSHOT)) for x in imported):
        print("\nWARNING: a worker did not import referatgraph from the snapshot")
    if info["live_source_changed_during_run"]:
        print("\nnote: src/ changed during the run; the numbers are for the snapshot taken at the start "
              f"(sources_sha256 {src_before['sources_sha256'][:12]}).")

    print_table(runs, summary, stages, profile, skipped)
    if not a.no_write:
        doc = {"command": "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
               "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "machine": info, "n": n, "budget_min": a.budget_min, "skipped": skipped,
               "summary": summary, "runs": runs}
        target = a.results or RESULTS
        target.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        print(f"\nwrote {_repo_relative(target)}")
    return 0


def summarize(n: int, builds: dict, naives: dict, floors: dict, stages: dict) -> dict:
    s: dict = {}
    good = {k: b for k, b in sorted(builds.items()) if "error" not in b}
    nv = {k: v for k, v in sorted(naives.items()) if "error" not in v}
    fl = {k: f for k, f in sorted(floors.items()) if "error" not in f}
    if good:
        pm = {k: per_meeting(b) for k, b in good.items()}
        s["build_s_per_meeting"] = pm
        s["build_meetings_per_s"] = {k: 1 / v for k, v in pm.items()}
        s["build_jobs"] = {k: b.get("jobs") for k, b in good.items()}
        s["build_peak_rss_mib"] = {k: b["peak_rss_mib"] for k, b in good.items()}
        s["build_peak_tree_rss_mib"] = {k: b.get("peak_tree_rss_mib") for k, b in good.items()}
        s["build_phases_s"] = {k: b.get("phases_s") for k, b in good.items()}
        lo, hi = min(good), max(good)
        s["build_linearity_ratio"] = {"from_n": lo, "to_n": hi, "s_per_meeting_ratio": pm[hi] / pm[lo]}
        s["build_memory_ratio"] = {"from_n": lo, "to_n": hi,
                                   "peak_rss_ratio": good[hi]["peak_rss_mib"] / good[lo]["peak_rss_mib"],
                                   "peak_tree_rss_ratio": (good[hi].get("peak_tree_rss_mib") or 0) / (good[lo].get("peak_tree_rss_mib") or 1)}
    st = {k: v for k, v in sorted(stages.items()) if "error" not in v}
    if st:
        big = st[max(st)]
        s["stage_share_one_process"] = {"n": max(st), "wall_s": big["wall_s"],
                                        **{k: v / big["wall_s"] for k, v in big["stages_s"].items()}}
        # The same bytes whether a build uses worker processes or not.
        s["same_outputs_one_process_and_workers"] = {k: v.get("outputs") == good[k].get("outputs") for k, v in st.items() if k in good}
    s["naive_over_build"] = {k: nv[k]["wall_s"] / good[k]["wall_s"] for k in nv if k in good}
    if nv:
        per = {k: per_meeting(v) for k, v in nv.items()}
        s["naive_s_per_meeting"] = per
    s["build_over_floor"] = {k: good[k]["wall_s"] / f["wall_s"] for k, f in fl.items() if k in good}
    # A floor with the per-meeting validation in it (one process): what the build would be
    # compared with if the floor included the validation the issue requires.
    s["build_over_floor_with_validation"] = {
        k: good[k]["wall_s"] / (f["wall_s"] + f["extra_validation_s"]) for k, f in fl.items()
        if k in good and f.get("extra_validation_s")}
    # Extrapolation to N only from measured points whose cost per meeting does not fall with N:
    # then (s per meeting at the largest measured N) x N is a lower bound for the time at N.
    for name, d in (("build", good), ("naive", nv)):
        if d and n not in d:
            ks = sorted(d)
            per = [per_meeting(d[k]) for k in ks]
            nondecreasing = all(per[i + 1] >= per[i] for i in range(len(per) - 1))
            s[f"{name}_extrapolation"] = {
                "to_n": n, "from_n": ks, "s_per_meeting": per, "cost_per_meeting_nondecreasing": nondecreasing,
                "lower_bound_s": per[-1] * n if nondecreasing and len(ks) > 1 else None,
            }
    return s


def print_table(runs: list[dict], summary: dict, builds: dict, profile: dict, skipped: list) -> None:
    """``builds``: the stage-timed builds (variant "stages")."""
    print()
    print(f"{'variant':8s} {'N':>5s} {'wall s':>9s} {'meet/s':>8s} {'ms/meet':>8s} {'peak MiB':>9s} {'triples':>9s}")
    for r in runs:
        if r["variant"] == "profile":
            continue
        if "error" in r:
            print(f"{r['variant']:8s} {r['n']:5d}  {r['error']}")
            continue
        m = r.get("meetings") or r.get("files") or r["n"]
        print(f"{r['variant']:8s} {r['n']:5d} {r['wall_s']:9.2f} {m / r['wall_s']:8.2f} "
              f"{1000 * r['wall_s'] / m:8.1f} {r['peak_rss_mib']:9.0f} {r.get('triples', 0):9d}")
    for x in skipped:
        print(f"{x['variant']:8s} {x['n']:5d}  skipped (predicted {x['predicted_s']} s)")
    for r in runs:
        if r.get("ok") is False or r.get("conforms") is False:
            print(f"note: {r['variant']} N={r['n']}: ok={r.get('ok')} conforms={r.get('conforms')} "
                  f"shared_conforms={r.get('shared_conforms')} results={r.get('validation_results')}")
    good = [k for k, b in builds.items() if "error" not in b]
    if good:
        b = builds[max(good)]
        print(f"\nper stage (stage-timed build in one process, N={b['n']}, wall {b['wall_s']:.2f} s):")
        for k in STAGE_ORDER:
            v = b["stages_s"][k]
            print(f"  {k:22s} {v:8.2f} s  {100 * v / b['wall_s']:5.1f} %")
        print("  of which (inclusive, may overlap):")
        for k, v in b["detail"].items():
            if k.startswith(("validate:", "publish:")):
                print(f"    {k:36s} {v['total_s']:8.2f} s  {100 * v['total_s'] / b['wall_s']:5.1f} %  ({v['calls']} calls)")
        if b.get("not_found"):
            print(f"  not found (not timed): {', '.join(b['not_found'])}")
    for r in runs:
        if r["variant"] == "naive" and "stages_s" in r:
            parts = ", ".join(f"{k} {v:.2f}" for k, v in r["stages_s"].items())
            print(f"naive N={r['n']}: {parts} (conforms={r.get('conforms')})")
        if r["variant"] == "floor" and "stages_s" in r:
            parts = ", ".join(f"{k} {v:.2f}" for k, v in r["stages_s"].items())
            print(f"floor N={r['n']}: {parts}; (pyoxigraph JSON-LD, not in floor: {r['extra_jsonld_s']:.2f}; "
                  f"per-meeting validation, not in floor: {r.get('extra_validation_s') or 0:.2f})")
    print("\nsummary:")
    for k, v in summary.items():
        print(f"  {k}: {v}")
    if "top_inclusive" in profile:
        print(f"\nprofile (N={profile['n']}, {profile['profiled_s']:.1f} s profiled) — by package, self time:")
        for x in profile["by_package_self"][:10]:
            print(f"  {100 * x['share']:5.1f} %  {x['s']:7.2f} s  {x['where']}")
        print("top self time:")
        for x in profile["top_self"][:15]:
            print(f"  {100 * x['share']:5.1f} %  {x['s']:7.2f} s  {x['where']}")


if __name__ == "__main__":
    sys.exit(main())
