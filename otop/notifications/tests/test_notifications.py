import pytest
from django.core import mail
from django.db import transaction

from otop.notifications import channels
from otop.notifications.channels import Recipient
from otop.notifications.models import OutboundMessage
from otop.notifications.services import deliver, notify_by_email, notify_person, render_message


@pytest.mark.django_db(transaction=True)
def test_an_email_is_queued_after_commit_and_sent_by_the_task(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with transaction.atomic():
        message = notify_by_email(
            event="test_event", email="group@example.com", language="th", context={"name": "กลุ่มทอผ้า"}
        )
        assert len(mail.outbox) == 0  # nothing leaves before the data it talks about is committed
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["group@example.com"]
    assert "กลุ่มทอผ้า" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_sends_nothing(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_by_email(event="test_event", email="group@example.com", context={"name": "x"})
        raise RuntimeError("refused")
    assert len(mail.outbox) == 0
    assert not OutboundMessage.objects.exists()


class RecordingChannel:
    """A channel as another app would register it: it records what it was asked to send."""

    name = OutboundMessage.Channel.LINE

    def __init__(self) -> None:
        self.sent: list[str] = []

    def queue(self, *, recipient, event, context):
        if recipient.user is None:
            return None
        subject, body = render_message(event=event, language=recipient.language, context=context)
        message = OutboundMessage.objects.create(
            event=event, channel=self.name, recipient=recipient.user.username, language=recipient.language, body=body
        )
        transaction.on_commit(lambda: deliver(message_id=message.pk))
        return message

    def send(self, message):
        self.sent.append(message.body)


@pytest.mark.django_db(transaction=True)
def test_a_registered_channel_gets_every_message_to_a_person_beside_the_email(monkeypatch, make_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    line = RecordingChannel()
    monkeypatch.setitem(channels._channels, line.name, line)
    person = Recipient(user=make_user("producer"), email="group@example.com")

    queued = notify_person(recipient=person, event="test_event", context={"name": "กลุ่มทอผ้า"})

    assert sorted(message.channel for message in queued) == ["email", "line"]
    assert [message.to for message in mail.outbox] == [["group@example.com"]]
    assert len(line.sent) == 1 and "กลุ่มทอผ้า" in line.sent[0]
    assert OutboundMessage.objects.get(channel="line").status == OutboundMessage.Status.SENT
    # Without an account the channel cannot reach the person: only the e-mail goes.
    assert [m.channel for m in notify_person(recipient=Recipient(user=None, email="a@example.com"), event="test_event",
                                            context={"name": "x"})] == ["email"]  # fmt: skip


@pytest.mark.django_db
def test_a_message_on_a_channel_nobody_registered_fails_and_says_so(monkeypatch):
    monkeypatch.delitem(channels._channels, "line", raising=False)  # the channels app registers LINE
    message = OutboundMessage.objects.create(event="x", channel="line", recipient="u", language="th", body="b")
    with pytest.raises(LookupError):
        deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED and "line" in message.error


class FlakyChannel(RecordingChannel):
    """A provider that cannot take the message the first `failures` times."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures
        self.tries = 0

    def send(self, message):
        self.tries += 1
        if self.tries <= self.failures:
            raise channels.TemporaryFailure("busy (503)", retry_after_seconds=None)
        super().send(message)


@pytest.mark.django_db
def test_a_temporary_failure_is_tried_again_later_and_recorded(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from otop.notifications.services import BACKOFF_SECONDS, send_due_messages

    flaky = FlakyChannel(failures=1)
    monkeypatch.setitem(channels._channels, flaky.name, flaky)
    message = OutboundMessage.objects.create(event="x", channel="line", recipient="u", language="th", body="b")
    now = timezone.now()

    deliver(message_id=message.pk, now=now)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboundMessage.Status.QUEUED, 1)
    assert message.next_attempt_at == now + timedelta(seconds=BACKOFF_SECONDS[0]) and "503" in message.error
    assert deliver(message_id=message.pk, now=now).status == OutboundMessage.Status.QUEUED  # not due: not sent
    assert flaky.tries == 1

    assert send_due_messages(now=now + timedelta(seconds=BACKOFF_SECONDS[0])) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, flaky.sent) == (OutboundMessage.Status.SENT, 2, ["b"])
    assert send_due_messages(now=now + timedelta(days=1)) == 0
