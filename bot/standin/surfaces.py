"""Modals, App Home tabs and file uploads of the stand-in's Web API."""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Callable
from typing import Any

from bot.standin.apicommon import (
    MAX_BLOCKS_VIEW,
    TRIGGER_LIFETIME_SECONDS,
    ApiError,
    Args,
    check_blocks,
    require,
)
from bot.standin.ids import random_id
from bot.standin.payloads import BOT_ID, BOT_USER_ID
from bot.standin.store import StoredMessage, Workspace


class ViewsAndFiles:
    """``views.*`` and ``files.*`` methods; mixed into ``WebApi``."""

    workspace: Workspace
    team_id: str
    triggers: dict[str, dict[str, Any]]
    upload_base: Callable[[], str]

    def _channel(self, args: Args, name: str = "channel") -> str:
        """Resolve a channel argument; ``WebApi`` provides it."""
        raise NotImplementedError

    def register_trigger(self, trigger_id: str, user_id: str) -> None:
        """Tie a ``trigger_id`` to the user whose click made it, so a modal knows its owner."""
        self.triggers[trigger_id] = {"user": user_id, "at": time.monotonic(), "used": False}

    def _use_trigger(self, args: Args) -> str | None:
        trigger_id = str(require(args, "trigger_id", "invalid_trigger_id"))
        known = self.triggers.get(trigger_id)
        if known is None:
            return None
        if known["used"] or time.monotonic() - known["at"] > TRIGGER_LIFETIME_SECONDS:
            raise ApiError("expired_trigger_id")
        known["used"] = True
        return str(known["user"])

    def _shape_view(self, view: Any, *, view_id: str | None = None) -> dict[str, Any]:
        if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
            raise ApiError("invalid_arguments")
        limit = MAX_BLOCKS_VIEW
        shaped = copy.deepcopy(view)
        shaped["blocks"] = check_blocks(view.get("blocks", []), limit)
        if len(str(view.get("private_metadata", ""))) > 3000:
            raise ApiError("invalid_arguments")
        shaped.update(
            id=view_id or random_id("V", 10),
            team_id=self.team_id,
            state={"values": {}},
            hash=uuid.uuid4().hex[:16],
            app_id="A0001",
            bot_id=BOT_ID,
        )
        shaped.setdefault("private_metadata", "")
        shaped.setdefault("callback_id", "")
        return shaped

    def views_open(self, args: Args) -> dict[str, Any]:
        user = self._use_trigger(args)
        view = self._shape_view(args.get("view"))
        view["root_view_id"] = view["id"]
        view["previous_view_id"] = None
        self.workspace.views[view["id"]] = {"view": view, "user": user, "open": True}
        self.workspace.emit({"kind": "view_opened", "view": copy.deepcopy(view), "user": user})
        return {"ok": True, "view": view}

    def views_push(self, args: Args) -> dict[str, Any]:
        user = self._use_trigger(args)
        view = self._shape_view(args.get("view"))
        view["root_view_id"] = view["id"]
        self.workspace.views[view["id"]] = {"view": view, "user": user, "open": True}
        self.workspace.emit({"kind": "view_pushed", "view": copy.deepcopy(view), "user": user})
        return {"ok": True, "view": view}

    def views_update(self, args: Args) -> dict[str, Any]:
        view_id = args.get("view_id")
        if not view_id and args.get("external_id"):
            matches = [
                k
                for k, v in self.workspace.views.items()
                if v["view"].get("external_id") == args["external_id"]
            ]
            view_id = matches[0] if matches else None
        known = self.workspace.views.get(str(view_id or ""))
        if known is None:
            raise ApiError("not_found")
        view = self._shape_view(args.get("view"), view_id=str(view_id))
        view["root_view_id"] = known["view"].get("root_view_id", view_id)
        known["view"] = view
        self.workspace.emit(
            {"kind": "view_updated", "view": copy.deepcopy(view), "user": known["user"]}
        )
        return {"ok": True, "view": view}

    def views_publish(self, args: Args) -> dict[str, Any]:
        user = str(require(args, "user_id", "invalid_arguments"))
        previous = self.workspace.homes.get(user)
        view = self._shape_view(args.get("view"), view_id=previous["id"] if previous else None)
        if view.get("type") != "home":
            raise ApiError("invalid_arguments")
        self.workspace.homes[user] = view
        self.workspace.emit({"kind": "home", "user": user, "view": copy.deepcopy(view)})
        return {"ok": True, "view": view}

    def files_get_upload_url(self, args: Args) -> dict[str, Any]:
        filename = str(require(args, "filename", "invalid_arguments"))
        length = int(require(args, "length", "invalid_arguments"))
        file_id = random_id("F", 10)
        self.workspace.files[file_id] = {
            "id": file_id,
            "name": filename,
            "length": length,
            "data": None,
            "completed": False,
        }
        return {"ok": True, "upload_url": f"{self.upload_base()}/{file_id}", "file_id": file_id}

    def store_upload(self, file_id: str, data: bytes) -> bool:
        """Keep the bytes sent to an upload URL; False when the URL was never handed out."""
        record = self.workspace.files.get(file_id)
        if record is None:
            return False
        record["data"] = data
        return True

    def files_complete_upload(self, args: Args) -> dict[str, Any]:
        entries = args.get("files")
        if not isinstance(entries, list) or not entries:
            raise ApiError("invalid_arguments")
        shared: list[dict[str, Any]] = []
        for entry in entries:
            record = self.workspace.files.get(str(entry.get("id")))
            if record is None or record["data"] is None:
                raise ApiError("file_not_found")
            record.update(completed=True, title=entry.get("title") or record["name"])
            shared.append(
                {
                    "id": record["id"],
                    "name": record["name"],
                    "title": record["title"],
                    "size": len(record["data"]),
                }
            )
        channel = args.get("channel_id")
        if channel:
            channel = self._channel(args, "channel_id")
            thread_ts = args.get("thread_ts") or None
            message = StoredMessage(
                channel=channel,
                ts=self.workspace.clock.next(),
                text=str(args.get("initial_comment") or ""),
                user=BOT_USER_ID,
                bot_id=BOT_ID,
                thread_ts=str(thread_ts) if thread_ts else None,
                files=shared,
            )
            self.workspace.add_message(message)
        self.workspace.emit({"kind": "files", "files": copy.deepcopy(shared), "channel": channel})
        return {"ok": True, "files": shared}
