#!/usr/bin/env bash
# Run the template's tests: copy, build and browse, in parallel on 2 cores.
source "$(dirname "$0")/bootstrap.sh"
# The browsers: Chromium, and Firefox and WebKitGTK (tests/test_engines.py) under Xvfb.
if [ ! -x /usr/bin/chromium ] || ! command -v firefox-esr >/dev/null \
    || ! command -v WebKitWebDriver >/dev/null || ! command -v xvfb-run >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium firefox-esr webkit2gtk-driver xvfb
fi
.venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
