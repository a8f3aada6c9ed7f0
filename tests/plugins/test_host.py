"""The plugin host: one plugin's failure, duplicate ids, selection and disabling."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from chinwag import plugins
from chinwag.plugins import PluginHost, load_plugins

SAMPLES = "tests.plugins.host_samples"


def use(monkeypatch: pytest.MonkeyPatch, **entries: str) -> None:
    points = [EntryPoint(name, f"{SAMPLES}:{obj}", "chinwag") for name, obj in entries.items()]
    monkeypatch.setattr(plugins, "_entry_points", lambda: points)


def record(host: PluginHost, name: str) -> plugins.PluginRecord:
    return next(r for r in host.records if r.name == name)


def test_a_plugin_raising_in_its_hook_is_failed_and_the_others_still_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use(monkeypatch, a_bad="RaisesInHook", b_good="Good")
    host = load_plugins()
    assert record(host, "a_bad").status == "failed"
    assert "hook exploded" in (record(host, "a_bad").error or "")
    assert record(host, "b_good").status == "ok"
    assert list(host.providers) == ["good"]


def test_an_invalid_registration_fails_that_plugin_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, junk="RegistersJunk", good="Good")
    host = load_plugins()
    junk = record(host, "junk")
    assert junk.status == "failed"
    assert "not Provider" in (junk.error or "")
    assert "half" not in host.providers  # what it registered before failing is withdrawn
    assert "good" in host.providers


def test_a_duplicate_provider_id_is_reported_not_overwritten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use(monkeypatch, first="Good", second="SameIdAsGood")
    host = load_plugins()
    assert record(host, "first").status == "ok"
    second = record(host, "second")
    assert second.status == "failed"
    assert "'good' is already registered by plugin 'first'" in (second.error or "")
    assert host.owners["provider:good"] == "first"


def test_a_plugin_whose_hook_does_not_match_the_spec_fails_at_registration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use(monkeypatch, wrong="WrongHookArguments", good="Good")
    host = load_plugins()
    assert record(host, "wrong").status == "failed"
    assert "wrong" not in host.providers
    assert record(host, "good").status == "ok"


def test_a_plugin_that_fails_to_import_is_recorded_with_its_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    points = [
        EntryPoint("missing", "tests.plugins.no_such_module", "chinwag"),
        EntryPoint("good", f"{SAMPLES}:Good", "chinwag"),
    ]
    monkeypatch.setattr(plugins, "_entry_points", lambda: points)
    host = load_plugins()
    assert record(host, "missing").status == "failed"
    assert "ModuleNotFoundError" in (record(host, "missing").error or "")
    assert record(host, "good").status == "ok"


def test_backends_are_registered_and_cannot_replace_the_built_in_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use(monkeypatch, echo="GoodBackend")
    host = load_plugins()
    assert set(host.backend_factories) == {"litellm", "echo"}
    assert record(host, "echo").backends == ["echo"]


def test_disabled_plugins_are_listed_but_not_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, good="Good", echo="GoodBackend")
    host = load_plugins(disabled=["good"])
    assert record(host, "good").status == "disabled"
    assert "good" not in host.providers
    assert record(host, "echo").status == "ok"


@pytest.mark.parametrize(
    ("selection", "loaded"),
    [("", []), ("good", ["good"]), (" echo , good ", ["echo", "good"])],
)
def test_chinwag_load_plugins_selects_what_loads(
    monkeypatch: pytest.MonkeyPatch, selection: str, loaded: list[str]
) -> None:
    use(monkeypatch, echo="GoodBackend", good="Good")
    monkeypatch.setenv("CHINWAG_LOAD_PLUGINS", selection)
    host = load_plugins()
    assert sorted(r.name for r in host.records) == loaded


def test_each_plugin_load_time_is_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, good="Good")
    assert record(load_plugins(), "good").load_ms > 0


def test_routers_are_registered_once_and_a_wrong_one_fails_its_plugin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use(monkeypatch, a_router="RoutesToGood", b_twice="RoutesTwice", c_junk="RegistersJunkRouter")
    host = load_plugins()
    assert list(host.routers) == ["always_good"]
    assert record(host, "a_router").routers == ["always_good"]
    assert "already registered by plugin 'a_router'" in (record(host, "b_twice").error or "")
    assert "not RouterSpec" in (record(host, "c_junk").error or "")


def test_the_first_party_routers_plugin_registers_vision_and_budget_fallback() -> None:
    host = load_plugins()
    assert {"vision", "budget_fallback"} <= set(host.routers)
    assert record(host, "routers").status == "ok"


def test_a_plugin_backend_is_metered_and_priced(monkeypatch: pytest.MonkeyPatch) -> None:
    from chinwag import app
    from chinwag.core.types import Conversation

    use(monkeypatch, counted="CountedProvider")
    services = app.build()
    try:
        conversation = services.store.create_conversation(
            Conversation(model="counted/m1", title="t")
        )
        reply = services.chat.send(conversation.id, "hi")
        [record] = services.store.usage.records(conversation_id=conversation.id)
    finally:
        services.close()
    assert reply.text == "two words"
    assert (record.provider, record.model, record.outcome) == ("counted", "counted/m1", "ok")
    assert record.cost == 7 * 0.5 + 3 * 2.0  # priced by the meter from the model list
    assert reply.cost == record.cost  # and the message shows the same figure
