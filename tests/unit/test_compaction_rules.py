"""The sliding-window and `all` cut rules, and summary clipping (no model needed)."""

from __future__ import annotations

from chinwag.core.conversations.compaction import (
    CompactionSettings,
    ContextWindow,
    clip,
    is_boundary,
    last_boundary,
    sliding_window_cut,
)
from chinwag.core.types import Message, Role

U, A = Role.USER, Role.ASSISTANT


def window(
    roles: list[Role], tokens: list[int], size: int = 1000, overhead: int = 0
) -> ContextWindow:
    messages = [Message.of_text("c", role, f"m{i}") for i, role in enumerate(roles)]
    return ContextWindow(messages=messages, tokens=tokens, context_window=size, overhead=overhead)


def test_a_cut_only_falls_after_an_assistant_reply_and_before_a_user_message() -> None:
    w = window([U, A, U, A, A, U], [1] * 6)
    assert [c for c in range(7) if is_boundary(w.messages, c)] == [2, 5]


def test_sliding_window_keeps_the_newest_turns_within_the_goal() -> None:
    # 5 turns of 100 tokens each (user 40 + assistant 60); goal = (1 - 0.3) * 1000 = 700.
    w = window([U, A] * 5, [40, 60] * 5)
    cut = sliding_window_cut(w, 0.3)
    # 0.3 of 10 messages = 3 -> next boundary is 4; the 6 newest (300 tokens) fit.
    assert cut == 4
    assert sum(w.tokens[cut:]) <= 700


def test_sliding_window_evicts_more_in_steps_until_the_rest_fits() -> None:
    # goal = 0.7 * 1000 - 450 overhead = 250 tokens: only the newest 2 turns fit.
    w = window([U, A] * 5, [40, 60] * 5, overhead=450)
    cut = sliding_window_cut(w, 0.3)
    assert cut == 6
    assert sum(w.tokens[cut:]) <= 250 < sum(w.tokens[cut - 2 :])


def test_sliding_window_never_splits_a_turn_even_when_a_split_would_fit() -> None:
    # A long run of assistant messages has no boundary inside it.
    w = window([U, A, A, A, A, U, A], [10, 10, 10, 10, 10, 10, 10])
    cut = sliding_window_cut(w, 0.3)
    assert cut == 5
    assert w.messages[cut - 1].role == A and w.messages[cut].role == U


def test_sliding_window_gives_up_when_no_cut_fits_so_all_runs_instead() -> None:
    # The newest turn alone is larger than the goal.
    w = window([U, A, U, A], [10, 10, 10, 900])
    assert sliding_window_cut(w, 0.3) is None
    assert sliding_window_cut(window([U], [5]), 0.3) is None


def test_all_evicts_every_finished_turn_but_keeps_an_unanswered_message() -> None:
    assert last_boundary(window([U, A, U, A], [1] * 4).messages) == 4
    assert last_boundary(window([U, A, U, A, U], [1] * 5).messages) == 4
    assert last_boundary(window([U], [1]).messages) == 0


def test_summaries_are_clipped_to_clip_chars() -> None:
    text = "word " * 100
    for limit in (1, 2, 10, 80, 499):
        assert len(clip(text, limit)) <= limit
    assert clip("short", 80) == "short"
    assert clip(text, None) == text.strip()


def test_settings_follow_letta_bounds() -> None:
    settings = CompactionSettings()
    assert settings.mode == "sliding_window"
    assert 0 < settings.sliding_window_percentage < 1
    for bad in ({"mode": "not a mode name"}, {"clip_chars": 0}, {"sliding_window_percentage": 1.5},
                {"unknown": 1}):  # fmt: skip
        try:
            CompactionSettings.model_validate(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} was accepted")


def test_a_long_history_keeps_the_recent_turns_that_fit_rather_than_none() -> None:
    # 1000 turns of 100 tokens; goal 700: the newest 7 turns fit, 14 messages.
    w = window([U, A] * 1000, [40, 60] * 1000)
    cut = sliding_window_cut(w, 0.3)
    assert cut == 2000 - 14
    assert is_boundary(w.messages, cut)
