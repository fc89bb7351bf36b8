"""An LLM-backed simulated user (optional: ``pip install 'agent-sandbox[llm]'``; off by default).

Scripted answers make episodes replayable; an LLM user makes them varied. It answers in the
scenario user's persona, knowing only the facts its scripted answers hold, and falls back to
"I don't know, use your judgement". Turned on per run with ``SANDBOX_LLM_USER=<model>`` (an
OpenAI-compatible endpoint: ``OPENAI_BASE_URL``, ``OPENAI_API_KEY``). Recordings made with it do
not replay identically — the answers are the model's — so tests never use it.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

from sandbox.user import SimulatedUser

ENV_MODEL = "SANDBOX_LLM_USER"


class ChatClient(Protocol):
    """The part of an OpenAI-style client this needs (``client.chat.completions.create``)."""

    chat: Any


class LLMUser:
    def __init__(self, scripted: SimulatedUser, model: str, client: ChatClient) -> None:
        self.name = scripted.name
        self._scripted = scripted
        self._model = model
        self._client = client

    def _system(self) -> str:
        facts = "\n".join(f"- {answer.reply}" for answer in self._scripted.answers)
        return (
            f"You are {self._scripted.name}. {self._scripted.persona}\n"
            "Someone doing a task for you asks a question. Answer in one or two sentences, in "
            "character, using only these facts; if they do not cover the question, say "
            f"exactly: {self._scripted.default}\nFacts:\n{facts}"
        )

    def answer(self, question: str) -> str:
        response = self._client.chat.completions.create(
            model=self._model,
            temperature=0,
            messages=[
                {"role": "system", "content": self._system()},
                {"role": "user", "content": question},
            ],
        )
        text = (response.choices[0].message.content or "").strip()
        return text or self._scripted.default


def user_for(scripted: SimulatedUser | None) -> SimulatedUser | LLMUser | None:
    """The scripted user, or an LLM user when ``SANDBOX_LLM_USER`` names a model."""
    model = os.environ.get(ENV_MODEL)
    if scripted is None or not model:
        return scripted
    try:
        from openai import OpenAI
    except ImportError:
        raise RuntimeError(
            f"{ENV_MODEL} is set but the openai package is missing: "
            "pip install 'agent-sandbox[llm]'"
        ) from None
    return LLMUser(scripted, model, OpenAI())
