"""Test and benchmark harness: run the built docs' "Try it" examples offline in Chromium."""
