"""Training-data exports of recorded trajectories, one module per format.

Each format puts the actor's calls and the observations where that format keeps them, the
actor's reasoning where it keeps reasoning, and the ground truth (per-step feedback, injected
faults, annotations, score) in ``metadata`` — never into what a model is trained to predict.
"""

from recorder.export.formats import FORMATS, export_trajectory

__all__ = ["FORMATS", "export_trajectory"]
