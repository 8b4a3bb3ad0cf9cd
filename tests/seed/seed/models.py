"""Stand-ins for the seed's ChatEvent / ToolCall models, as described in shared/seed/README.md.

Plain dataclasses so the tests need nothing beyond Python's standard library.
"""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any


@dataclass
class ToolFunction:
    name: str
    arguments: str


@dataclass
class ToolCall:
    id: str
    type: str
    function: Any

    def __post_init__(self):
        if isinstance(self.function, dict):
            self.function = ToolFunction(**self.function)

    def model_dump(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ChatEvent:
    conversation_id: str
    type: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    seq: int = 0
    schema_version: int = 1
    role: str | None = None
    content: Any = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    provider: str | None = None
    model: str | None = None
    stop_reason: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    extra: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] | None = None
