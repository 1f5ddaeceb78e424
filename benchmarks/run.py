"""Benchmarks (issues 6 and 18): every target as a ratio measured in this run, PASS or FAIL.

    python benchmarks/run.py              # all targets (about 5 minutes on 2 cores)
    python benchmarks/run.py --skip-long  # without the long (150+ page) briefs
    python benchmarks/run.py --only-long --paragraphs 2

Generates its workloads in a temporary folder (1,000 option files and 50
briefs; 8 briefs; a 120-option long brief) and runs briefgen as users do, in
fresh processes (``python -m briefgen`` from this checkout). Machines here are
noisy: fast commands are repeated and the median kept, and each target is a
ratio of two timings taken in the same run.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from workload import make_workspace, many_briefs  # noqa: E402

PY = sys.executable
RESULTS: list[tuple[str, str, bool]] = []
CONTENTS_PAGES = 12  # enough for the contents of the longest benchmark brief


def briefgen(*args: str | Path) -> list[str]:
    return [PY, "-m", "briefgen", *map(str, args)]


def timed(cmd: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-3000:]}")
    return seconds, done.stdout + done.stderr


def median(cmd: Sequence[str], repeat: int = 3) -> float:
    return statistics.median(timed(cmd)[0] for _ in range(repeat))


def report(target: str, measured: str, ok: bool) -> None:
    RESULTS.append((target, measured, ok))
    print(f"{'PASS' if ok else 'FAIL'}  {target}: {measured}", flush=True)


# --- memory of a process tree ------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    m = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) if m else 0


def tree_peak(cmd: Sequence[str]) -> tuple[float, float, str]:
    """Run cmd; return (seconds, peak MB of the summed PSS of it and its children, output)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            tree, todo, total = _children(), [proc.pid], 0
            while todo:
                pid = todo.pop()
                total += _pss_kb(pid)
                todo.extend(tree.get(pid, []))
            peak[0] = max(peak[0], total)
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out[-3000:]}")
    return seconds, peak[0] / 1024, out


# --- targets ---------------------------------------------------------------------------


def imports_of(cmd: Sequence[str]) -> set[str]:
    done = subprocess.run([PY, "-X", "importtime", *cmd[1:]], cwd=ROOT, capture_output=True,
                          text=True)
    return {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines()
            if line.startswith("import time:")}


CONTROL_WORDS = ("The ministry reviewed the offer with its partners and set out the timetable, "
                 "the costs and the safeguards that each of the options would need. ")


def control_html(head: str, paragraphs: int) -> str:
    """The plain-text control: the example's own <head> (so the same CSS: fonts, paper,
    margins, running headers and page numbers) and nothing but paragraphs of text."""
    body = "".join(f"<p>{CONTROL_WORDS * 5}</p>" for _ in range(paragraphs))
    return f"{head}<main>{body}</main></body></html>"


