import pytest
from django.core import mail
from django.db import transaction

from otop.notifications.models import OutboundMessage
from otop.notifications.services import notify_by_email


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
