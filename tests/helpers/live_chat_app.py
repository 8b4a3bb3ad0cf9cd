"""A chat app on the seed's own SQLiteRepo (tests/seed, unchanged): connection per call, MAX(seq)+1
outside a transaction, its own compaction. It streams replies into several conversations for SECONDS,
compacts most of them right away and leaves some pending (as a crashed or slow app does).

  python3 live_chat_app.py DB SECONDS

Prints one JSON object: the ids it wrote, the ids its own compaction removed, every exception.
"""
import asyncio
import json
import os
import random
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "seed"))

from seed.models import ChatEvent  # noqa: E402
from seed.sqlite_repo import SQLiteRepo  # noqa: E402


async def main(db_path, seconds):
    repo = SQLiteRepo(db_path)
    wrote, removed, errors, pending = [], [], [], []
    conversations = ["live-%d" % i for i in range(4)]
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
        conversation = random.choice(conversations)
        urid = "u%d" % n
        try:
            question = ChatEvent(conversation_id=conversation, type="user_message", role="user",
                                 content="question %d" % n, extra={"request_id": urid})
            if await repo.add_event(question):
                wrote.append(question.id)
            chunks = []
            for k in range(random.randint(2, 6)):
                chunk = ChatEvent(conversation_id=conversation, type="meta", role="assistant",
                                  content="part %d.%d " % (n, k), model="gpt-live",
                                  extra={"kind": "assistant_delta", "user_request_id": urid})
                await repo.add_event(chunk)
                wrote.append(chunk.id)
                chunks.append(chunk)
                time.sleep(random.uniform(0.002, 0.02))
            if random.random() < 0.7:
                # The viewer never compacts a reply this young, so the reply is the app's to finish.
                reply = await repo.compact_deltas(conversation, urid, "".join(c.content for c in chunks), "gpt-live")
                wrote.append(reply.id)
                removed.extend(c.id for c in chunks)
            else:
                pending.append(urid)
        except Exception:  # noqa: BLE001 - every exception is the finding
            errors.append(traceback.format_exc())
        time.sleep(random.uniform(0.005, 0.03))
    print(json.dumps({"wrote": wrote, "removed": removed, "errors": errors, "pending": pending}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2])))