def pdf_pages(html: Path, base: str) -> int:
    out = subprocess.run([PY, "-c", "import sys, weasyprint; print(len(weasyprint.HTML("
                          "string=open(sys.argv[1]).read(), base_url=sys.argv[2]).render().pages))",
                          str(html), base], cwd=ROOT, capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def example_targets(tmp: Path, cache: Path) -> None:
    example = tmp / "example"
    for folder in ("options", "briefs"):
        shutil.copytree(ROOT / folder, example / folder)
    heavy = {"weasyprint", "matplotlib"}
    found = imports_of(briefgen("--help")) & heavy
    found |= imports_of(briefgen("check", "-w", example)) & heavy
    report("--help and check import neither WeasyPrint nor matplotlib",
           "imported: " + (", ".join(sorted(found)) or "none"), not found)

    brief = sorted(p.stem for p in (example / "briefs").glob("*.yaml"))[0]
    out = tmp / "example-out"
    full_cmd = briefgen("build", brief, "-w", example, "-f", "html", "-f", "pdf", "--force",
                        "-q", "-o", out)

    def full() -> float:
        cold(cache)  # a full build: no chart and no laid-out part from an earlier one
        return timed(full_cmd)[0]

    fulls = [full() for _ in range(3)]
    build = statistics.median(fulls)
    check = median(briefgen("check", "-w", example))
    report("check example <= 0.4x building its PDF",
           f"{check:.2f} s / {build:.2f} s = {check / build:.2f}x", check / build <= 0.4)

    html = out / f"{brief}.html"
    base = example.as_uri() + "/"
    alone = [PY, "-c", "import sys, weasyprint; weasyprint.HTML(string=open(sys.argv[1]).read(), "
             "base_url=sys.argv[2]).write_pdf(pdf_tags=True)", str(html), base]
    weasy = median(alone)

    # 1. Against a plain-text document of the same page count, paper, fonts and margins.
    text = html.read_text(encoding="utf-8")
    head = text[:text.index(">", text.lower().index("<body")) + 1]
    pages = pdf_pages(html, base)
    control = tmp / "control.html"
    paragraphs = 60
    for _ in range(4):  # paragraphs per page are about constant: two or three tries
        control.write_text(control_html(head, paragraphs), encoding="utf-8")
        got = pdf_pages(control, base)
        if got == pages:
            break
        paragraphs = max(1, round(paragraphs * pages / got) + (1 if got < pages else -1))
    plain = median([*alone[:3], str(control), base])
    report("1. full build of the example (HTML and PDF) <= 2.0x WeasyPrint on plain text of "
           "the same page count",
           f"{build:.2f} s / {plain:.2f} s = {build / plain:.2f}x ({pages} pages; control "
           f"{got} pages of text; full builds {', '.join(f'{t:.1f}' for t in fulls)} s)",
           build / plain <= 2.0 and got == pages)
    report("2. build example <= 1.25x WeasyPrint alone (fresh process, same HTML)",
           f"{build:.2f} s / {weasy:.2f} s = {build / weasy:.2f}x", build / weasy <= 1.25)

    # 3. The edit loop: one option's description changed, the PDF rebuilt from the cache.
    option = example / "options" / "icebreakers.yaml"
    edits = []
    for n in range(3):
        timed(briefgen("build", brief, "-w", example, "-f", "html", "-f", "pdf", "-q", "-o",
                       out))  # up to date with the cache before each edit
        source = option.read_text(encoding="utf-8")
        option.write_text(source.replace("description: ", f"description: Edit {n}. ", 1),
                          encoding="utf-8")
        edits.append(timed(briefgen("build", brief, "-w", example, "-f", "html", "-f", "pdf",
                                    "-q", "-o", out))[0])
    edit = statistics.median(edits)
    edited = (out / f"{brief}.pdf").read_bytes()
    fresh = tmp / "example-fresh"
    cold(cache)
    timed(briefgen("build", brief, "-w", example, "-f", "html", "-f", "pdf", "--force", "-q",
                   "-o", fresh))
    same = (fresh / f"{brief}.pdf").read_bytes() == edited
    report("3. edit one option's description: rebuild <= 0.3x a full build, PDF byte-identical "
           "to a --force build",
           f"{edit:.2f} s / {build:.2f} s = {edit / build:.2f}x (edits "
           f"{', '.join(f'{t:.2f}' for t in edits)} s); PDF {'identical' if same else 'DIFFERENT'}",
           edit / build <= 0.3 and same)

    # 4. watch: from saving an option file to the HTML written, the PDF in the background.
    seconds = watch_latency(example, tmp / "watch-out", option)
    report("4. watch: save to HTML written <= 1 s (median of 3 saves, PDF in the background)",
           f"{statistics.median(seconds):.2f} s (saves: {', '.join(f'{t:.2f}' for t in seconds)})",
           statistics.median(seconds) <= 1.0)


def cold(cache: Path) -> None:
    for kind in ("charts", "pdfparts"):
        shutil.rmtree(cache / kind, ignore_errors=True)


def watch_latency(example: Path, out: Path, option: Path) -> list[float]:
    proc = subprocess.Popen(briefgen("watch", "-w", example, "-f", "html", "-f", "pdf", "-o", out),
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")),  # type: ignore[union-attr]
                     daemon=True).start()

    def wait_for(predicate: Callable[[], bool], limit: float) -> None:
        deadline = time.monotonic() + limit
        while not predicate():
            if time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("watch did not answer:\n" + "".join(lines[-20:]))
            time.sleep(0.005)

    try:
        wait_for(lambda: any(line.startswith("PDF written") for line in lines), 300)
        time.sleep(0.5)  # the watcher starts after the first build
        html = sorted(out.glob("*.html"))[0]
        seconds = []
        for n in range(3):
            marker = f"Saved {n} at"
            source = option.read_text(encoding="utf-8")
            written = sum(line.startswith("PDF written") for line in lines)
            started = time.monotonic()
            option.write_text(source.replace("description: ", f"description: {marker} ", 1),
                              encoding="utf-8")
            wait_for(lambda m=marker: m in html.read_text(encoding="utf-8"), 60)
            seconds.append(time.monotonic() - started)
            wait_for(lambda w=written: sum(
                line.startswith("PDF written") for line in lines) > w, 300)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return seconds


def scale_targets(tmp: Path) -> None:
    big = make_workspace(tmp / "ws1000", 1000, many_briefs(50, 2, 1000), full=False)
    check = median(briefgen("check", "-w", big))
    report("1,000 option files (and 50 briefs) validate in < 2 s",
           f"{check:.2f} s = {check / 2:.2f}x the limit", check < 2)

    seconds, _ = timed(briefgen("build", "-w", big, "-f", "html", "-q"))
    print(f"      (first build of 50 briefs as HTML: {seconds:.1f} s)", flush=True)
    noop = median(briefgen("build", "-w", big, "-f", "html"), repeat=5)
    _, text = timed(briefgen("build", "-w", big, "-f", "html"))
    report("no-op rebuild of 50 briefs (1,000 options) <= 0.3 s",
           f"{noop:.3f} s = {noop / 0.3:.2f}x the limit ({text.strip()})",
           noop <= 0.3 and "Up to date: 50 briefs" in text)

    target = big / "options" / "opt-0007.yaml"  # in brief-003 only (options 6 and 7)
    target.write_text(target.read_text().replace("status: proposed", "status: agreed"))
    _, text = timed(briefgen("build", "-w", big, "-f", "html"))
    built = sorted(re.findall(r"\] (\S+): wrote", text))
    report("changing one option rebuilds only the briefs that include it",
           f"rebuilt {built or 'nothing'}", built == ["brief-003"])


def big_brief_target(tmp: Path) -> None:
    """One brief over many options: every analysis step must stay linear in memory."""
    peaks = {}
    for options in (250, 500):
        ws = make_workspace(tmp / f"big{options}", options,
                            [("big", list(range(options)))], full=False, criteria=12)
        seconds, peak, _ = tree_peak(briefgen("build", "-w", ws, "-f", "html", "-q"))
        peaks[options] = peak
        print(f"      ({options} options x 12 criteria, HTML: {seconds:.1f} s, "
              f"peak {peak:.0f} MB)", flush=True)
    report("a 500-option, 12-criterion brief builds HTML within 1 GB",
           f"{peaks[500]:.0f} MB", peaks[500] <= 1024)
    report("memory at most linear in the options (500 vs 250 options <= 2x)",
           f"{peaks[500]:.0f} MB / {peaks[250]:.0f} MB = {peaks[500] / peaks[250]:.2f}x",
           peaks[500] / peaks[250] <= 2.0)


def jobs_target(tmp: Path, cache: Path) -> None:
    ws = make_workspace(tmp / "ws8", 40, many_briefs(8, 4, 40))
    cold(cache)
    one = timed(briefgen("build", "-w", ws, "--force", "-q", "-j", "1"))[0]
    cold(cache)
    two = timed(briefgen("build", "-w", ws, "--force", "-q", "-j", "2"))[0]
    report("--jobs 2 >= 1.7x faster than --jobs 1 (8 briefs, HTML and PDF)",
           f"{one:.1f} s / {two:.1f} s = {one / two:.2f}x", one / two >= 1.7)


def long_target(tmp: Path, paragraphs: int, cache: Path) -> None:
    from pypdf import PdfReader

    ws = make_workspace(tmp / f"long{paragraphs}", 120, [("long-brief", list(range(120)))],
                        paragraphs=paragraphs)
    html = tmp / f"long{paragraphs}.html"
    # Charts are left out of this HTML: at 120 options briefgen's matplotlib charts take
    # minutes to draw (see docs/performance.md), and this target is about page layout.
    subprocess.run([PY, "-c", "import sys; from pathlib import Path\n"
                    "from briefgen.build.pipeline import load_valid_workspace\n"
                    "from briefgen.present.brief import present\n"
                    "from briefgen.output.render import render_html\n"
                    "ws, _ = load_valid_workspace(Path(sys.argv[1]))\n"
                    "view = present(ws, ws.briefs['long-brief'], draw_charts=False)\n"
                    "Path(sys.argv[2]).write_text(render_html(view, ws.root))",
                    str(ws), str(html)], cwd=ROOT, check=True)
    base = ws.as_uri() + "/"
    single_pdf, split_pdf = tmp / f"single{paragraphs}.pdf", tmp / f"split{paragraphs}.pdf"
    single = [PY, "-c", "import sys, weasyprint; open(sys.argv[3], 'wb').write(weasyprint.HTML("
              "string=open(sys.argv[1]).read(), base_url=sys.argv[2]).write_pdf(pdf_tags=True))",
              str(html), base, str(single_pdf)]
    split = [PY, "-c", "import sys; from pathlib import Path\n"
             "from briefgen.build.parallel import cpu_count\n"
             "from briefgen.output.pdf.split import render_split\n"
             "pdf, _ = render_split(open(sys.argv[1]).read(), Path(sys.argv[2]), [], cpu_count())\n"
             "open(sys.argv[3], 'wb').write(pdf)", str(html), str(ws), str(split_pdf)]
    # Time and memory in separate runs: sampling /proc every 0.1 s costs CPU, and more of it
    # the more processes there are, which would tax the split's timing for the sampling.
    # Median of 3 runs each, alternating, and the spread; every split run starts with an
    # empty parts cache, as a first build does.
    singles, splits = [], []
    for _ in range(3):
        singles.append(timed(single)[0])
        cold(cache)
        splits.append(timed(split)[0])
    t_single, t_split = statistics.median(singles), statistics.median(splits)
    ratios = sorted(a / b for a, b in zip(singles, splits, strict=True))
    mem_single = tree_peak(single)[1]
    cold(cache)
    mem_split = tree_peak(split)[1]

    def facts(path: Path) -> tuple[int, list[str | None], list[tuple[str, int]], list[str]]:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        labels = []
        for page in reader.pages:
            found = re.findall(r"Page \d+ of \d+", page.extract_text())
            labels.append(found[-1] if found else None)

        def flat(items: list) -> list[tuple[str, int]]:
            out: list[tuple[str, int]] = []
            for item in items:
                out += flat(item) if isinstance(item, list) else [
                    (item.title, reader.get_destination_page_number(item))]
            return out

        # The printed contents: the page numbers after the leaders, on the first pages (one
        # column of contents since issue 18: a long brief's runs over several pages).
        printed = re.findall(r"(?:\.\s*){4,}(\d+)",
                             "".join(p.extract_text() for p in reader.pages[:CONTENTS_PAGES]))
        return len(reader.pages), labels, flat(reader.outline), printed

    n_single, labels_single, toc_single, printed_single = facts(single_pdf)
    n_split, labels_split, toc_split, printed_split = facts(split_pdf)
    expected = [f"Page {n} of {n_single}" for n in range(1, n_single + 1)]
    what = f"long brief ({paragraphs}-paragraph options)"
    # Both tagged: briefgen's PDFs are, split or not.
    report(f"{what}: split render >= 2x faster than WeasyPrint's single pass (tagged)",
           f"{t_single:.1f} s / {t_split:.1f} s = {t_single / t_split:.2f}x, median of 3 "
           f"(runs {ratios[0]:.2f}x to {ratios[-1]:.2f}x; single {min(singles):.1f} to "
           f"{max(singles):.1f} s, split {min(splits):.1f} to {max(splits):.1f} s; "
           f"{n_single} pages)", t_single / t_split >= 2 and n_single >= 150)
    report(f"{what}: same page count, 'Page N of M' on every page, same outline and printed "
           "contents",
           f"pages {n_split} vs {n_single}; labels {'ok' if labels_split == expected else 'WRONG'}"
           f"; outline {'same' if toc_split == toc_single else 'DIFFERENT'} "
           f"({len(toc_split)} entries); printed contents "
           f"{'same' if printed_split == printed_single else 'DIFFERENT'} "
           f"({len(printed_single)} page numbers)",
           n_split == n_single and labels_split == expected == labels_single
           and toc_split == toc_single and printed_split == printed_single
           and len(printed_single) >= 100)
    report(f"{what}: peak memory (summed PSS of all processes) < 500 MB",
           f"split {mem_split:.0f} MB (single pass {mem_single:.0f} MB)", mem_split < 500)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-long", action="store_true", help="skip the long briefs")
    parser.add_argument("--only-long", action="store_true", help="run only the long briefs")
    parser.add_argument("--only-example", action="store_true",
                        help="run only the example's targets (issue 18: 1 to 4)")
    parser.add_argument("--only-big", action="store_true",
                        help="run only the one-brief-of-500-options memory targets")
    parser.add_argument("--paragraphs", type=int, nargs="+", default=[4],
                        help="size of each option in the long briefs: description paragraphs "
                             "(and actions, benefits, risks with them); 4 gives about 280 pages")
    parser.add_argument("--keep", type=Path, default=None, help="generate workloads here")
    args = parser.parse_args()
    import weasyprint

    print(f"briefgen benchmarks: {platform.node()}, nproc {os.cpu_count()}, "
          f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}")
    print(f"load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        # One cache folder for the run (the manifest secret lives there, so no-op builds
        # are trusted); the drawn charts and laid-out parts in it are cleared before every
        # measurement of a full build.
        cache = tmp / "cache"
        os.environ["BRIEFGEN_CACHE_DIR"] = str(cache)
        if args.only_big:
            big_brief_target(tmp)
        elif args.only_example:
            example_targets(tmp, cache)
        elif not args.only_long:
            example_targets(tmp, cache)
            scale_targets(tmp)
            jobs_target(tmp, cache)
            big_brief_target(tmp)
        if not args.skip_long and not args.only_big and not args.only_example:
            for paragraphs in args.paragraphs:
                long_target(tmp, paragraphs, cache)
    print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f}")
    failed = [t for t, _, ok in RESULTS if not ok]
    print(f"{len(RESULTS) - len(failed)} of {len(RESULTS)} targets pass.")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
