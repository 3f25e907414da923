"""The turn journal: what a live process holds is left alone, what a dead one left is replayed."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from storage.journal import COMPACT_BYTES, Journal, read_pending


def test_pending_records_are_those_never_marked_done(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    journal.open()
    first = journal.append({"text": "budget 50k"})
    second = journal.append({"text": "ceo signs"})
    journal.append({"text": "q3"})
    journal.done(second)
    assert journal.pending == 2
    assert journal.path is not None
    pending = read_pending(iter(journal.path.read_bytes().splitlines()))
    assert pending == [(first, {"text": "budget 50k"}), (3, {"text": "q3"})]


def test_a_live_journal_is_not_taken_and_a_closed_one_with_pending_records_is(
    tmp_path: Path,
) -> None:
    live = Journal(tmp_path)
    live.open()
    live.append({"n": 1})
    other = Journal(tmp_path)
    other.open()
    assert list(other.orphans()) == []  # the lock of a running process is respected

    live.close()  # as a shutdown with work still pending leaves it
    orphans = list(other.orphans())
    assert [o.pending for o in orphans] == [[(1, {"n": 1})]]
    assert list(other.orphans()) == []  # held by the first recoverer
    orphans[0].release()
    assert not orphans[0].path.exists()
    other.close()


def test_a_clean_close_with_nothing_pending_leaves_no_file(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    journal.open()
    journal.done(journal.append({"n": 1}))
    journal.close()
    assert list(tmp_path.iterdir()) == []


def test_a_killed_process_leaves_its_records_and_a_torn_line_is_skipped(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from storage.journal import Journal
        journal = Journal(Path({str(tmp_path)!r}))
        journal.open()
        done = journal.append({{"n": 1}})
        journal.append({{"n": 2}})
        journal.done(done)
        os.write(journal._fd, b'{{"seq": 3, "rec')  # a write cut short
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", script], cwd=root, timeout=60)
    assert result.returncode == -9
    recoverer = Journal(tmp_path)
    orphans = list(recoverer.orphans())
    assert [o.pending for o in orphans] == [[(2, {"n": 2})]]
    orphans[0].release()


def test_the_file_starts_again_once_large_and_nothing_is_pending(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    journal.open()
    assert journal.path is not None
    padding = "x" * 4096
    kept = journal.append({"n": "kept"})
    while journal.path.stat().st_size <= COMPACT_BYTES:
        journal.done(journal.append({"pad": padding}))
    assert journal.path.stat().st_size > COMPACT_BYTES  # one record still pending: kept
    journal.done(kept)
    assert journal.path.stat().st_size == 0
    last = journal.append({"n": "after"})
    lines = journal.path.read_bytes().splitlines()
    assert [json.loads(line) for line in lines] == [{"seq": last, "record": {"n": "after"}}]
    journal.close()


def test_without_a_directory_nothing_is_written(tmp_path: Path) -> None:
    journal = Journal(None)
    journal.open()
    seq = journal.append({"n": 1})
    assert journal.pending == 1
    journal.done(seq)
    assert list(journal.orphans()) == []
    journal.close()
