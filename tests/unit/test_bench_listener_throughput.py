"""The listener benchmark's pure parts: rates from commit samples, the raw baseline's writes."""

from __future__ import annotations

import json

import pytest
from aiokafka.structs import OffsetAndMetadata, TopicPartition

from bench.listener_throughput import committed_total, raw_writes, steady_rate, thin


def test_the_rate_runs_from_the_first_commit_to_the_last() -> None:
    samples = [(2.0, 1000), (3.0, 3000), (4.0, 5000), (6.0, 9000)]
    rate, first, done = steady_rate(samples, 9000)
    assert (first, done) == (2.0, 6.0)
    assert rate == pytest.approx(8000 / 4.0)


def test_an_unfinished_run_has_no_rate() -> None:
    assert steady_rate([(1.0, 10), (2.0, 20)], 30) == (0.0, 0.0, 0.0)
    assert steady_rate([], 30) == (0.0, 0.0, 0.0)


def test_one_commit_of_everything_counts_from_the_start() -> None:
    assert steady_rate([(2.0, 100)], 100) == (50.0, 2.0, 2.0)


def test_thinning_keeps_the_first_the_last_and_one_per_interval() -> None:
    samples = [(0.0, 0), (0.1, 1), (0.6, 2), (0.7, 3), (1.3, 4), (1.35, 5)]
    assert thin(samples, 0.5) == [(0.0, 0), (0.6, 2), (1.3, 4), (1.35, 5)]
    assert thin([], 0.5) == []


def test_committed_offsets_are_summed_for_the_topic_only() -> None:
    offsets = {
        TopicPartition("t", 0): OffsetAndMetadata(10, ""),
        TopicPartition("t", 1): OffsetAndMetadata(-1, ""),  # none committed yet
        TopicPartition("u", 0): OffsetAndMetadata(99, ""),
        TopicPartition("t", 2): OffsetAndMetadata(5, ""),
    }
    assert committed_total(offsets, "t") == 15


def test_the_raw_baseline_upserts_each_event_by_its_entity() -> None:
    events = [
        {"id": "E1", "type": "order-placed", "timestamp": 1, "partitionKey": "o-1"},
        {"id": "E2", "type": "order-accepted", "timestamp": 2, "partitionKey": "o-1"},
    ]
    ops = raw_writes([json.dumps(e).encode() for e in events])
    assert [op._filter for op in ops] == [{"_id": "o-1"}, {"_id": "o-1"}]
    assert ops[1]._doc == {"$set": {"type": "order-accepted", "at": 2, "event": "E2"}}
    assert all(op._upsert for op in ops)
