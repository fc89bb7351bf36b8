"""The simulated user an actor can ask (``ask_user``): a persona with scripted answers matched by
topic, revealing facts only when asked about them. Deterministic: the same question gets the same
answer every run. (An LLM-backed user could implement the same ``answer`` method; none is
needed by the bundled scenarios or the tests.)"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_REPLY = "I don't know, use your judgement."


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keywords: list[str] = Field(
        default_factory=list,
        description="Answer when the question mentions all of these (case-insensitive).",
    )
    pattern: str | None = Field(default=None, description="Or when this regex matches.")
    reply: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as error:
                raise ValueError(f"invalid regular expression {value!r}: {error}") from None
        return value

    def matches(self, question: str) -> bool:
        lowered = question.lower()
        if self.pattern is not None and re.search(self.pattern, question, re.IGNORECASE):
            return True
        return bool(self.keywords) and all(word.lower() in lowered for word in self.keywords)


class SimulatedUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = "the user"
    persona: str = Field(default="", description="Who the user is (shown with each answer).")
    answers: list[Answer] = Field(default_factory=list, description="Tried in order.")
    default: str = DEFAULT_REPLY

    def answer(self, question: str) -> str:
        for candidate in self.answers:
            if candidate.matches(question):
                return candidate.reply
        return self.default
