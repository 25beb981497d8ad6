"""An outbox delivery sends its signal to every receiver even when one fails, and answers the
failures so the outbox retries (common.announce.send_robustly)."""

import logging

from django.dispatch import Signal

from common.announce import send_robustly


def test_every_receiver_runs_and_a_failure_is_answered_and_logged_without_the_payload(caplog):
    signal = Signal()
    seen = []

    def fails(**kwargs):
        raise ValueError("secret@example.com")

    def works(**kwargs):
        seen.append(kwargs["object_id"])

    signal.connect(fails, weak=False)
    signal.connect(works, weak=False)
    with caplog.at_level(logging.ERROR, logger="common.announce"):
        answer = send_robustly(signal, "letter 7", sender=None, object_id=7)
    assert seen == [7]
    assert answer is not None and answer.endswith("fails: ValueError")
    assert "letter 7" in caplog.text and "ValueError" in caplog.text
    assert "secret@example.com" not in caplog.records[0].getMessage()


def test_all_receivers_succeeding_answer_none():
    signal = Signal()
    signal.connect(lambda **kwargs: None, weak=False)
    assert send_robustly(signal, "complaint 1 (assign)", sender=None) is None
