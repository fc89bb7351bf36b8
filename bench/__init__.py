"""The environment's own cost, measured as ratios in one run (``python -m bench``)."""
