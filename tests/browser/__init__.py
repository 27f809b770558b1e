"""Tests that drive a real Chromium (Debian's, through Playwright) against Voila servers the tests start."""
