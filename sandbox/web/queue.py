"""The workbench's task queue: scenario, seed and assignee, with progress — a small SQLite index
beside the JSONL recordings (the recordings stay the source of truth; the index only says who
does what and where their recording is)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
create table if not exists tasks (
    id integer primary key,
    scenario_id text not null,
    seed integer,
    assignee text not null,
    status text not null default 'todo',        -- todo, in_progress, done
    trajectory text                               -- path relative to the data folder
);
"""


@dataclass(frozen=True)
class Task:
    id: int
    scenario_id: str
    seed: int | None
    assignee: str
    status: str
    trajectory: str | None


class Queue:
    def __init__(self, data: Path) -> None:
        data.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(data / "queue.sqlite", check_same_thread=False)
        self._db.executescript(SCHEMA)

    def add(self, scenario_id: str, assignee: str, seed: int | None = None) -> Task:
        cursor = self._db.execute(
            "insert into tasks (scenario_id, seed, assignee) values (?, ?, ?)",
            (scenario_id, seed, assignee),
        )
        self._db.commit()
        task = self.get(int(cursor.lastrowid or 0))
        assert task is not None
        return task

    def get(self, task_id: int) -> Task | None:
        row = self._db.execute(
            "select id, scenario_id, seed, assignee, status, trajectory from tasks where id = ?",
            (task_id,),
        ).fetchone()
        return Task(*row) if row else None

    def tasks(self, assignee: str | None = None) -> list[Task]:
        query = "select id, scenario_id, seed, assignee, status, trajectory from tasks"
        rows = (
            self._db.execute(query + " where assignee = ? order by id", (assignee,))
            if assignee
            else self._db.execute(query + " order by id")
        ).fetchall()
        return [Task(*row) for row in rows]

    def update(self, task_id: int, *, status: str, trajectory: str | None = None) -> None:
        self._db.execute(
            "update tasks set status = ?, trajectory = coalesce(?, trajectory) where id = ?",
            (status, trajectory, task_id),
        )
        self._db.commit()

    def progress(self) -> dict[str, int]:
        rows = self._db.execute("select status, count(*) from tasks group by status").fetchall()
        return {status: count for status, count in rows}

    def close(self) -> None:
        self._db.close()
