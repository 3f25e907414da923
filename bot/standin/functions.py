"""Workflow Builder steps in the stand-in: the app's functions and their runs.

Slack runs a function (a custom step of the manifest's ``functions``) by sending
``function_executed`` with a ``function_execution_id`` and a ``bot_access_token`` that is good
while the run lasts. The run stays ``running`` until the app calls ``functions.completeSuccess``
with outputs that fit the function's ``output_parameters``, or ``functions.completeError``
with a message; either ends it, and a second call answers ``execution_not_in_running_state``.
"""

from __future__ import annotations

import copy
import json
import secrets
import time
from importlib import resources
from typing import Any

import yaml

from bot.standin import ids
from bot.standin.apicommon import ApiError, Args

RUNNING = "running"
COMPLETED = "completed"
FAILED = "failed"


def manifest_functions() -> dict[str, dict[str, Any]]:
    """The ``functions`` section of ``bot/manifest.yml``, by callback id."""
    text = resources.files("bot").joinpath("manifest.yml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text).get("functions") or {})


def _parameters(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """A manifest's ``properties``/``required`` as the event's list of parameters."""
    required = set(schema.get("required") or [])
    return [
        {
            "type": spec.get("type", "string"),
            "name": name,
            "description": spec.get("description", ""),
            "title": spec.get("title", name),
            "is_required": name in required,
        }
        for name, spec in (schema.get("properties") or {}).items()
    ]


def _fits(kind: str, value: Any) -> bool:
    """Whether ``value`` is of the Slack parameter type ``kind``."""
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("object", "slack#/types/rich_text"):
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    return isinstance(value, str)  # string and the slack#/types ids


class Functions:
    """The app's functions and every run Slack started of them.

    Args:
        functions: Definitions by callback id; those of ``bot/manifest.yml`` by default.
        app_id: The app's id, as the event names it.
    """

    def __init__(
        self, functions: dict[str, dict[str, Any]] | None = None, *, app_id: str = "A0001"
    ) -> None:
        self.functions = manifest_functions() if functions is None else dict(functions)
        self.app_id = app_id
        self.runs: dict[str, dict[str, Any]] = {}
        self._ids = {key: ids.random_id("Fn", 10) for key in self.functions}

    def function_object(self, callback_id: str) -> dict[str, Any]:
        """The ``function`` object of a ``function_executed`` event."""
        spec = self.functions[callback_id]
        return {
            "id": self._ids[callback_id],
            "callback_id": callback_id,
            "title": spec.get("title", callback_id),
            "description": spec.get("description", ""),
            "type": "app",
            "input_parameters": _parameters(spec.get("input_parameters") or {}),
            "output_parameters": _parameters(spec.get("output_parameters") or {}),
            "app_id": self.app_id,
            "date_created": 1_700_000_000,
            "date_updated": 1_700_000_000,
            "date_deleted": 0,
        }

    def start(self, callback_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
        """Start a run, as a workflow reaching the step does.

        Returns:
            The run: ``function_execution_id``, ``workflow_execution_id``,
            ``bot_access_token``, ``function`` (the event's object), ``inputs`` and ``state``.

        Raises:
            KeyError: The manifest declares no such function.
        """
        if callback_id not in self.functions:
            raise KeyError(callback_id)
        run = {
            "function_execution_id": ids.random_id("Fx", 10),
            "workflow_execution_id": ids.random_id("Wx", 10),
            "bot_access_token": f"xwfp-{secrets.token_hex(12)}",
            "function": self.function_object(callback_id),
            "inputs": copy.deepcopy(inputs),
            "state": RUNNING,
            "outputs": None,
            "error": None,
            "started": time.time(),
        }
        self.runs[run["function_execution_id"]] = run
        return copy.deepcopy(run)

    def is_token(self, token: str) -> bool:
        """Whether ``token`` is the ``bot_access_token`` of a run still running."""
        return any(
            r["bot_access_token"] == token and r["state"] == RUNNING for r in self.runs.values()
        )

    def _running(self, args: Args) -> dict[str, Any]:
        execution_id = args.get("function_execution_id")
        if not execution_id:
            raise ApiError("invalid_arguments")
        run = self.runs.get(str(execution_id))
        if run is None:
            raise ApiError("function_execution_not_found")
        if run["state"] != RUNNING:
            raise ApiError("execution_not_in_running_state")
        return run

    def complete_success(self, args: Args) -> dict[str, Any]:
        """``functions.completeSuccess``: end the run with outputs that fit its function."""
        run = self._running(args)
        outputs = args.get("outputs")
        if isinstance(outputs, str):  # form-encoded calls send the object as JSON
            try:
                outputs = json.loads(outputs)
            except ValueError:
                raise ApiError("invalid_arguments") from None
        if not isinstance(outputs, dict):
            raise ApiError("invalid_arguments")
        spec = self.functions[run["function"]["callback_id"]].get("output_parameters") or {}
        properties = spec.get("properties") or {}
        missing = [name for name in spec.get("required") or [] if outputs.get(name) is None]
        unknown = [name for name in outputs if name not in properties]
        wrong = [
            name
            for name, value in outputs.items()
            if name in properties
            and value is not None
            and not _fits(properties[name].get("type", "string"), value)
        ]
        if missing or unknown or wrong:
            raise ApiError("parameter_validation_failed")
        run.update(state=COMPLETED, outputs=copy.deepcopy(outputs))
        return {"ok": True}

    def complete_error(self, args: Args) -> dict[str, Any]:
        """``functions.completeError``: end the run with the message the workflow shows."""
        run = self._running(args)
        error = args.get("error")
        if not isinstance(error, str) or not error.strip():
            raise ApiError("invalid_arguments")
        run.update(state=FAILED, error=error)
        return {"ok": True}
