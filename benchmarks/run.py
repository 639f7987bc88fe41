"""Benchmarks: what a reader waits for and downloads, what a maintainer's build costs.

Run with `bash scripts/bench.sh` (or `.venv/bin/python benchmarks/run.py`); `--quick` for
fewer rounds and sizes. Prints Markdown tables: medians and min-max over the rounds, each
round running the compared variants one after the other, in an order that rotates.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import maintainer  # noqa: E402
import projects  # noqa: E402
import reader  # noqa: E402
from harness import engines  # noqa: E402
from harness.browser import Link, reader_browser, serve  # noqa: E402

MiB = 2**20
# Loopback shows the CPU's share of the wait; the link, what a reader's connection adds.
LINKS = {"loopback": None, "50 Mbit/s link, 20 ms round trips": Link(50, 20)}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True,
                              text=True).stdout.strip()
    return f"{os.cpu_count()} CPUs ({cpu}), {ram:.0f} GiB RAM, {platform.platform()}, {chromium}"


def rotated(items: list[str], round_index: int) -> list[str]:
    shift = round_index % len(items)
    return items[shift:] + items[:shift]


def spread(values: list[float], unit: str = "s", scale: float = 1, digits: int = 2) -> str:
    """median (min–max)"""
    values = [v / scale for v in values]
    return (f"{statistics.median(values):.{digits}f} {unit} "
            f"({min(values):.{digits}f}–{max(values):.{digits}f})")


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def ratio(a: list[float], b: list[float]) -> str:
    return f"{statistics.median(a) / statistics.median(b):.2f}"


def template_section(template: Path, work: Path, rounds: int) -> str:
    maintainer.release_v2(template)
    times = defaultdict(list)
    for index in range(rounds):
        for name, seconds in maintainer.copier_round(template, work / f"copier-{index}").items():
            times[name].append(seconds)
    rows = [[name, spread(values)] for name, values in times.items()]
    return "### Template cost\n\n" + table(["command", "wall time, median (min–max)"], rows)


def reader_section(template: Path, work: Path, rounds: int) -> str:
    local = projects.offline_pyodide()
    sites = {}
    for variant in ("interactive", "defaults"):
        project = projects.make_project(template, work / f"reader-{variant}", variant,
                                        offline_pyodide=local)
        python = projects.docs_venv(project)
        if variant == "defaults":
            projects.add_project_wheel(project, python)
        projects.build(python, project, strict=variant == "interactive")
        sites[variant] = project / "docs" / "_build" / "html"
    root = reader.served_root(work, sites)
    parts = []
    for link_name, link in LINKS.items():
        samples = defaultdict(list)
        with serve(root, link) as base, reader_browser() as browser:
            for index in range(rounds):
                for name, sample in reader.run_round(browser, base, rotated(
                        ["floor", "in-page", "phone", "jupyterlite", "defaults"], index)).items():
                    samples[name].append(sample)
                print(f"  reader round {index + 1}/{rounds} ({link_name}) done", file=sys.stderr)
            if link is None:
                before = {variant: reader.bytes_before_click(browser, base, variant)
                          for variant in sites}
                intent = reader.bytes_after_intent(browser, base)
            if browser.leaked:
                raise AssertionError(f"requests left the machine: {browser.leaked}")
        parts += [f"### Reader time, {link_name} ({rounds} rounds, cold cache each round)",
                  *reader_tables(samples)]
    before_rows = [[variant, *(f"{size / MiB:.2f} MiB in {count} requests"
                               for size, count in counts.values())]
                   for variant, counts in before.items()]
    notebooks, markup = reader.markup_bytes(sites["interactive"])
    intent_rows = [[stage, f"{size / MiB:.2f} MiB in {count} requests", f"{part / 1024:.1f} KiB"]
                   for stage, (size, count, part) in intent.items()]
    return "\n\n".join([
        *parts,
        "### Bytes before any click (API page, until the network is idle)",
        table(["site", *next(iter(before.values()))], before_rows),
        "### Bytes after intent, with the editor (in-page runner, API page, loopback)",
        table(["stage", "transferred", "of which the editor (pointed at, click) or Pygments (edit)"],
              intent_rows),
        f"The build's markup of the examples' code: {markup / 1024:.1f} KiB of the example "
        f"notebooks' {notebooks / 1024:.1f} KiB (all pages; a click fetches one notebook).",
    ])


def reader_tables(samples: dict[str, list[reader.Sample]]) -> list[str]:
    labels = {"floor": "(a) floor: bare page, Pyodide + micropip + wheel",
              "in-page": "(d) generated site, in the page: click → output",
              "phone": "(e) the same on a phone (390×844, touch): tap → output",
              "jupyterlite": "(b) generated site, Open in JupyterLite: click → output",
              "defaults": "(c) jupyterlite-sphinx defaults: click → output"}
    rows = []
    for variant, label in labels.items():
        for name, suffix in ((variant, ""), (f"{variant} second", ", 2nd example of the page"),
                             (f"{variant} next", f", next page ({reader.DWELL_S:g} s on it)"),
                             (f"{variant} warm", ", warm (2nd click)")):
            runs = samples.get(name)
            if not runs:
                continue
            rows.append([label + suffix, spread([s.seconds for s in runs]),
                         spread([s.bytes for s in runs], "MiB", MiB),
                         f"{statistics.median(s.requests for s in runs):.0f}"])
    seconds = {name: [s.seconds for s in runs] for name, runs in samples.items()}
    sizes = {name: [s.bytes for s in runs] for name, runs in samples.items()}
    ratios = table(["ratio of medians", "value"], [
        ["(d) / (a), time", ratio(seconds["in-page"], seconds["floor"])],
        ["(d) / (a), bytes", ratio(sizes["in-page"], sizes["floor"])],
        ["(d) / (b), time", ratio(seconds["in-page"], seconds["jupyterlite"])],
        ["(b) / (a), time", ratio(seconds["jupyterlite"], seconds["floor"])],
        ["(b) / (c), time", ratio(seconds["jupyterlite"], seconds["defaults"])],
        ["(d) next page / (d), time", ratio(seconds["in-page next"], seconds["in-page"])],
        ["(e) phone / (d), time", ratio(seconds["phone"], seconds["in-page"])],
    ])
    memory = [s.memory for s in samples["phone"] if s.memory]
    if memory:
        ratios += (f"\n\nThe page's Python after the example (phone): "
                   f"{statistics.median(memory) / MiB:.0f} MiB of WebAssembly memory.")
    return [table(["", "seconds, median (min–max)", "transferred after the click", "requests"],
                  rows), ratios]


def engines_section(template: Path, work: Path, rounds: int) -> str:
    """Click → output in Chromium, Firefox and WebKit, one after the other each round."""
    project = projects.make_project(template, work / "engines", "interactive",
                                    offline_pyodide=projects.offline_pyodide())
    projects.build(projects.docs_venv(project), project, strict=True)
    names = ["chromium", "firefox", "webkit"]
    missing = {name: engines.missing(name) for name in names if engines.missing(name)}
    if missing:
        raise SystemExit(f"engines missing: {missing}")
    first, next_page = defaultdict(list), defaultdict(list)
    with serve(project / "docs" / "_build" / "html") as base:
        for index in range(rounds):
            for name in rotated(names, index):
                steps = [("goto", base + reader.API_PAGE), ("eval", engines.TRY_IT, 0, 120),
                         ("goto", base + reader.SECOND_API_PAGE),
                         ("eval", engines.DWELL, reader.DWELL_S), ("eval", engines.TRY_IT, 0, 120)]
                (click, _, warm), proxied = engines.run(name, steps)
                for result, expected in ((click, reader.API_PAGE), (warm, reader.SECOND_API_PAGE)):
                    shown = "".join(cell["text"] for cell in (result or {}).get("cells", []))
                    if not all(text in shown for text in reader.EXPECTED[expected]):
                        raise AssertionError(f"{name}: {expected} did not show its output: {result}")
                if proxied:
                    raise AssertionError(f"{name}: requests left the machine: {proxied}")
                first[name].append(click["seconds"])
                next_page[name].append(warm["seconds"])
            print(f"  engines round {index + 1}/{rounds} done", file=sys.stderr)
    rows = [[name, spread(first[name]), spread(next_page[name]),
             ratio(first[name], first["chromium"])] for name in names]
    versions = [subprocess.run(command, capture_output=True, text=True).stdout.strip()
                for command in (["firefox-esr", "--version"],
                                ["dpkg-query", "-W", "-f", "WebKitGTK ${Version}", "libwebkit2gtk-4.1-0"])]
    return "\n\n".join([
        f"### Engines: click → output ({rounds} rounds, loopback, a new profile each run)",
        table(["engine", "click → output, median (min–max)",
               f"next page ({reader.DWELL_S:g} s on it)", "click → output / Chromium's"], rows),
        f"{versions[0]}; {versions[1]}."])


def build_section(template: Path, work: Path, rounds: int) -> str:
    made = {variant: projects.make_project(template, work / f"build-{variant}", variant)
            for variant in projects.VARIANTS}
    python = projects.docs_venv(made["interactive"])
    projects.add_project_wheel(made["defaults"], python)
    results = defaultdict(list)
    for index in range(rounds):
        for variant, result in maintainer.build_round(
                python, made, rotated(list(projects.VARIANTS), index)).items():
            results[variant].append(result)
        print(f"  build round {index + 1}/{rounds} done", file=sys.stderr)
    seconds = {v: [r[0] for r in runs] for v, runs in results.items()}
    sizes = {v: [r[1] for r in runs] for v, runs in results.items()}
    labels = {"interactive": "interactive (the template)", "without": "without (line removed)",
              "defaults": "jupyterlite-sphinx defaults"}
    rows = [[label, spread(seconds[v]), f"{statistics.median(sizes[v]) / MiB:.1f} MiB"]
            for v, label in labels.items()]
    ratios = table(["ratio of medians", "value"], [
        ["build time: interactive / without", ratio(seconds["interactive"], seconds["without"])],
        ["build time: interactive / defaults", ratio(seconds["interactive"], seconds["defaults"])],
        ["site size: interactive / defaults", ratio(sizes["interactive"], sizes["defaults"])],
    ])
    return "\n\n".join([f"### Docs build, clean, from a fresh checkout ({rounds} rounds)",
                        table(["docs", "build time, median (min–max)", "site size"], rows),
                        ratios])


def scaling_section(template: Path, work: Path, sizes: list[int]) -> str:
    results = {}
    python = None
    for count in sizes:
        for variant in ("interactive", "without"):
            project = projects.make_project(template, work / f"scale-{variant}-{count}",
                                            variant, functions=count)
            if python is None:
                python = projects.docs_venv(project)
            elif variant == "interactive":  # the same package in both variants
                projects.install(python, project)
            seconds = projects.build(python, project, strict=variant == "interactive")
            results[variant, count] = seconds, projects.site_bytes(project / "docs" / "_build" / "html")
            shutil.rmtree(project)
        print(f"  {count} functions built", file=sys.stderr)
    heading = "### Growth with the number of documented functions (one build each)"
    header = ["functions with Examples", "interactive", "without", "site interactive",
              "site without"]
    rows = [[str(n), *(f"{results[v, n][0]:.1f} s" for v in ("interactive", "without")),
             *(f"{results[v, n][1] / MiB:.1f} MiB" for v in ("interactive", "without"))]
            for n in sizes]
    low, high = sizes[0], sizes[-1]
    if low == high:
        return "\n\n".join([heading, table(header, rows)])

    def marginal(variant: str, what: int) -> float:
        return (results[variant, high][what] - results[variant, low][what]) / (high - low)

    margins = table(["per documented function", "interactive", "without", "difference"], [
        ["build time", *(f"{marginal(v, 0) * 1000:.1f} ms" for v in ("interactive", "without")),
         f"{(marginal('interactive', 0) - marginal('without', 0)) * 1000:.1f} ms"],
        ["site size", *(f"{marginal(v, 1) / 1024:.1f} KiB" for v in ("interactive", "without")),
         f"{(marginal('interactive', 1) - marginal('without', 1)) / 1024:.1f} KiB"],
    ])
    return "\n\n".join([heading, table(header, rows),
                        f"Marginal cost, from {low} to {high} functions:", margins])


SECTIONS = ("template", "reader", "engines", "build", "scaling")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="2 rounds, 10 and 100 functions (default: 5 rounds, 10/100/1000)")
    parser.add_argument("--rounds", type=int, help="rounds of each side-by-side comparison")
    parser.add_argument("--sizes", type=lambda s: [int(n) for n in s.split(",")],
                        help="numbers of generated functions, e.g. 10,100,1000")
    parser.add_argument("--only", choices=SECTIONS, action="append",
                        help="run only this section (repeatable)")
    args = parser.parse_args()
    rounds = args.rounds or (2 if args.quick else 5)
    sizes = sorted(args.sizes) if args.sizes else ([10, 100] if args.quick else [10, 100, 1000])
    chosen = args.only or SECTIONS

    start = time.perf_counter()
    print(f"Measured {datetime.date.today().isoformat()} on {machine()}.\n")
    work = Path(tempfile.mkdtemp(prefix="benchmarks-"))
    try:
        template = projects.template_repo(work)
        runs = {"reader": lambda: reader_section(template, work, rounds),
                "engines": lambda: engines_section(template, work, rounds),
                "build": lambda: build_section(template, work, rounds),
                "scaling": lambda: scaling_section(template, work, sizes),
                "template": lambda: template_section(template, work, rounds)}
        for name in SECTIONS:
            if name in chosen:
                print(runs[name](), end="\n\n", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Benchmark wall time: {(time.perf_counter() - start) / 60:.1f} min.")


if __name__ == "__main__":
    main()
