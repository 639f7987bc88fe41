#!/usr/bin/env bash
# Generate a demo project with the defaults and build its interactive docs.
source "$(dirname "$0")/bootstrap.sh"
rm -rf demo
.venv/bin/copier copy --quiet --defaults --vcs-ref HEAD . demo/project
python3 -m venv demo/venv
demo/venv/bin/python -m pip install --quiet --disable-pip-version-check \
  -r demo/project/docs/requirements.txt ./demo/project
(cd demo/project && ../venv/bin/python -m sphinx -W --keep-going -q -b html \
  -D jupyterlite_silence=0 docs docs/_build/html)
cat <<MSG

Built: demo/project/docs/_build/html
JupyterLite needs http (not file://). Serve it with
  python3 -m http.server --bind 127.0.0.1 -d demo/project/docs/_build/html 8000
and open http://127.0.0.1:8000/generated/example_project.fibonacci.html, then click
"Try it in your browser!" (the kernel loads Pyodide from its CDN).
MSG
