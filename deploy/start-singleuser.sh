#!/bin/sh
# Start command of a resident's container in the Kubernetes image (deploy/Dockerfile). First give the
# resident their own ~/lessons (missing files only: their edits are never overwritten), then start the
# single-user server with the arguments KubeSpawner passes. Not tested here: see deploy/README.md.
set -e
python -I /srv/lowback/deploy/copy_lessons.py /srv/lowback/lessons "$HOME/lessons"
exec jupyterhub-singleuser "$@"
