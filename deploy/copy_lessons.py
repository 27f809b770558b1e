"""Give a resident their own copy of the lessons: copy every file of SOURCE that DEST lacks.

    python copy_lessons.py SOURCE DEST

A file already in DEST is never overwritten, so a resident's edits survive; a lesson added to the
course later appears the next time their server starts. Dot files, dot folders and __pycache__ are
skipped. Prints one line per file copied. Run as the resident, so it can only write where they can:
jupyterhub_config.py runs it before each server starts, and the Kubernetes image's start command
(start-singleuser.sh) runs it inside the resident's container.
"""

import shutil
import sys
from pathlib import Path


def copy_missing(source: Path, dest: Path) -> list[Path]:
    copied = []
    for src in sorted(source.rglob("*")):
        rel = src.relative_to(source)
        if src.is_dir() or any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        target = dest / rel
        if target.exists() or target.is_symlink():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        copied.append(rel)
    return copied


if __name__ == "__main__":
    if len(sys.argv) != 3 or not Path(sys.argv[1]).is_dir():
        sys.exit(__doc__)
    for rel in copy_missing(Path(sys.argv[1]), Path(sys.argv[2])):
        print(rel)
