"""What an actor can call, grouped by ecosystem (``fs_*`` file tools, ``submit``, …)."""

from tools.catalog import ALL_TOOLS, toolset_for

__all__ = ["ALL_TOOLS", "toolset_for"]
