"""The helpers every app's pages share: a refusal on a form, a PDF response, staff-only pages."""

from __future__ import annotations

from django import forms

from otop.core.errors import DomainError
from otop.core.forms import add_domain_error
from otop.core.pages import pdf_response


class AddressForm(forms.Form):
    province_name = forms.CharField()
    phone = forms.CharField()


def test_a_refusal_shows_its_message_on_top_and_each_field_message_beside_its_field():
    form = AddressForm(data={"province_name": "x", "phone": "1"})
    assert form.is_valid()
    error = DomainError("ที่อยู่ไม่ถูกต้อง", fields={"province": ["ไม่พบจังหวัดนี้"], "phone": ["เบอร์โทรไม่ถูกต้อง"], "other": ["อื่น"]})
    add_domain_error(form, error, field_for=lambda name: {"province": "province_name"}.get(name, name))
    assert form.errors == {
        "__all__": ["ที่อยู่ไม่ถูกต้อง", "อื่น"],
        "province_name": ["ไม่พบจังหวัดนี้"],
        "phone": ["เบอร์โทรไม่ถูกต้อง"],
    }


def test_a_pdf_opens_in_the_browser_under_its_file_name():
    response = pdf_response(b"%PDF-1.7 ...", "ST-202610-00012.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="ST-202610-00012.pdf"'
    assert response.content == b"%PDF-1.7 ..."


def test_staff_pages_send_visitors_to_sign_in_and_refuse_others(client, client_for):
    assert client.get("/backoffice/").status_code == 302
    assert client_for("customer").get("/backoffice/").status_code == 403
    assert client_for("staff").get("/backoffice/").status_code == 200
