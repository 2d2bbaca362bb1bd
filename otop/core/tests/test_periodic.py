"""The clock that runs each app's periodic jobs (otop/<app>/schedule.py)."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from otop.core.models import PeriodicJob
from otop.core.periodic import LEASE, Job, all_jobs, due, job_lock, start_if_due


def test_a_job_is_due_first_and_then_once_its_interval_has_passed():
    job = Job("hourly", every=timedelta(hours=1), run=lambda: 0)
    now = timezone.now()
    assert due([job], {}, now) == [job]
    assert due([job], {"hourly": now - timedelta(minutes=59)}, now) == []
    assert due([job], {"hourly": now - timedelta(hours=1)}, now) == [job]


def test_the_apps_declare_their_jobs():
    names = {job.name for job in all_jobs()}
    assert {"unpaid orders expired", "booking reminders sent", "certifications flagged"} <= names


def test_a_failing_job_does_not_stop_the_others(db, monkeypatch, capsys):
    def broken():
        raise RuntimeError("boom")

    jobs = [Job("broken", timedelta(minutes=1), broken), Job("fine", timedelta(minutes=1), lambda: "ok")]
    monkeypatch.setattr("otop.core.management.commands.run_periodic.all_jobs", lambda: jobs)
    call_command("run_periodic", "--once")
    assert "fine: ok" in capsys.readouterr().out


# --- several clocks: the job's lock and the shared "last started" -------------------------------------------


def test_a_job_is_started_once_per_interval_whichever_clock_asks(db):
    job = Job("every minute", timedelta(minutes=1), lambda: 0)
    now = timezone.now()
    with job_lock(job.name, owner="clock-a") as locked:
        assert locked
        assert start_if_due(job, owner="clock-a", now=now)
    # Clock B comes 30 s later: clock A's start counts for it too.
    with job_lock(job.name, owner="clock-b") as locked:
        assert locked
        assert not start_if_due(job, owner="clock-b", now=now + timedelta(seconds=30))
        assert start_if_due(job, owner="clock-b", now=now + timedelta(seconds=60))
    row = PeriodicJob.objects.get(name=job.name)
    assert (row.run_count, row.last_ran_by, row.last_started_at) == (2, "clock-b", now + timedelta(seconds=60))
    assert (row.locked_until, row.locked_by) == (None, "")


@pytest.mark.django_db(transaction=True)
def test_a_job_locked_by_one_clock_is_skipped_by_a_clock_on_another_connection():
    seen = []

    def other_clock():
        try:
            with job_lock("long job", owner="clock-b") as locked:
                seen.append(locked)
        finally:
            connection.close()

    with job_lock("long job", owner="clock-a") as locked:
        assert locked
        thread = threading.Thread(target=other_clock)
        thread.start()
        thread.join()
    assert seen == [False]
    # Released: the next clock gets it.
    other = threading.Thread(target=other_clock)
    other.start()
    other.join()
    assert seen == [False, True]


def test_a_lease_left_by_a_dead_clock_ends(db):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL drops a dead clock's advisory lock with its connection")
    now = timezone.now()
    with job_lock("job", owner="dead-clock", now=now - LEASE - timedelta(seconds=1)):
        pass
    PeriodicJob.objects.filter(name="job").update(locked_until=now - timedelta(seconds=1), locked_by="dead-clock")
    with job_lock("job", owner="clock-b", now=now) as locked:
        assert locked
    PeriodicJob.objects.filter(name="job").update(locked_until=now + timedelta(minutes=5), locked_by="dead-clock")
    with job_lock("job", owner="clock-b", now=now) as locked:
        assert not locked


def test_the_clock_runs_a_due_job_once_and_records_it(db, monkeypatch, capsys):
    runs = []
    jobs = [Job("counted", timedelta(minutes=1), lambda: runs.append(1) or len(runs))]
    monkeypatch.setattr("otop.core.management.commands.run_periodic.all_jobs", lambda: jobs)
    call_command("run_periodic", "--once")
    call_command("run_periodic", "--once")  # a second clock right after: not due yet
    assert runs == [1]
    assert capsys.readouterr().out.count("counted: 1") == 1
    row = PeriodicJob.objects.get(name="counted")
    assert (row.run_count, row.failure_count) == (1, 0) and row.last_finished_at >= row.last_started_at
