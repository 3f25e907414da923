"""The stand-in's Workflow Builder steps answer as Slack's functions.* methods do."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.standin.server import SlackStandIn


@pytest.fixture
def standin():
    server = SlackStandIn().start()
    yield server
    server.stop()


def _error(call) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def test_a_run_looks_like_slacks_event_and_takes_outputs_that_fit(standin: SlackStandIn) -> None:
    run = standin.start_function("qualify_lead", {"lead": "Acme", "rep": "U1"})
    function = run["function"]
    assert function["callback_id"] == "qualify_lead" and function["type"] == "app"
    names = {p["name"]: p["is_required"] for p in function["input_parameters"]}
    assert names["lead"] is True and names["channel"] is False
    assert run["function_execution_id"].startswith("Fx")
    client = WebClient(token="xoxb-test", base_url=standin.api_url)
    execution_id = run["function_execution_id"]
    wrong_type = {"lead_id": "1", "verdict": "hot", "score": 80, "stage": "SQL"}
    missing = {"lead_id": 1, "verdict": "hot", "score": 80}
    for outputs in (wrong_type, missing, {**missing, "stage": "SQL", "extra": 1}):
        assert (
            _error(lambda o=outputs: client.functions_completeSuccess(
                function_execution_id=execution_id, outputs=o
            ))
            == "parameter_validation_failed"
        )  # fmt: skip
    outputs = {"lead_id": 1, "verdict": "hot", "score": 80, "stage": "SQL"}
    assert client.functions_completeSuccess(function_execution_id=execution_id, outputs=outputs)[
        "ok"
    ]
    assert standin.function_run(execution_id)["outputs"] == outputs
    assert (
        _error(
            lambda: client.functions_completeError(function_execution_id=execution_id, error="x")
        )
        == "execution_not_in_running_state"
    )


def test_errors_unknown_runs_and_the_runs_own_token(standin: SlackStandIn) -> None:
    run = standin.start_function("record_outcome", {"lead": "Acme", "outcome": "won"})
    execution_id = run["function_execution_id"]
    own = WebClient(token=run["bot_access_token"], base_url=standin.api_url)
    stranger = WebClient(token="xwfp-not-a-run", base_url=standin.api_url)
    assert _error(lambda: stranger.functions_completeError(
        function_execution_id=execution_id, error="x"
    )) == "invalid_auth"  # fmt: skip
    assert _error(lambda: own.functions_completeError(
        function_execution_id="Fx0NOSUCHRUN", error="x"
    )) == "function_execution_not_found"  # fmt: skip
    assert _error(lambda: own.api_call(
        "functions.completeError", json={"function_execution_id": execution_id}
    )) == "invalid_arguments"  # fmt: skip
    assert own.functions_completeError(function_execution_id=execution_id, error="No such lead")[
        "ok"
    ]
    assert standin.function_run(execution_id)["state"] == "failed"
    # The run's token is good only while it runs.
    assert _error(lambda: own.functions_completeError(
        function_execution_id=execution_id, error="x"
    )) == "invalid_auth"  # fmt: skip
    with pytest.raises(KeyError):
        standin.start_function("no_such_step", {})
