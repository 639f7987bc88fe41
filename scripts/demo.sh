#!/usr/bin/env bash
# Generate a demo project with the defaults and build its interactive docs.
source "$(dirname "$0")/bootstrap.sh"
log="$PWD/demo/build.log"
rm -rf demo
mkdir demo
step() { printf '%s\n' "$*"; }
# Quiet steps; on failure, everything the failing step printed.
quietly() {
  if ! "$@" > "$log" 2>&1; then
    cat "$log"
    step "Failed: $*  (output above, and in $log)"
    exit 1
  fi
}
step "Generating demo/project with copier (--defaults) ..."
quietly .venv/bin/copier copy --quiet --defaults --vcs-ref HEAD . demo/project
step "Installing its docs requirements into demo/venv ..."
python3 -m venv demo/venv
quietly demo/venv/bin/python -m pip install --disable-pip-version-check \
  -r demo/project/docs/requirements.txt ./demo/project
step "Building its docs (Sphinx, the project's wheel, the JupyterLite site) ..."
start=$SECONDS
(cd demo/project && quietly ../venv/bin/sphinx-build -W --keep-going -b html \
  docs docs/_build/html)
step "Built in $((SECONDS - start)) s."
cat <<MSG

Built: demo/project/docs/_build/html  (build log: $log)
JupyterLite needs http (not file://). Serve it with
  python3 -m http.server --bind 127.0.0.1 -d demo/project/docs/_build/html 8000
and open http://127.0.0.1:8000/generated/example_project.fibonacci.html, then click
"Try it in your browser!": the example runs in the page, with the kernel's Pyodide from its CDN.
MSG
