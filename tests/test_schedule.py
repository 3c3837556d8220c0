"""The order workers get batches in (`workspace/schedule.py`), and that a run's outcomes do
not depend on it."""

import random
from pathlib import Path

import pytest

from logcheck.workspace.schedule import Batch, ProjectQueue, project_keys


def _drain(queue, workers):
    """Hand out every batch as workers that finish in turn would ask: (worker, batch) in order."""
    current = [queue.take() for _ in range(workers)]
    order = [(w, b) for w, b in enumerate(current) if b is not None]
    turn = 0
    while any(b is not None for b in current):
        w = turn % workers
        turn += 1
        if current[w] is None:
            continue
        current[w] = queue.take(current[w])
        if current[w] is not None:
            order.append((w, current[w]))
    return order


@pytest.mark.parametrize("keys, size, workers", [
    ("aaaaabbbcc", 2, 2),
    ("abcabcabc", 2, 2),
    ("a", 64, 2),
    ("aaaaaaaaaaaaaaaaaaab", 3, 3),
    ("", 4, 2),
])
def test_every_job_is_handed_out_once(keys, size, workers):
    order = _drain(ProjectQueue(list(keys), size), workers)
    covered = sorted(i for _, b in order for i in range(b.start, b.stop))
    assert covered == list(range(len(keys)))
    for _, b in order:
        assert 0 < b.stop - b.start <= size
        assert len(set(keys[b.start:b.stop])) == 1  # a batch is one project's


def test_a_worker_stays_with_its_project_and_the_largest_start_first():
    keys = ["small"] * 2 + ["big"] * 8 + ["mid"] * 4
    queue = ProjectQueue(keys, 2)
    first, second = queue.take(), queue.take()
    assert (keys[first.start], keys[second.start]) == ("big", "mid")
    assert first == Batch(2, 4, first.project)  # a project's batches go in order
    follow = queue.take(first)
    assert keys[follow.start] == "big" and follow.start == 4


def test_when_every_project_is_started_the_end_of_the_largest_rest_is_shared():
    keys = ["big"] * 8 + ["small"] * 2
    queue = ProjectQueue(keys, 2)
    big, small = queue.take(), queue.take()
    assert (big, small) == (Batch(0, 2, big.project), Batch(8, 10, small.project))
    # the small project is done: its worker takes the last batch of the big one
    stolen = queue.take(small)
    assert stolen == Batch(6, 8, big.project)
    assert queue.take(big) == Batch(2, 4, big.project)
    assert queue.take(stolen) == Batch(4, 6, big.project)
    assert queue.take(stolen) is None


def test_project_keys_asks_once_per_folder():
    asked = []

    def project_of(path):
        asked.append(path.parent)
        return path.parts[1]

    paths = [Path("/p/a/x.py"), Path("/p/a/y.py"), Path("/q/b/z.py"), Path("/p/a/w.py")]
    assert project_keys(paths, project_of) == ["p", "p", "q", "p"]
    assert asked == [Path("/p/a"), Path("/q/b")]


def test_a_random_drain_covers_every_job():
    rng = random.Random(7)
    for _ in range(200):
        keys = [rng.choice("abcd") for _ in range(rng.randrange(0, 40))]
        order = _drain(ProjectQueue(keys, rng.randrange(1, 6)), rng.randrange(1, 4))
        assert sorted(i for _, b in order for i in range(b.start, b.stop)) == list(range(len(keys)))


def test_two_workers_give_the_outcomes_of_one_in_the_order_of_the_files(tmp_path):
    """Projects of different sizes, their files interleaved in the job list: the batches go
    project by project to two processes, and the outcomes come back as one process gives them."""
    from logcheck.workspace.settings_loader import settings_from_table
    from logcheck.workspace import runner

    jobs = []
    for name, count in (("big", 30), ("mid", 12), ("one", 1)):
        root = tmp_path / name
        (root / "pkg").mkdir(parents=True)
        (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
        (root / "pkg" / "__init__.py").write_text("")
        settings = settings_from_table({}, root, None)
        for i in range(count):
            path = root / "pkg" / f"m{i}.py"
            path.write_text(f"import logging\n\ndef f{i}(x):\n    logging.info(f'{{x}}')\n" if i % 3 else "x = 1\n")
            jobs.append(runner.Job(path, f"{name}/m{i}.py", settings))
    random.Random(3).shuffle(jobs)

    def summary(outcomes):
        return [(o.display, [(d.code, d.row) for d in o.diagnostics], o.errors) for o in outcomes]

    one = summary(runner.run(jobs, runner.Options(), workers=1))
    assert summary(runner.run(jobs, runner.Options(), workers=2)) == one
    assert [display for display, _, _ in one] == [job.display for job in jobs]
    assert sum(len(found) for _, found, _ in one) > 20
