# Voila configuration for the instructor's server (`make instructor`, port 8867 by default). It serves
# instructor/ (notes, answer keys, the case presenter and the live-session console), never lessons/, and
# starts from the learners' settings in config/voila.py: loopback only, no code or tracebacks on the page,
# only images served as files. The learners' server (`make dashboards`) serves lessons/ alone, so nothing
# in instructor/ can be fetched from it (tests/test_instructor*.py).
from pathlib import Path

c = get_config()  # noqa: F821 (traitlets provides get_config inside config files)
load_subconfig(str(Path(__file__).resolve().parent.parent / "voila.py"))  # noqa: F821

# The course template's landing page lists the lessons; the instructor's lists the instructor notebooks.
c.VoilaConfiguration.template = "lab"
c.VoilaConfiguration.classic_tree = True
c.VoilaKernelManager.kernel_pools_config = {"default": {"pool_size": 1}}
c.VoilaKernelManager.fill_delay = 2

# A part of an instructor page that fails says where to look (the learners' message asks them to tell
# the instructor). The answers on these pages are the reason this server must stay on 127.0.0.1: never put
# it behind the proxy that opens `make dashboards` to a room.
c.VoilaExecutor.cell_error_instruction = (
    "This part of the instructor's page could not be shown. `lowback check` lists "
    "any problem in the notes or the course content."
)
