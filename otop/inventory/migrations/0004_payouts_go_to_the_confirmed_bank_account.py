"""Producers are paid into the bank account they gave in the portal and staff confirmed
(producers.BankAccount). inventory.PayoutAccount duplicated it with a free-text bank and no screen to
fill it in; any row it holds is carried over as a confirmed account when its bank is recognised,
and reported otherwise, before the table goes."""

from django.db import migrations

# Words by which a free-text bank name is recognised, per producers.BankAccount.Bank code.
BANK_WORDS = {
    "baac": ("baac", "ธ.ก.ส", "ธกส", "เพื่อการเกษตร"),
    "ktb": ("ktb", "krungthai", "กรุงไทย"),
    "kbank": ("kbank", "kasikorn", "กสิกร"),
    "scb": ("scb", "siam commercial", "ไทยพาณิชย์"),
    "bbl": ("bbl", "bangkok bank", "กรุงเทพ"),
    "bay": ("bay", "krungsri", "ayudhya", "กรุงศรี"),
    "gsb": ("gsb", "government savings", "ออมสิน"),
    "ttb": ("ttb", "tmb", "thanachart", "ทหารไทย", "ธนชาต"),
}


def _bank_code(name: str) -> str | None:
    text = name.strip().lower()
    for code, words in BANK_WORDS.items():
        if any(word in text for word in words):
            return code
    return None


def carry_over(apps, schema_editor):
    PayoutAccount = apps.get_model("inventory", "PayoutAccount")
    BankAccount = apps.get_model("producers", "BankAccount")
    for old in PayoutAccount.objects.all():
        code = _bank_code(old.bank_name)
        number = "".join(ch for ch in old.account_number if ch.isdigit())
        if BankAccount.objects.filter(producer_id=old.producer_id, status="confirmed").exists():
            continue
        if code is None or not 10 <= len(number) <= 15:
            print(f"\n  payout account of producer {old.producer_id} not carried over: enter it again in the portal")
            continue
        BankAccount.objects.create(
            producer_id=old.producer_id,
            bank=code,
            account_number=number,
            account_name=old.account_name,
            status="confirmed",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0003_consignment_settlements_stocktake"),
        ("producers", "0002_producermember_producerphoto_bankaccount_and_more"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="PayoutAccount"),
    ]
