"""Assistant threads (the AI-app side panel) in the stand-in, as Slack documents them.

A person opens the panel: Slack adds a thread root to the bot's DM with them (a message of
subtype ``assistant_app_thread``, written as theirs) and sends ``assistant_thread_started``
(see ``SlackStandIn.start_assistant_thread``). In that thread the app may set suggested prompts
(``assistant.threads.setSuggestedPrompts``: up to four ``{title, message}``), a status line
(``assistant.threads.setStatus``; an empty status clears it, as does the app's next reply in
the thread) and a title (``assistant.threads.setTitle``). Each needs ``assistant:write`` or,
as Slack accepts for now, ``chat:write``; an unknown channel answers ``channel_not_found``
and a ts that is no assistant thread there ``invalid_thread_ts``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from bot.standin.apicommon import ApiError, Args
from bot.standin.store import Workspace

SCOPES = frozenset({"assistant:write", "chat:write"})
"""Either grants the assistant methods."""
MAX_PROMPTS = 4


def _json_list(raw: Any) -> Any:
    # Form-encoded calls send arrays as JSON text.
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            raise ApiError("invalid_arguments") from None
    return raw


class AssistantThreads:
    """``assistant.threads.*``; mixed into ``WebApi``."""

    workspace: Workspace

    def _thread(self, args: Args) -> dict[str, Any]:
        channel = str(args.get("channel_id") or "")
        if not channel or channel not in self.workspace.channels:
            raise ApiError("channel_not_found")
        thread = self.workspace.assistant_threads.get((channel, str(args.get("thread_ts") or "")))
        if thread is None:
            raise ApiError("invalid_thread_ts")
        return thread

    def assistant_set_suggested_prompts(self, args: Args) -> dict[str, Any]:
        prompts = _json_list(args.get("prompts"))
        if (
            not isinstance(prompts, list)
            or not 1 <= len(prompts) <= MAX_PROMPTS
            or not all(
                isinstance(p, dict)
                and isinstance(p.get("title"), str)
                and isinstance(p.get("message"), str)
                and p["title"]
                and p["message"]
                for p in prompts
            )
        ):
            raise ApiError("invalid_arguments")
        with self.workspace.lock:
            thread = self._thread(args)
            thread["prompts"] = copy.deepcopy(prompts)
            if args.get("title") is not None:
                thread["prompts_title"] = str(args["title"])
            self._changed(thread)
        return {"ok": True}

    def assistant_set_status(self, args: Args) -> dict[str, Any]:
        if "status" not in args or not isinstance(args["status"], str):
            raise ApiError("invalid_arguments")
        with self.workspace.lock:
            thread = self._thread(args)
            thread["status"] = args["status"]
            self._changed(thread)
        return {"ok": True}

    def assistant_set_title(self, args: Args) -> dict[str, Any]:
        title = args.get("title")
        if not isinstance(title, str) or not title:
            raise ApiError("invalid_arguments")
        with self.workspace.lock:
            thread = self._thread(args)
            thread["title"] = title
            self._changed(thread)
        return {"ok": True}

    def _changed(self, thread: dict[str, Any]) -> None:
        self.workspace.emit({"kind": "assistant_thread", "thread": copy.deepcopy(thread)})
