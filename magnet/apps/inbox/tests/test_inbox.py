import pytest

from magnet.apps.common.fixtures import make_user
from magnet.apps.inbox.models import Notification
from magnet.apps.inbox.services import mark_read, notify, unread_count


@pytest.mark.django_db(transaction=True)
def test_notify_keeps_the_message_and_sends_an_sms_when_asked(flushable_audit, settings):
    from magnet.apps.accounts import sms

    settings.MAGNET_SMS_BACKEND = "magnet.apps.accounts.sms.OutboxBackend"
    sms.outbox.clear()
    talent = make_user("talent")
    note = notify(talent, kind="grant", text="您有一笔补贴待确认", link="/grants/", sms=True)
    assert unread_count(talent) == 1
    note.refresh_from_db()
    assert note.sms_sent == bool(talent.phone_cipher)
    assert mark_read(talent) == 1 and unread_count(talent) == 0


@pytest.mark.django_db
def test_the_inbox_shows_only_ones_own_messages(client_as):
    from magnet.apps.accounts.services import talent_create

    other = talent_create(phone="13700000009")
    Notification.objects.create(user=other, kind="x", text="别人的消息")
    client = client_as("talent")
    page = client.get("/inbox/")
    assert page.status_code == 200 and "别人的消息" not in page.content.decode()
    assert client_as("verifier").get("/inbox/").status_code in (200, 403)
