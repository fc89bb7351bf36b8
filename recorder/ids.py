"""Trajectory ids: random version-4 UUIDs as 32 hex digits, without a system call each.

``uuid.uuid4()`` asks the kernel for 16 random bytes every time; inside a VM that system call,
with ``UUID``'s own checks, was a fifth of what recording added to an episode's reset. Ids only
need to be unique, not secret, so they come from a generator seeded once from ``os.urandom``
(never from the global ``random``, which a caller may seed) and reseeded in a forked child, whose
copy of the state would otherwise repeat its parent's ids.
"""

from __future__ import annotations

import os
import random

_generator = random.Random(os.urandom(32))
_VERSION_4 = 0x4 << 76
_RFC_4122 = 0x2 << 62
_CLEAR = ~((0xF << 76) | (0x3 << 62))


def _reseed() -> None:
    _generator.seed(os.urandom(32))


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reseed)


def new_trajectory_id() -> str:
    """A fresh id, formatted as ``uuid.uuid4().hex`` is."""
    return f"{(_generator.getrandbits(128) & _CLEAR) | _VERSION_4 | _RFC_4122:032x}"
