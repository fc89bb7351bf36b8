"""The workbench app (Starlette): a task queue, an acting page whose forms come from the tools'
JSON Schemas, and a review page that labels steps and approves or rejects recordings.

Trajectories are the same JSONL files everything else reads, under ``data/<annotator>/``;
sessions live in memory (a restart keeps the recordings, not the open episodes). Every piece of
tool output is untrusted and rendered through autoescaped templates.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from recorder.annotate import annotate, latest_annotations, review
from recorder.audit import audit, cohen_kappa
from recorder.branch import branch
from recorder.recorder import Recorder
from recorder.rerun import rerun
from recorder.stats import trajectory_files
from recorder.storage import load_trajectory
from sandbox.errors import SandboxError
from sandbox.types import ToolCall
from sandbox.web.forms import FormError, arguments_from, fields_for
from sandbox.web.queue import Queue
from sandbox.web.security import SameOriginOnly, SecurityHeaders
from scenarios import env_for, score_episode
from scenarios.library import bundled_ids, load_bundled
from scenarios.schema import Scenario

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("sandbox.web", "templates"), autoescape=True
)


@dataclass
class Session:
    scenario: Scenario
    annotator: str
    recorder: Recorder
    path: Path
    score: float | None = None
    task_id: int | None = None

    @property
    def steps(self) -> int:
        episode = self.recorder.tool_env.episode
        return len(episode.steps) if episode else 0


class Workbench:
    def __init__(self, data: Path, *, require_thought: bool = True) -> None:
        self.data = data
        self.require_thought = require_thought
        self.sessions: dict[str, Session] = {}
        self._ids = itertools.count(1)
        self.queue = Queue(data)

    # ---- helpers ---------------------------------------------------------------------------

    def page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        body = TEMPLATES.get_template(template).render(**context)
        return HTMLResponse(body, status_code=status)

    def resolve(self, relative: str) -> Path:
        """A recording under the data folder (never outside it)."""
        path = (self.data / relative).resolve()
        if self.data.resolve() not in path.parents or not path.is_file():
            raise SandboxError(f"no recording {relative!r} in {self.data}")
        return path

    # ---- routes ----------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        scenarios = [load_bundled(i) for i in bundled_ids()]
        assignee = request.query_params.get("assignee") or None
        return self.page(
            "queue.html",
            scenarios=scenarios,
            annotator=assignee or "",
            tasks=self.queue.tasks(assignee),
            progress=self.queue.progress(),
            sessions=list(self.sessions.items()),
            flash=request.query_params.get("flash"),
        )

    async def add_task(self, request: Request) -> Response:
        form = await request.form()
        assignee = _name(str(form.get("assignee", "")))
        scenario_id = str(form.get("scenario_id", ""))
        seed_text = str(form.get("seed", "")).strip()
        if not assignee or scenario_id not in bundled_ids():
            return RedirectResponse("/?flash=Choose+a+scenario+and+an+assignee", status_code=303)
        self.queue.add(scenario_id, assignee, int(seed_text) if seed_text else None)
        return RedirectResponse(f"/?assignee={quote(assignee)}", status_code=303)

    async def start_task(self, request: Request) -> Response:
        task = self.queue.get(int(request.path_params["task_id"]))
        if task is None or task.status == "done":
            return RedirectResponse("/?flash=No+such+open+task", status_code=303)
        for sid, session in self.sessions.items():
            if session.task_id == task.id:
                return RedirectResponse(f"/sessions/{sid}", status_code=303)
        sid = self._open(load_bundled(task.scenario_id), task.assignee, task.seed, task.id)
        relative = str(self.sessions[sid].path.relative_to(self.data))
        self.queue.update(task.id, status="in_progress", trajectory=relative)
        return RedirectResponse(f"/sessions/{sid}", status_code=303)

    def _open(
        self, scenario: Scenario, annotator: str, seed: int | None, task_id: int | None = None
    ) -> str:
        sid = str(next(self._ids))
        path = self.data / annotator / f"{scenario.id}-{sid}.jsonl"
        recorder = Recorder(env_for(scenario), path, actor=f"human:{annotator}")
        recorder.reset(seed=seed)
        self.sessions[sid] = Session(
            scenario, annotator, recorder, recorder.paths[-1], task_id=task_id
        )
        return sid

    async def start(self, request: Request) -> Response:
        form = await request.form()
        scenario = load_bundled(str(form.get("scenario_id", "")))
        annotator = _name(str(form.get("annotator", "")))
        if not annotator:
            return RedirectResponse("/?flash=Give+your+name+first", status_code=303)
        seed_text = str(form.get("seed", "")).strip()
        sid = self._open(scenario, annotator, int(seed_text) if seed_text else None)
        return RedirectResponse(f"/sessions/{sid}", status_code=303)

    async def act(self, request: Request) -> Response:
        sid = request.path_params["sid"]
        session = self.sessions.get(sid)
        if session is None:
            return self.page("layout.html", status=404, flash=f"No session {sid}")
        env = session.recorder.tool_env
        tool_name = request.query_params.get("tool")
        tool = env.toolset.get(tool_name) if tool_name else None
        episode = env.episode
        assert episode is not None
        return self.page(
            "act.html",
            sid=sid,
            session=session,
            steps=episode.steps,
            tools=list(env.toolset),
            tool=tool,
            fields=fields_for(tool.input_schema) if tool else [],
            done=session.score is not None,
            score=session.score or 0.0,
            relpath=str(session.path.relative_to(self.data)),
            require_thought=self.require_thought,
            page_html=_last_page(env),
            flash=request.query_params.get("flash"),
        )

    async def step(self, request: Request) -> Response:
        sid = request.path_params["sid"]
        session = self.sessions.get(sid)
        if session is None or session.score is not None:
            return RedirectResponse("/", status_code=303)
        form = {key: str(value) for key, value in (await request.form()).items()}
        tool_name = form.pop("tool", "")
        thought = form.pop("thought", "").strip()
        active = form.get("active_ms", "")
        back = f"/sessions/{sid}?tool={quote(tool_name)}"
        if self.require_thought and not thought:
            return RedirectResponse(f"{back}&flash=Write+your+reasoning+first", status_code=303)
        raw = form.pop("raw_json", "").strip()
        form.pop("active_ms", None)
        tool = session.recorder.tool_env.toolset.get(tool_name)
        try:
            if raw:
                arguments = json.loads(raw)
            elif tool is not None:
                arguments = arguments_from(form, fields_for(tool.input_schema))
            else:
                arguments = {}
        except (ValueError, FormError) as error:
            return RedirectResponse(f"{back}&flash={quote(str(error))}", status_code=303)
        call = ToolCall(
            tool=tool_name or "unknown",
            arguments=arguments if isinstance(arguments, dict) else {"raw": arguments},
            thought=thought or None,
        )
        try:
            session.recorder.active_ms = float(active) if active else None
        except ValueError:
            session.recorder.active_ms = None
        _, reward, terminated, truncated, _ = session.recorder.step(call)
        if terminated or truncated:
            session.score = reward
            if session.task_id is not None:
                relative = str(session.path.relative_to(self.data))
                self.queue.update(session.task_id, status="done", trajectory=relative)
        return RedirectResponse(back, status_code=303)

    async def undo(self, request: Request) -> Response:
        """Undo the last step by branching: a new recording holding all but the last step
        (re-executed), its parent named in the header; the old file stays as it was."""
        sid = request.path_params["sid"]
        session = self.sessions.get(sid)
        if session is None or session.score is not None or session.steps == 0:
            return RedirectResponse(f"/sessions/{sid}", status_code=303)
        session.recorder.close()  # the old recording ends here ("abandoned"), kept as provenance
        parent = load_trajectory(session.path)
        out = session.path.with_name(f"{session.path.stem}-undo{len(parent.steps)}.jsonl")
        session.recorder = branch(parent, len(parent.steps) - 1, out)
        session.path = session.recorder.paths[-1]
        return RedirectResponse(f"/sessions/{sid}?flash=Last+step+undone", status_code=303)

    async def label(self, request: Request) -> Response:
        """The annotator's label for what the environment answered to their last call."""
        sid = request.path_params["sid"]
        session = self.sessions.get(sid)
        form = await request.form()
        if session is None or session.steps == 0:
            return RedirectResponse(f"/sessions/{sid}", status_code=303)
        annotate(
            session.path,
            step=session.steps - 1,
            label=str(form.get("label", "")) or None,
            annotator=session.annotator,
            comment=str(form.get("comment", "")) or None,
        )
        return RedirectResponse(f"/sessions/{sid}?flash=Labelled", status_code=303)

    async def recordings(self, request: Request) -> Response:
        rows = []
        for path in trajectory_files([self.data]) if self.data.exists() else []:
            trajectory = load_trajectory(path)
            rows.append(
                {
                    "path": str(path.relative_to(self.data)),
                    "scenario": trajectory.header.scenario_id,
                    "actor": trajectory.header.actor,
                    "steps": len(trajectory.steps),
                    "score": f"{trajectory.end.score:.2f}" if trajectory.end else "-",
                    "status": trajectory.status,
                }
            )
        return self.page("recordings.html", rows=rows, flash=request.query_params.get("flash"))

    async def review_page(self, request: Request) -> Response:
        relative = request.query_params.get("path", "")
        try:
            path = self.resolve(relative)
        except SandboxError as error:
            return self.page("layout.html", status=404, flash=str(error))
        trajectory = load_trajectory(path)
        report = None
        if trajectory.steps:
            with rerun(trajectory) as result:
                report = score_episode(result.scenario, result.episode)
        labels = {step: a.label for (_, step), a in latest_annotations(trajectory).items()}
        report_audit = audit([trajectory]) if trajectory.annotations else None
        agreement = report_audit.overall if report_audit else None
        annotators = report_audit.annotators if report_audit else []
        return self.page(
            "review.html",
            trajectory=trajectory,
            path=relative,
            report=report,
            labels=labels,
            agreement=agreement,
            annotators=annotators,
            between=_between_annotators(trajectory),
            flash=request.query_params.get("flash"),
        )

    async def annotate_step(self, request: Request) -> Response:
        form = await request.form()
        relative = str(form.get("path", ""))
        back = f"/review?path={quote(relative)}"
        try:
            annotate(
                self.resolve(relative),
                step=int(str(form.get("step", "-1"))),
                label=str(form.get("label")) or None,
                annotator=_name(str(form.get("annotator", ""))) or "reviewer",
                comment=str(form.get("comment", "")) or None,
            )
        except (SandboxError, ValueError) as error:
            return RedirectResponse(f"{back}&flash={quote(str(error))}", status_code=303)
        return RedirectResponse(back, status_code=303)

    async def verdict(self, request: Request) -> Response:
        form = await request.form()
        relative = str(form.get("path", ""))
        back = f"/review?path={quote(relative)}"
        try:
            review(
                self.resolve(relative),
                approve=form.get("verdict") == "approve",
                reason=str(form.get("reason", "")),
                reviewer=str(form.get("reviewer", "")),
            )
        except SandboxError as error:
            return RedirectResponse(f"{back}&flash={quote(str(error))}", status_code=303)
        return RedirectResponse(f"{back}&flash=Saved", status_code=303)


