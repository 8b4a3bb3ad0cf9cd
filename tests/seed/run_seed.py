"""Runs the seed's SQLiteRepo (unchanged) on a file, for tests that compare it with ours.

  python3 run_seed.py call DB METHOD < args.json   await repo.METHOD(*args), printed as JSON
  python3 run_seed.py add DB < events.json         add_event for each event, printed as a list of bools
  python3 run_seed.py dump DB                      every conversation's events and model history
"""
import asyncio
import json
import os
import sys
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from seed.models import ChatEvent, ToolCall  # noqa: E402
from seed.sqlite_repo import SQLiteRepo  # noqa: E402


def to_json(value):
    if isinstance(value, ChatEvent):
        return {
            "id": value.id,
            "conversation_id": value.conversation_id,
            "seq": value.seq,
            "schema_version": value.schema_version,
            "type": value.type,
            "role": value.role,
            "content": value.content,
            "tool_calls": [tc.model_dump() for tc in value.tool_calls],
            "provider": value.provider,
            "model": value.model,
            "stop_reason": value.stop_reason,
            "created_at": value.created_at.isoformat(),
            "extra": value.extra,
            "raw": value.raw,
        }
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def from_json(data):
    data = dict(data)
    if "created_at" in data:
        data["created_at"] = datetime.fromisoformat(data["created_at"])
    data["tool_calls"] = [ToolCall(**tc) for tc in data.get("tool_calls") or []]
    return ChatEvent(**data)


async def main(command, db_path, *rest):
    repo = SQLiteRepo(db_path)
    if command == "add":
        return [await repo.add_event(from_json(e)) for e in json.load(sys.stdin)]
    if command == "dump":
        conversations = await repo.list_conversations()
        return {
            "conversations": conversations,
            "events": {c: to_json(await repo.get_events(c)) for c in conversations},
            "history": {c: to_json(await repo.get_conversation_history(c)) for c in conversations},
        }
    if command == "call":
        (method,) = rest
        return to_json(await getattr(repo, method)(*json.load(sys.stdin)))
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(*sys.argv[1:]))))
