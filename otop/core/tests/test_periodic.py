"""The clock that runs each app's periodic jobs (otop/<app>/schedule.py)."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from otop.core.periodic import Job, all_jobs, due


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
