"""The optional LLM user: off unless SANDBOX_LLM_USER is set; answers in persona from the
scripted facts (a fake client here — tests never reach a model)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sandbox.llm_user import ENV_MODEL, LLMUser, user_for
from sandbox.user import Answer, SimulatedUser

SCRIPTED = SimulatedUser(
    name="Maja",
    persona="The finance controller.",
    answers=[Answer(keywords=["alex"], reply="Alex Kim in finance.")],
)


class FakeClient:
    def __init__(self, reply: str) -> None:
        self.calls: list[dict] = []
        self.reply = reply
        self.chat = SimpleNamespace(completions=SimpleNamespace(create=self.create))

    def create(self, **kwargs):
        self.calls.append(kwargs)
        message = SimpleNamespace(content=self.reply)
        return SimpleNamespace(choices=[SimpleNamespace(message=message)])


def test_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_MODEL, raising=False)
    assert user_for(SCRIPTED) is SCRIPTED
    assert user_for(None) is None


def test_answers_in_persona_from_the_scripted_facts() -> None:
    client = FakeClient("Alex Kim, the one in finance.")
    user = LLMUser(SCRIPTED, "some-model", client)
    assert user.answer("Which Alex?") == "Alex Kim, the one in finance."
    call = client.calls[0]
    assert call["model"] == "some-model" and call["temperature"] == 0
    system = call["messages"][0]["content"]
    assert "Maja" in system and "Alex Kim in finance." in system and SCRIPTED.default in system
    assert LLMUser(SCRIPTED, "m", FakeClient("")).answer("?") == SCRIPTED.default
