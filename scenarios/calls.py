"""When two steps made the same call: the tool and its arguments as one comparable string.

Error handling (an incident's later attempts) and efficiency (repeated failures, redundant
reads) both compare calls this way, so they always agree on what counts as "the same call".
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from sandbox.types import Step


def arguments_json(value: Any, *, sort_keys: bool = False) -> str:
    """JSON text of tool arguments (orjson: the stdlib's encoder was a tenth of scoring)."""
    try:
        return orjson.dumps(
            value, default=str, option=orjson.OPT_SORT_KEYS if sort_keys else 0
        ).decode()
    except TypeError:  # what orjson refuses (an int past 64 bits, a non-str key)
        return json.dumps(value, sort_keys=sort_keys, default=str, ensure_ascii=False)


def call_key(step: Step) -> str:
    """Tool and arguments as one comparable string."""
    return step.call.tool + arguments_json(step.call.arguments, sort_keys=True)