def _between_annotators(trajectory: Any) -> list[tuple[str, str, int, float | None]]:
    """For each pair of annotators, the steps both labelled and Cohen's kappa between them."""
    latest = latest_annotations(trajectory)
    by_person: dict[str, dict[int, str]] = {}
    for (person, step), note in latest.items():
        if note.label:
            by_person.setdefault(person, {})[step] = note.label
    rows = []
    for first, second in itertools.combinations(sorted(by_person), 2):
        shared = sorted(by_person[first].keys() & by_person[second].keys())
        pairs = [(by_person[first][s], by_person[second][s]) for s in shared]
        if pairs:
            rows.append((first, second, len(pairs), cohen_kappa(pairs)))
    return rows


def _last_page(env: Any) -> str | None:
    """The HTML of the page the browser shows, when the last step was a browser action."""
    episode, world = env.episode, env.world
    if not episode or not episode.steps or world is None or world.browser.page is None:
        return None
    return world.browser.page.html if episode.steps[-1].call.tool.startswith("browser_") else None


def _name(text: str) -> str:
    """A safe folder name for an annotator."""
    return "".join(c for c in text if c.isalnum() or c in "-_.").strip(".")


def create_app(data: Path, *, require_thought: bool = True) -> Starlette:
    bench = Workbench(data, require_thought=require_thought)
    return Starlette(
        middleware=[Middleware(SecurityHeaders), Middleware(SameOriginOnly)],
        routes=[
            Route("/", bench.home),
            Route("/tasks", bench.add_task, methods=["POST"]),
            Route("/tasks/{task_id:int}/start", bench.start_task, methods=["POST"]),
            Route("/sessions", bench.start, methods=["POST"]),
            Route("/sessions/{sid}", bench.act),
            Route("/sessions/{sid}/step", bench.step, methods=["POST"]),
            Route("/sessions/{sid}/undo", bench.undo, methods=["POST"]),
            Route("/sessions/{sid}/label", bench.label, methods=["POST"]),
            Route("/recordings", bench.recordings),
            Route("/review", bench.review_page),
            Route("/review/annotate", bench.annotate_step, methods=["POST"]),
            Route("/review/verdict", bench.verdict, methods=["POST"]),
            Mount("/static", StaticFiles(packages=[("sandbox.web", "static")]), name="static"),
        ],
    )
