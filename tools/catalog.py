"""Every bundled tool, by name: scenarios choose theirs from here."""

from __future__ import annotations

from sandbox.tool import Toolset
from tools.files import FILE_TOOLS
from tools.submit import submit

ALL_TOOLS = Toolset((*FILE_TOOLS, submit))


def toolset_for(patterns: list[str]) -> Toolset:
    """The tools a scenario offers; ``submit`` is always included, last."""
    chosen = ALL_TOOLS.select([p for p in patterns if p != "submit"])
    return Toolset((*(chosen[name] for name in chosen), submit))
