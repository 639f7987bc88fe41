#!/usr/bin/env bash
# Run the template's tests: copy, build and browse, in parallel: a worker per core, 2 to 4
# (the suite is bound by CPU; each worker makes a docs venv of its own).
source "$(dirname "$0")/bootstrap.sh"
# The browsers: Chromium, and Firefox and WebKitGTK (tests/test_engines.py) under Xvfb.
if [ ! -x /usr/bin/chromium ] || ! command -v firefox-esr >/dev/null \
    || ! command -v WebKitWebDriver >/dev/null || ! command -v xvfb-run >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium firefox-esr webkit2gtk-driver xvfb
fi
cores=$(nproc)
workers=$(( cores < 2 ? 2 : cores > 4 ? 4 : cores ))
.venv/bin/python -m pytest -n "$workers" --dist loadgroup "$@"
