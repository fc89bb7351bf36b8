"""Re-execution does not score the episode at its end: every caller scores it itself."""

from __future__ import annotations

from pathlib import Path

from recorder.rerun import rerun
from recorder.runner import solve
from recorder.storage import load_trajectory
from scenarios import env_for, load_bundled, score_episode


def test_an_env_can_skip_the_terminal_reward() -> None:
    scenario = load_bundled("expense-total")
    calls = scenario.solutions[next(iter(scenario.solutions))]
    scored, unscored = env_for(scenario), env_for(scenario, score_at_end=False)
    for env in (scored, unscored):
        env.reset()
        for call in calls:
            _, reward, terminated, _, info = env.step(call)
        assert terminated
        if env is scored:
            assert reward == 1.0 and info["score"] == 1.0
        else:
            assert reward == 0.0 and "score" not in info


def test_a_rerun_still_scores_like_the_recording(tmp_path: Path) -> None:
    scenario = load_bundled("expense-total")
    name = next(iter(scenario.solutions))
    trajectory = load_trajectory(solve(scenario, name, out=tmp_path / "t.jsonl").path)
    with rerun(trajectory) as result:
        assert not result.divergences
        assert score_episode(result.scenario, result.episode).overall == trajectory.end.score
