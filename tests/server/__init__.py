"""Tests of the servers themselves (Voila's speed settings, JupyterHub), started on 127.0.0.1 by the tests."""
