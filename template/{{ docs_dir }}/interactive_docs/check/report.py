# Managed by copier-interactive-docs: `copier update` rewrites this folder.
"""The report: a line per example that failed (every example with -v), the counts, the
failures and the ignore_patterns lines that hide them, GitHub's job summary and JUnit XML.
Standard library only."""

from __future__ import annotations

import json
import os
import re
import textwrap
import time
from pathlib import Path

from .collect import Example
from .judge import apart


class Progress:
    """A line now and then (at every tenth of the examples, or after 30 s), so that a long
    run shows it goes on without a line per example."""

    def __init__(self, what: str, total: int):
        self.what, self.total, self.done, self.tenths = what, total, 0, 0
        self.start = self.last = time.monotonic()

    def over(self, items):
        """The items, with a step when the work on each is over."""
        for item in items:
            yield item
            self.step()

    def step(self) -> None:
        self.done += 1
        now, tenths = time.monotonic(), self.done * 10 // self.total
        if tenths > self.tenths or now - self.last >= 30:
            self.tenths, self.last = tenths, now
            print(f"{self.what}: {self.done} of {self.total} examples ({now - self.start:.0f} s)",
                  flush=True)



def verdicts(examples: list[Example], problems: dict[int, str | None], ways: dict[int, list[str]],
             seconds: dict[int, float], one_by_one: bool, strict: bool, verbose: bool) -> list:
    """Print a line for each example that failed (with verbose, for each), and what is
    reported apart of those that ran; [(example, problem or None, seconds)]."""
    results = []
    print()
    for key, example in enumerate(examples):
        problem = problems[key] or (strict and apart(example)) or None
        reported = "" if problem else apart(example)
        if problem == "hidden":
            if verbose:
                print(f"{example.label}: button hidden (try_examples.json), skipped")
        elif problem:
            print(f"{example.label}: FAILED: {problem}")
        elif verbose or reported:
            how = ", ".join(ways[key][:-1]) + " and " * (len(ways[key]) > 1) + ways[key][-1]
            if one_by_one:  # how long each took
                how += f", {seconds[key]:.1f} s"
            print(f"{example.label}: ok, {len(example.cells)} cells ({how})")
            if reported:
                print(textwrap.indent(f"reported apart:\n{reported}", "    "))
        results.append((example, problem, seconds[key]))
    return results


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def first_line(problem: str) -> str:
    """The line that says what went wrong: an exception's own line, else the first."""
    head, _, details = problem.partition("\n")
    raised = [line for line in details.splitlines() if re.match(r"[\w.]*(Error|Exception|Warning)\b", line)]
    return f"{head.rstrip(':')}: {raised[-1]}" if raised else head.rstrip(":")


def hiding_pattern(page: str) -> str:
    """An ignore_patterns entry that hides the page's buttons (JavaScript and Python read it)."""
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", page) + "$"


def counted(results: list, what: str) -> tuple[str, int]:
    """"N examples: P ran, F failed, H hidden." (what: "N examples") and P."""
    failed = sum(bool(problem) and problem != "hidden" for _, problem, _ in results)
    hidden = sum(problem == "hidden" for _, problem, _ in results)
    passed = len(results) - failed - hidden
    return f"{what}: {passed} ran, {failed} failed, {hidden} hidden.", passed


def report(results: list, junit: Path | None) -> int:
    failed = [(example, problem) for example, problem, _ in results
              if problem and problem != "hidden"]
    # API examples and narrative pages (notebooks, gallery examples) are counted apart.
    narrative = [result for result in results if result[0].narrative]
    counts, passed = counted([result for result in results if not result[0].narrative],
                             f"{len(results) - len(narrative)} examples")
    if narrative:
        pages, ran = counted(narrative, plural(len(narrative), "narrative page")
                             + " (notebooks, gallery examples)")
        counts, passed = f"{counts} {pages}", passed + ran
    print(f"\n{counts}")
    reported = [f"{example.label}: {first_line(example.notes[cell])}"
                for example, problem, _ in results if not problem for cell in sorted(example.notes)]
    if reported:
        # Pyodide is 32-bit WebAssembly, often with other versions of the dependencies: dtypes
        # and last digits differ where the doctests pass.
        print(f"\nReported apart ({len(reported)}; they do not fail the run, --strict makes "
              "them): lines the doctests skip (+SKIP) that failed, and output other than the "
              "docstring's:", *reported, sep="\n")
    lines = [f"{example.label}: {first_line(problem)}" for example, problem in failed]
    patterns = sorted({json.dumps(hiding_pattern(example.page)) for example, _ in failed})
    if failed:
        print(f"\n{len(failed)} interactive example(s) failed:", *lines, sep="\n")
        print("\nTo hide their buttons until they are fixed, add to \"ignore_patterns\" in "
              "try_examples.json:", *(f"    {pattern}," for pattern in patterns), sep="\n")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(f"### Interactive examples\n\n{counts}\n\n")
            if failed:
                summary.write("| page | example | what went wrong |\n|---|---|---|\n")
                for example, problem in failed:
                    cells = [example.page, name(example), first_line(problem)]
                    summary.write("| " + " | ".join(cell.replace("|", "\\|") for cell in cells)
                                  + " |\n")
                summary.write("\n`ignore_patterns` that hide them: "
                              + ", ".join(f"`{pattern}`" for pattern in patterns) + "\n")
    if junit:
        write_junit(junit, results)
    if failed:
        return 1
    if passed == 0:
        print("No example ran.")
        return 1
    print("Every interactive example ran.")
    return 0


def name(example: Example) -> str:
    if example.narrative:
        return f"the {example.narrative} page's cells"
    return example.name or f"example {example.index + 1}"


def write_junit(path: Path, results: list) -> None:
    """JUnit XML: a test case per example, named by its page and object."""
    from xml.etree import ElementTree

    suite = ElementTree.Element("testsuite", name="interactive examples", tests=str(len(results)),
                                failures=str(sum(bool(p) and p != "hidden" for _, p, _ in results)),
                                skipped=str(sum(p == "hidden" for _, p, _ in results)))
    for example, problem, seconds in results:
        case = ElementTree.SubElement(suite, "testcase", classname=example.page,
                                      name=name(example),
                                      time=f"{seconds:.1f}")
        if problem == "hidden":
            ElementTree.SubElement(case, "skipped", message="hidden by try_examples.json")
        elif problem:
            ElementTree.SubElement(case, "failure", message=first_line(problem)).text = problem
    ElementTree.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)

