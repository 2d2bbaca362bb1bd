from otop.core.models import AuditEvent, CenterProfile
from otop.core.selectors import center_profile


def profile_form_data(**changes):
    profile = CenterProfile.objects.get(pk=1)
    data = {
        "name_th": profile.name_th,
        "name_en": profile.name_en,
        "legal_name_th": profile.legal_name_th,
        "legal_name_en": profile.legal_name_en,
        "address_th": profile.address_th,
        "address_en": profile.address_en,
        "province": profile.province_id,
        "tax_id": profile.tax_id,
        "branch_code": profile.branch_code,
        "promptpay_id": profile.promptpay_id,
        "phone": profile.phone,
        "email": profile.email,
        "facebook_url": profile.facebook_url,
        "line_oa_id": profile.line_oa_id,
        "website_url": profile.website_url,
        "opens_at": "08:00",
        "closes_at": "18:00",
        "open_on_public_holidays": "on",
        "default_commission_percent": "20.00",
    }
    data.update(changes)
    return data


def test_manager_edits_the_profile_and_the_public_footer_follows(client_for, db):
    client = client_for("manager")
    assert center_profile().line_oa_id == ""  # read once, so the cache is warm
    response = client.post("/backoffice/center/", profile_form_data(line_oa_id="@otopkk", closes_at="19:00"))
    assert response.status_code == 302
    assert center_profile().line_oa_id == "@otopkk"
    html = client.get("/").content.decode()
    assert "@otopkk" in html and "08:00–19:00" in html
    event = AuditEvent.objects.get(action="center.profile_updated")
    assert event.data["line_oa_id"] == ["", "@otopkk"]


def test_invalid_tax_id_is_refused_in_thai_and_nothing_changes(client_for, db):
    client = client_for("manager")
    before = CenterProfile.objects.get(pk=1)
    response = client.post("/backoffice/center/", profile_form_data(tax_id="1234567890123", line_oa_id="@changed"))
    assert response.status_code == 200
    assert "เลขประจำตัวผู้เสียภาษี" in response.content.decode()
    after = CenterProfile.objects.get(pk=1)
    assert (after.tax_id, after.line_oa_id) == (before.tax_id, before.line_oa_id)
    assert not AuditEvent.objects.exists()


def test_closing_before_opening_is_refused(client_for, db):
    response = client_for("manager").post("/backoffice/center/", profile_form_data(opens_at="18:00", closes_at="08:00"))
    assert response.status_code == 200
    assert CenterProfile.objects.get(pk=1).closes_at.hour == 18
