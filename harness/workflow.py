"""Run a generated GitHub Actions job here, step by step, as a runner would run it.

GitHub cannot be reached from here, so the job's own ``run:`` steps run for real, in order,
in bash from the repository root (the workspace), with the job's and the step's ``env``, and
a step that fails stops the job as on GitHub. ``uses:`` steps are stood in for:

- ``actions/checkout``: the workspace already is the checkout;
- ``actions/setup-python``: a fresh venv (this machine's Python), first on ``PATH``;
- ``actions/upload-artifact``, ``upload-pages-artifact``: ``path`` is copied to
  ``<artifacts>/<name>``; ``actions/download-artifact``: the reverse;
- a job that calls a workflow of the repository (``uses: ./.github/workflows/...``): that
  workflow's jobs, with the call's ``with:`` as inputs, once per matrix entry.

Only the steps that download from outside are skipped, and listed: Playwright's own
Chromium (this machine's Chromium stands in, through ``CHECK_EXAMPLES_BROWSER``), micromamba,
cibuildwheel, the deployment.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CHROMIUM = "/usr/bin/chromium"
# Steps that fetch a tool from outside: what stands in for each, or None.
DOWNLOADS = {
    "playwright install": "this machine's Chromium",
    "mamba-org/setup-micromamba": None,
    "pypa/cibuildwheel": None,
    "actions/deploy-pages": None,
}
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


@dataclass
class JobRun:
    """What a job did: the steps it ran, the ones skipped and why, and its output."""

    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: str | None = None  # the step that failed, if one did
    output: str = ""

    @property
    def ok(self) -> bool:
        return self.failed is None

    def add(self, part: JobRun) -> bool:
        """Take in what a later part of the job did; whether the job goes on."""
        self.ran += part.ran
        self.skipped += part.skipped
        self.output += part.output
        self.failed = part.failed
        return part.ok


@dataclass
class Runner:
    """One repository's workspace and artifacts, shared by the jobs of a workflow run."""

    workspace: Path
    artifacts: Path
    python: Path | None = None  # a venv to reuse instead of a fresh one per job
    env: dict = field(default_factory=dict)  # extra environment, as a runner's own
    timeout: float = 1800

    def run_job(self, workflow: Path, job_id: str, inputs: dict | None = None) -> JobRun:
        """Run one job of a workflow file (every matrix entry of it), or the jobs of the
        workflow it calls."""
        spec = load(workflow)
        job = spec["jobs"][job_id]
        if "uses" in job:
            called = self.workspace / job["uses"].split("@")[0]
            declared = spec_inputs(load(called))
            result = JobRun()
            for called_id in load(called)["jobs"]:
                if not result.add(self.run_job(called, called_id,
                                               {**declared, **job.get("with", {})})):
                    break
            return result
        inputs = {**spec_inputs(spec), **(inputs or {})}
        matrix = job.get("strategy", {}).get("matrix", {})
        names = [name for name in matrix if name not in {"include", "exclude"}]
        result = JobRun()
        for values in itertools.product(*(matrix[name] for name in names)):
            if not result.add(self._run_steps(
                    job, {"inputs": inputs, "matrix": dict(zip(names, values))})):
                break
        return result

    def _run_steps(self, job: dict, context: dict) -> JobRun:
        context = {**context, "github": {"workspace": str(self.workspace)}}
        result = JobRun()
        env = {**os.environ, **self.env, "CI": "true", "GITHUB_WORKSPACE": str(self.workspace),
               "GITHUB_STEP_SUMMARY": str(self.artifacts / "step-summary.md")}
        env.update({k: substitute(str(v), context) for k, v in job.get("env", {}).items()})
        self.artifacts.mkdir(parents=True, exist_ok=True)
        for number, step in enumerate(job["steps"], 1):
            name = step.get("name") or step.get("uses") or step["run"].splitlines()[0]
            condition = str(step.get("if", "success()"))
            if result.failed and not re.search(r"always\(\)|cancelled\(\)|failure\(\)", condition):
                continue
            uses = step.get("uses", "")
            options = {k: substitute(str(v), context) for k, v in step.get("with", {}).items()}
            downloads = next((tool for tool in DOWNLOADS if tool in uses + step.get("run", "")),
                             None)
            if downloads:
                result.skipped.append(f"{name}: downloads from outside")
                if DOWNLOADS[downloads]:
                    env["CHECK_EXAMPLES_BROWSER"] = CHROMIUM
                continue
            step_env = {**env, **{k: substitute(str(v), context)
                                  for k, v in step.get("env", {}).items()}}
            try:
                if uses.startswith("actions/checkout@"):
                    pass
                elif uses.startswith("actions/setup-python@"):
                    env.update(self._python(env))
                elif uses.startswith(("actions/upload-artifact@",
                                      "actions/upload-pages-artifact@")):
                    self._upload(options, uses)
                elif uses.startswith("actions/download-artifact@"):
                    self._download(options)
                elif uses:
                    raise StepFailed(f"no stand-in for {uses}")
                else:
                    script = substitute(step["run"], context)
                    done = subprocess.run(
                        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                        cwd=self.workspace, env=step_env, capture_output=True, text=True,
                        timeout=self.timeout)
                    result.output += f"$ {name}\n{done.stdout}{done.stderr}"
                    if done.returncode != 0:
                        raise StepFailed(f"exit code {done.returncode}")
            except StepFailed as error:
                result.failed = f"{name} ({error})"
                result.output += f"step {number} failed: {name}: {error}\n"
                continue
            result.ran.append(name)
        return result

    def _python(self, env: dict) -> dict:
        """setup-python: a fresh venv (or the one given), first on PATH."""
        venv = self.python
        if venv is None:
            venvs = self.artifacts.parent / "venvs"
            venv = venvs / str(len(list(venvs.glob("*"))) if venvs.is_dir() else 0)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        return {"PATH": f"{venv / 'bin'}{os.pathsep}{env['PATH']}", "VIRTUAL_ENV": str(venv)}

    def _upload(self, options: dict, uses: str) -> None:
        name = options.get("name", "github-pages" if "pages" in uses else "artifact")
        sources = sorted(self.workspace.glob(options["path"]))
        if not sources:
            if options.get("if-no-files-found", "warn") == "error":
                raise StepFailed(f"no files at {options['path']}")
            return
        target = self.artifacts / name
        shutil.rmtree(target, ignore_errors=True)
        if len(sources) == 1 and sources[0].is_dir():
            shutil.copytree(sources[0], target)
        else:
            target.mkdir(parents=True)
            for source in sources:
                shutil.copy(source, target)

    def _download(self, options: dict) -> None:
        source = self.artifacts / options["name"]
        if not source.is_dir():
            raise StepFailed(f"no artifact named {options['name']}")
        shutil.copytree(source, self.workspace / options.get("path", "."), dirs_exist_ok=True)


class StepFailed(Exception):
    pass


def load(workflow: Path) -> dict:
    spec = yaml.safe_load(workflow.read_text())
    spec["on"] = spec.pop(True, spec.get("on"))  # YAML 1.1 reads "on" as True
    return spec


def spec_inputs(spec: dict) -> dict:
    """A called workflow's inputs, at their defaults."""
    call = (spec.get("on") or {}).get("workflow_call") or {}
    return {name: value.get("default") for name, value in (call.get("inputs") or {}).items()}


def substitute(text: str, context: dict) -> str:
    """${{ a.b }} from the context; any other expression is left for the test to see."""
    def value(match: re.Match) -> str:
        found = context
        for part in match[1].split("."):
            if not isinstance(found, dict) or part not in found:
                return match[0]
            found = found[part]
        return str(found)
    return EXPRESSION.sub(value, text)
