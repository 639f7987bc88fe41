#!/usr/bin/env bash
# Run the template's tests: copy, build and browse, in parallel on 2 cores.
source "$(dirname "$0")/bootstrap.sh"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && apt-get install -y -qq chromium
fi
.venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
