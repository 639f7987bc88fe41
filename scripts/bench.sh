#!/usr/bin/env bash
# Run the benchmarks (see benchmarks/README.md), offline, in headless Chromium (and
# Firefox and WebKitGTK for the engines' table).
# Options go to benchmarks/run.py: --quick for a short run, --help for the rest.
source "$(dirname "$0")/bootstrap.sh"
# The browsers: Chromium, and Firefox and WebKitGTK (tests/test_engines.py) under Xvfb.
if [ ! -x /usr/bin/chromium ] || ! command -v firefox-esr >/dev/null \
    || ! command -v WebKitWebDriver >/dev/null || ! command -v xvfb-run >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium firefox-esr webkit2gtk-driver xvfb
fi
.venv/bin/python benchmarks/run.py "$@"
