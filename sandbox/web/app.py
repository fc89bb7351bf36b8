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
from starlette.middleware.trustedhost import TrustedHostMiddleware
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
from sandbox.types import Step, ToolCall
from sandbox.web import inputs
from sandbox.web.forms import FormError, arguments_from, fields_for, filled_fields
from sandbox.web.inputs import BadInput
from sandbox.web.queue import Queue
from sandbox.web.security import SameOriginOnly, SecurityHeaders
from scenarios import env_for, score_episode
from scenarios.library import bundled_ids, load_bundled
from scenarios.schema import Scenario

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("sandbox.web", "templates"), autoescape=True
)
# Arguments as people read them: real quotes, ampersands and angle brackets (autoescaped), not
# the \u0027 escapes of ``tojson``, which is meant for scripts.
TEMPLATES.filters["pretty"] = lambda value: json.dumps(value, ensure_ascii=False, indent=2)
TEMPLATES.filters["when"] = lambda iso: (iso or "")[:19].replace("T", " ") + (" UTC" if iso else "")
LOCAL_HOSTS = ("127.0.0.1", "localhost")


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
        return inputs.recording(self.data, relative)

    def refuse(self, error: BadInput) -> HTMLResponse:
        return self.page("layout.html", status=error.status, flash=str(error))

    def review_states(self) -> dict[int, tuple[str, str]]:
        """Per finished task: its recording's review status and the latest verdict's reason."""
        states = {}
        for task in self.queue.tasks():
            if task.status != "done" or not task.trajectory:
                continue
            try:
                trajectory = load_trajectory(self.resolve(task.trajectory))
            except (BadInput, SandboxError):
                states[task.id] = ("missing", "")
                continue
            last = trajectory.reviews[-1] if trajectory.reviews else None
            states[task.id] = (trajectory.status, last.reason if last else "")
        return states

    # ---- routes ----------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        scenarios = [load_bundled(i) for i in bundled_ids()]
        assignee = request.query_params.get("assignee") or None
        return self.page(
            "queue.html",
            scenarios=scenarios,
            annotator=assignee or "",
            tasks=self.queue.tasks(assignee),
            reviews=self.review_states(),
            progress=self.queue.progress(),
            sessions=list(self.sessions.items()),
            flash=request.query_params.get("flash"),
        )

    async def add_task(self, request: Request) -> Response:
        form = await request.form()
        assignee = _name(str(form.get("assignee", "")))
        try:
            scenario = inputs.scenario(str(form.get("scenario_id", "")))
            seed = inputs.seed(str(form.get("seed", "")))
            if not assignee:
                raise BadInput("no assignee: give the annotator's name (letters, digits, - _ .)")
        except BadInput as error:
            return self.refuse(error)
        self.queue.add(scenario.id, assignee, seed)
        return RedirectResponse(f"/?assignee={quote(assignee)}", status_code=303)

    async def reopen_task(self, request: Request) -> Response:
        """A rejected task goes back to the annotator's queue; the rejected recording stays."""
        task = self.queue.get(int(request.path_params["task_id"]))
        if task is None or task.status != "done":
            return self.refuse(BadInput("no finished task to reopen", status=404))
        self.queue.update(task.id, status="todo")
        flash = quote(f"Task {task.id} reopened: start it again")
        return RedirectResponse(f"/?assignee={quote(task.assignee)}&flash={flash}", status_code=303)

    async def start_task(self, request: Request) -> Response:
        task = self.queue.get(int(request.path_params["task_id"]))
        if task is None or task.status == "done":
            return RedirectResponse("/?flash=No+such+open+task", status_code=303)
        for sid, session in self.sessions.items():
            if session.task_id == task.id and session.score is None:
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
        annotator = _name(str(form.get("annotator", "")))
        if not annotator:
            return RedirectResponse("/?flash=Give+your+name+first", status_code=303)
        try:
            scenario = inputs.scenario(str(form.get("scenario_id", "")))
            seed = inputs.seed(str(form.get("seed", "")))
        except BadInput as error:
            return self.refuse(error)
        sid = self._open(scenario, annotator, seed)
        return RedirectResponse(f"/sessions/{sid}", status_code=303)

    async def act(self, request: Request) -> Response:
        sid = request.path_params["sid"]
        session = self.sessions.get(sid)
        if session is None:
            return self.page("layout.html", status=404, flash=f"No session {sid}")
        return self.act_page(
            sid, session, request.query_params.get("tool"), request.query_params.get("flash")
        )

    def act_page(
        self,
        sid: str,
        session: Session,
        tool_name: str | None,
        flash: str | None,
        values: dict[str, str] | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        """The acting page; after a refused step it shows what was typed (``values``) again."""
        env = session.recorder.tool_env
        tool = env.toolset.get(tool_name) if tool_name else None
        if tool_name and tool is None:  # typed part of a name: the one tool it names
            matches = [n for n in env.toolset if tool_name.strip().lower() in n.lower()]
            tool = env.toolset.get(matches[0]) if len(matches) == 1 else None
        if tool_name and tool is None:
            flash = f"No tool {tool_name!r} in this task: choose one from the list (Alt+T)"
        episode = env.episode
        assert episode is not None
        return self.page(
            "act.html",
            status=status,
            sid=sid,
            session=session,
            steps=episode.steps,
            tools=[(n, env.toolset[n].description.split("\n")[0]) for n in env.toolset],
            tool=tool,
            fields=fields_for(tool.input_schema) if tool else [],
            values=values or {},
            done=session.score is not None,
            score=session.score or 0.0,
            relpath=str(session.path.relative_to(self.data)),
            require_thought=self.require_thought,
            page_html=_last_page(env),
            flash=flash,
        )

    async def step(self, request: Request) -> Response:
        sid = request.path_params["sid"]
        session = self.sessions.get(sid)
        if session is None or session.score is not None:
            return RedirectResponse("/", status_code=303)
        form = {key: str(value) for key, value in (await request.form()).items()}
        typed = dict(form)
        tool_name = form.pop("tool", "")
        thought = form.pop("thought", "").strip()
        active = form.get("active_ms", "")
        back = f"/sessions/{sid}?tool={quote(tool_name)}"

        def refused(message: str) -> HTMLResponse:  # nothing typed is lost
            return self.act_page(sid, session, tool_name, message, values=typed, status=400)

        if self.require_thought and not thought:
            return refused("Write your reasoning first")
        raw = form.pop("raw_json", "").strip()
        form.pop("active_ms", None)
        tool = session.recorder.tool_env.toolset.get(tool_name)
        fields = fields_for(tool.input_schema) if tool is not None else []
        try:
            if raw and filled_fields(form, fields):
                names = ", ".join(filled_fields(form, fields))
                raise FormError(
                    f"Both the form ({names}) and the raw JSON are filled: clear one of them "
                    "so what runs is what you meant"
                )
            if raw:
                arguments = json.loads(raw)
            elif tool is not None:
                arguments = arguments_from(form, fields)
            else:
                arguments = {}
        except json.JSONDecodeError as error:
            return refused(f"raw JSON arguments: {error.msg} at character {error.pos}")
        except (ValueError, FormError) as error:
            return refused(str(error))
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
        tool = quote(str((await request.form()).get("tool", "")))
        return RedirectResponse(f"/sessions/{sid}?tool={tool}&flash=Last+step+undone", 303)

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
        tool = quote(str(form.get("tool", "")))
        return RedirectResponse(f"/sessions/{sid}?tool={tool}&flash=Labelled", status_code=303)

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
            trajectory = load_trajectory(self.resolve(relative))
        except BadInput as error:
            return self.refuse(error)
        except SandboxError as error:
            return self.refuse(BadInput(f"{relative!r} cannot be read as a recording: {error}"))
        report = None
        pages: dict[int, str] = {}

        def keep_page(step: Step, env: Any) -> None:
            page = env.world.browser.page if env.world is not None else None
            if step.call.tool.startswith("browser_") and page is not None:
                pages[step.index] = page.html

        if trajectory.steps:
            with rerun(trajectory, after_step=keep_page) as result:
                report = score_episode(result.scenario, result.episode)
        labels = {step: a.label for (_, step), a in latest_annotations(trajectory).items()}
        notes: dict[int, list[Any]] = {}
        for note in trajectory.annotations:
            notes.setdefault(note.step, []).append(note)
        report_audit = audit([trajectory]) if trajectory.annotations else None
        agreement = report_audit.overall if report_audit else None
        annotators = report_audit.annotators if report_audit else []
        return self.page(
            "review.html",
            trajectory=trajectory,
            path=relative,
            report=report,
            labels=labels,
            notes=notes,
            pages=pages,
            agreement=agreement,
            annotators=annotators,
            between=_between_annotators(trajectory),
            flash=request.query_params.get("flash"),
        )

    async def annotate_step(self, request: Request) -> Response:
        form = await request.form()
        relative = str(form.get("path", ""))
        back = f"/review?path={quote(relative)}"
        step = str(form.get("step", ""))
        label = str(form.get("label", "")).strip() or None  # no label: a comment on its own
        try:
            annotate(
                self.resolve(relative),
                step=int(step),
                label=label,
                annotator=_name(str(form.get("annotator", ""))) or "reviewer",
                comment=str(form.get("comment", "")).strip() or None,
            )
        except (SandboxError, ValueError) as error:
            return RedirectResponse(f"{back}&flash={quote(str(error))}", status_code=303)
        saved = f"Step {step} labelled {label}" if label else f"Comment on step {step} saved"
        return RedirectResponse(f"{back}&flash={quote(saved)}#step-{step}", status_code=303)

    async def verdict(self, request: Request) -> Response:
        form = await request.form()
        relative = str(form.get("path", ""))
        back = f"/review?path={quote(relative)}"
        verdict = str(form.get("verdict", ""))
        if verdict not in ("approve", "reject"):
            return self.refuse(BadInput(f"verdict must be approve or reject, not {verdict!r}"))
        try:
            review(
                self.resolve(relative),
                approve=verdict == "approve",
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


def create_app(
    data: Path,
    *,
    require_thought: bool = True,
    host: str = "127.0.0.1",
    allowed_hosts: tuple[str, ...] = (),
) -> Starlette:
    """The workbench app. Requests must name this machine (``127.0.0.1``, ``localhost``,
    ``host`` or one of ``allowed_hosts``) in their Host header: a page on another site whose
    name was rebound to 127.0.0.1 (DNS rebinding) is refused."""
    bench = Workbench(data, require_thought=require_thought)
    hosts = list(dict.fromkeys([*LOCAL_HOSTS, host, *allowed_hosts]))
    return Starlette(
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(TrustedHostMiddleware, allowed_hosts=hosts, www_redirect=False),
            Middleware(SameOriginOnly),
        ],
        routes=[
            Route("/", bench.home),
            Route("/tasks", bench.add_task, methods=["POST"]),
            Route("/tasks/{task_id:int}/start", bench.start_task, methods=["POST"]),
            Route("/tasks/{task_id:int}/reopen", bench.reopen_task, methods=["POST"]),
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
