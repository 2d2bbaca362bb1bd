"""Payments pay any row of an app above (content type + id) instead of an order only; every status
change is a PaymentEvent. Existing order payments keep their order, amount, status and times."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def link_orders(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Payment = apps.get_model("payments", "Payment")
    PaymentEvent = apps.get_model("payments", "PaymentEvent")
    order_type, _created = ContentType.objects.get_or_create(app_label="orders", model="order")
    events = []
    for payment in Payment.objects.select_related("order").order_by("pk").iterator():
        payment.content_type = order_type
        payment.object_id = payment.order_id
        payment.reference = payment.order.number.replace("-", "")[:20]
        payment.save(update_fields=["content_type", "object_id", "reference"])
        events.append(PaymentEvent(payment=payment, from_status="", to_status="pending", at=payment.created_at))
        if payment.status != "pending":
            at = payment.confirmed_at or payment.created_at
            events.append(
                PaymentEvent(
                    payment=payment, from_status="pending", to_status=payment.status, at=at,
                    actor_id=payment.confirmed_by_id,
                )
            )  # fmt: skip
    PaymentEvent.objects.bulk_create(events, batch_size=1000)


def unlink_orders(apps, schema_editor):
    Payment = apps.get_model("payments", "Payment")
    for payment in Payment.objects.filter(content_type__app_label="orders", content_type__model="order"):
        payment.order_id = payment.object_id
        payment.save(update_fields=["order"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("orders", "0002_shop_settings_row"),
        ("payments", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="content_type",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype"
            ),
        ),
        migrations.AddField(model_name="payment", name="object_id", field=models.PositiveBigIntegerField(null=True)),
        migrations.AddField(
            model_name="payment",
            name="tendered",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="tendered"),
        ),
        migrations.AddField(
            model_name="payment",
            name="reference",
            field=models.CharField(blank=True, max_length=20, verbose_name="reference"),
        ),
        migrations.AddField(
            model_name="payment",
            name="provider",
            field=models.CharField(blank=True, max_length=30, verbose_name="provider"),
        ),
        migrations.AddField(
            model_name="payment",
            name="provider_transaction_id",
            field=models.CharField(blank=True, max_length=100, verbose_name="provider's transaction ID"),
        ),
        migrations.AddField(
            model_name="payment",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AlterField(
            model_name="payment",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="payment",
            name="method",
            field=models.CharField(
                choices=[("cash", "Cash"), ("promptpay", "PromptPay"), ("card", "Card"), ("transfer", "Bank transfer")],
                max_length=20,
                verbose_name="method",
            ),
        ),
        migrations.AlterModelOptions(
            name="payment",
            options={"ordering": ["created_at", "pk"], "verbose_name": "payment", "verbose_name_plural": "payments"},
        ),
        migrations.CreateModel(
            name="PaymentEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[("pending", "Waiting"), ("confirmed", "Received"), ("cancelled", "Cancelled")],
                        max_length=10,
                        verbose_name="previous status",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[("pending", "Waiting"), ("confirmed", "Received"), ("cancelled", "Cancelled")],
                        max_length=10,
                        verbose_name="new status",
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="at")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="changed by",
                    ),
                ),
                (
                    "payment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="events", to="payments.payment"
                    ),
                ),
            ],
            options={"ordering": ["at", "pk"]},
        ),
        # Nullable before the rows are linked, so that going back links them again before it is required.
        migrations.AlterField(
            model_name="payment",
            name="order",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="payments", to="orders.order"
            ),
        ),
        migrations.RunPython(link_orders, unlink_orders),
        migrations.RemoveField(model_name="payment", name="order"),
        migrations.AlterField(
            model_name="payment",
            name="content_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype"
            ),
        ),
        migrations.AlterField(model_name="payment", name="object_id", field=models.PositiveBigIntegerField()),
        migrations.AddIndex(
            model_name="payment", index=models.Index(fields=["content_type", "object_id"], name="payment_paid_for")
        ),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("reference", ""), _negated=True),
                fields=("reference",),
                name="payment_reference_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    models.Q(("provider", ""), _negated=True), models.Q(("provider_transaction_id", ""), _negated=True)
                ),
                fields=("provider", "provider_transaction_id"),
                name="payment_provider_transaction_once",
            ),
        ),
    ]
