"""Recording, storage and scripted runs of trajectories."""

from recorder.recorder import Recorder
from recorder.records import End, Header, StepRecord
from recorder.runner import RunResult, run_actions, solve
from recorder.storage import Trajectory, TrajectoryWriter, load_trajectory

__all__ = [
    "End",
    "Header",
    "Recorder",
    "RunResult",
    "StepRecord",
    "Trajectory",
    "TrajectoryWriter",
    "load_trajectory",
    "run_actions",
    "solve",
]
