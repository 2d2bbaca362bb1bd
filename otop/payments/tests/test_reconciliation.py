"""The bank statement (CSV as Thai banks export it) against the payments received: matched, missing,
unexpected; a daily close that says "all money matched" or lists what is not; imported once."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from otop.core.models import CenterProfile
from otop.payments import services
from otop.payments.models import Payment, StatementLine
from otop.payments.selectors import daily_close
from otop.payments.statements import StatementUnreadable, parse_day, read_statement

BANGKOK = ZoneInfo("Asia/Bangkok")
DAY = date(2026, 12, 4)

# As a Thai bank's internet banking exports it: account lines first, Thai headers, Buddhist-era dates.
STATEMENT = """บัญชี,123-4-56789-0,ศูนย์ OTOP
ช่วงวันที่,04/12/2569 - 04/12/2569
วันที่,เวลา,รายการ,ถอนเงิน,ฝากเงิน,ยอดคงเหลือ,ช่องทาง,รายละเอียด
04/12/2569,09:15,รับโอนเงินพร้อมเพย์,,"1,411.00","5,000.00",Internet,Ref1 2569000001 จาก นาย สมชาย
04/12/2569,10:02,รับโอนเงิน,,350.00,"5,350.00",Mobile,TXN20261204AB12CD
04/12/2569,11:40,ค่าธรรมเนียม,15.00,,"5,335.00",Branch,
04/12/2569,13:00,รับโอนเงิน,,99.00,"5,434.00",Mobile,ไม่ทราบผู้โอน
"""


@pytest.fixture
def received(db):
    CenterProfile.objects.filter(pk=1).update(promptpay_id="0812345678")
    cache.clear()
    row = CenterProfile.objects.get(pk=1)
    at = datetime(2026, 12, 4, 9, 0, tzinfo=BANGKOK)
    by_ref1 = services.request_promptpay_payment(paid_for=row, amount=Decimal("1411.00"), reference="OTOP2569000001")
    Payment.objects.filter(pk=by_ref1.pk).update(ref1="2569000001")
    services.confirm_payment(payment=by_ref1, actor=None, now=at)
    by_slip = services.record_received_payments(
        paid_for=row,
        received=[
            services.ReceivedMoney(
                method="transfer", amount=Decimal("350.00"), provider_transaction_id="TXN20261204AB12CD"
            )
        ],
        actor=None,
        at=at,
    )[0]
    missing = services.record_received_payments(
        paid_for=row, received=[services.ReceivedMoney(method="transfer", amount=Decimal("720.00"))], actor=None, at=at
    )[0]
    services.record_received_payments(  # cash never reaches the statement line by line
        paid_for=row, received=[services.ReceivedMoney(method="cash", amount=Decimal("50.00"))], actor=None, at=at
    )
    return {"ref1": by_ref1, "slip": by_slip, "missing": missing}


def test_thai_dates_in_both_eras_and_short_buddhist_years():
    assert parse_day("04/12/2569") == parse_day("04/12/2026") == parse_day("4/12/69") == parse_day("2026-12-04") == DAY


def test_credits_are_read_and_debits_left_out_in_utf8_or_windows_874():
    credits = read_statement(STATEMENT.encode("utf-8-sig"))
    assert [credit.amount for credit in credits] == [Decimal("1411.00"), Decimal("350.00"), Decimal("99.00")]
    assert credits[0].booked_at == datetime(2026, 12, 4, 9, 15, tzinfo=BANGKOK)
    assert read_statement(STATEMENT.encode("cp874")) == credits


@pytest.mark.parametrize(
    "text",
    ["no header here\n1,2,3\n", "วันที่,ฝากเงิน\n31/02/2569,100.00\n", "วันที่,ฝากเงิน\n04/12/2569,1.005\n"],
)
def test_an_unreadable_statement_is_refused_with_nothing_kept(db, text):
    with pytest.raises(StatementUnreadable):
        services.import_statement(data=text.encode(), file_name="bad.csv", actor=None)
    assert not StatementLine.objects.exists()


def test_the_daily_close_lists_matched_missing_and_unexpected_and_imports_once(received):
    services.import_statement(data=STATEMENT.encode(), file_name="kbank.csv", actor=None)
    close = daily_close(DAY)
    assert {line.payment for line in close.matched} == {received["ref1"], received["slip"]}
    assert {line.matched_by for line in close.matched} == {"ref1", "transaction"}
    assert close.missing == [received["missing"]]
    assert [line.amount for line in close.unexpected] == [Decimal("99.00")]
    assert not close.all_matched
    again = services.import_statement(data=STATEMENT.encode(), file_name="kbank.csv", actor=None)
    assert (again.lines_read, again.lines_new) == (3, 0)
    assert StatementLine.objects.count() == 3
    # The bank's next export shows the 720.00: matched by the only payment of that amount that day.
    services.import_statement(
        data="วันที่,เวลา,ฝากเงิน,รายละเอียด\n04/12/2569,15:00,720.00,โอนเงิน\n".encode(), file_name="b.csv", actor=None
    )
    close = daily_close(DAY)
    assert close.missing == [] and len(close.matched) == 3 and len(close.unexpected) == 1


def test_a_day_where_everything_matches_says_so(received):
    Payment.objects.filter(pk=received["missing"].pk).delete()
    text = "\n".join(STATEMENT.splitlines()[:-1]) + "\n"  # without the unknown 99.00
    services.import_statement(data=text.encode(), file_name="kbank.csv", actor=None)
    assert daily_close(DAY).all_matched
    assert not daily_close(date(2026, 12, 5)).all_matched  # no statement for that day yet


def test_the_manage_command_and_the_staff_page(received, make_user, tmp_path, capsys):
    path = tmp_path / "statement.csv"
    path.write_text(STATEMENT, encoding="utf-8")
    with pytest.raises(CommandError):  # not everything matched: a non-zero exit for cron
        call_command("reconcile_bank_statement", str(path))
    out = capsys.readouterr().out
    assert "3 credits read, 3 new" in out and "missing" in out and "720.00" in out and "99.00" in out
    manager, staff = Client(), Client()
    manager.force_login(make_user("manager"))
    staff.force_login(make_user("staff"))
    page = staff.get("/en/payments/reconciliation/?day=2026-12-04")
    assert page.status_code == 200
    assert b"720.00" in page.content and "ไม่ทราบผู้โอน".encode() in page.content
    assert staff.post("/en/payments/reconciliation/", {}).status_code == 403  # staff read, the manager imports
    customer = Client()
    customer.force_login(make_user("customer"))
    assert customer.get("/en/payments/reconciliation/").status_code == 403
    with path.open("rb") as upload:
        assert manager.post("/en/payments/reconciliation/?day=2026-12-04", {"statement": upload}).status_code == 302
    assert StatementLine.objects.count() == 3
