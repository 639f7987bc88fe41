#!/usr/bin/env bash
# Run the benchmarks (see benchmarks/README.md), offline, in headless Chromium.
# Options go to benchmarks/run.py: --quick for a short run, --help for the rest.
source "$(dirname "$0")/bootstrap.sh"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && apt-get install -y -qq chromium
fi
.venv/bin/python benchmarks/run.py "$@"
