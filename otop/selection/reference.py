"""The committee's default criteria and decision rule: reference data (see otop/core/reference.py)."""

from __future__ import annotations

from typing import Any

# The six default criteria; the center may change them as data afterwards.
CRITERIA = [
    ("quality", "คุณภาพสินค้า", "Product quality"),
    ("packaging", "บรรจุภัณฑ์และฉลาก", "Packaging and labelling"),
    ("standards", "มาตรฐานและการรับรอง (อย./มผช.)", "Standards and certification (FDA/TCPS)"),
    ("price", "ราคาเหมาะสมกับตลาด", "Price suits the market"),
    ("story", "เรื่องราวและภูมิปัญญาท้องถิ่น", "Story and local wisdom"),
    ("market", "ศักยภาพทางการตลาด", "Market potential"),
]


def ensure_reference_data(apps: Any) -> None:
    Criterion = apps.get_model("selection", "Criterion")  # noqa: N806
    DecisionRule = apps.get_model("selection", "DecisionRule")  # noqa: N806
    if not DecisionRule.objects.filter(pk=1).exists():
        DecisionRule.objects.create(pk=1)
    if Criterion.objects.exists():
        return
    Criterion.objects.bulk_create(
        Criterion(code=code, name_th=name_th, name_en=name_en, sort_order=order)
        for order, (code, name_th, name_en) in enumerate(CRITERIA, start=1)
    )
