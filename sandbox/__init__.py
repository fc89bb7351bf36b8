"""agent-sandbox core: the simulated world and the Gymnasium environment over it."""

from sandbox.env import Episode, Task, ToolEnv
from sandbox.errors import ActionError, FsError, SandboxError, ScenarioError, ToolError
from sandbox.registration import register_bundled
from sandbox.tool import Tool, ToolResult, Toolset, tool
from sandbox.types import Change, ErrorInfo, Feedback, Step, ToolCall
from sandbox.world import World, diff

__version__ = "0.1.0"

__all__ = [
    "ActionError",
    "Change",
    "Episode",
    "ErrorInfo",
    "Feedback",
    "FsError",
    "SandboxError",
    "ScenarioError",
    "Step",
    "Task",
    "Tool",
    "ToolCall",
    "ToolEnv",
    "ToolError",
    "ToolResult",
    "Toolset",
    "World",
    "__version__",
    "diff",
    "tool",
]

register_bundled()
