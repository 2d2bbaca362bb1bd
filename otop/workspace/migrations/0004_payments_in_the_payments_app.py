"""Booking payments move to the payments app's one Payment table (received when and by whom staff recorded them)."""

from django.db import migrations


def carry_over(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    BookingPayment = apps.get_model("workspace", "BookingPayment")
    Payment = apps.get_model("payments", "Payment")
    PaymentEvent = apps.get_model("payments", "PaymentEvent")
    booking_type, _created = ContentType.objects.get_or_create(app_label="workspace", model="booking")
    for old in BookingPayment.objects.order_by("pk").iterator():
        payment = Payment.objects.create(
            content_type=booking_type, object_id=old.booking_id, method=old.method, amount=old.amount,
            status="confirmed", provider_transaction_id=old.reference, created_at=old.recorded_at,
            created_by_id=old.recorded_by_id, confirmed_at=old.recorded_at, confirmed_by_id=old.recorded_by_id,
        )  # fmt: skip
        PaymentEvent.objects.create(
            payment=payment, to_status="confirmed", at=old.recorded_at, actor_id=old.recorded_by_id
        )


def carry_back(apps, schema_editor):
    BookingPayment = apps.get_model("workspace", "BookingPayment")
    Payment = apps.get_model("payments", "Payment")
    payments = Payment.objects.filter(content_type__app_label="workspace", content_type__model="booking").order_by("pk")
    for payment in payments:
        old = BookingPayment.objects.create(
            booking_id=payment.object_id, method=payment.method, amount=payment.amount,
            reference=payment.provider_transaction_id, recorded_by_id=payment.created_by_id or payment.confirmed_by_id,
        )  # fmt: skip
        BookingPayment.objects.filter(pk=old.pk).update(recorded_at=payment.created_at)
    payments.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("payments", "0002_one_payment_for_every_channel"),
        ("workspace", "0003_permissions"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="BookingPayment"),
    ]
