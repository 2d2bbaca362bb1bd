"""The till's payments move to the payments app's one Payment table (received, at the sale's time, by its cashier)."""

from django.db import migrations


def carry_over(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldPayment = apps.get_model("pos", "Payment")
    Payment = apps.get_model("payments", "Payment")
    PaymentEvent = apps.get_model("payments", "PaymentEvent")
    sale_type, _created = ContentType.objects.get_or_create(app_label="pos", model="sale")
    for old in OldPayment.objects.select_related("sale").order_by("pk").iterator():
        sale = old.sale
        payment = Payment.objects.create(
            content_type=sale_type, object_id=sale.pk, method=old.method, amount=old.amount, status="confirmed",
            tendered=old.tendered, provider_transaction_id=old.reference, created_at=sale.sold_at,
            created_by_id=sale.cashier_id, confirmed_at=sale.sold_at, confirmed_by_id=sale.cashier_id,
        )  # fmt: skip
        PaymentEvent.objects.create(payment=payment, to_status="confirmed", at=sale.sold_at, actor_id=sale.cashier_id)


def carry_back(apps, schema_editor):
    OldPayment = apps.get_model("pos", "Payment")
    Payment = apps.get_model("payments", "Payment")
    payments = Payment.objects.filter(content_type__app_label="pos", content_type__model="sale").order_by("pk")
    OldPayment.objects.bulk_create(
        OldPayment(
            sale_id=payment.object_id, method=payment.method, amount=payment.amount, tendered=payment.tendered,
            reference=payment.provider_transaction_id,
        )
        for payment in payments
    )  # fmt: skip
    payments.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("payments", "0002_one_payment_for_every_channel"),
        ("pos", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="Payment"),
    ]
