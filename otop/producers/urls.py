from django.urls import path

from otop.producers import views

app_name = "producers"

urlpatterns = [
    path("portal/", views.portal_home, name="portal"),
    path("portal/profile/", views.portal_profile, name="portal-profile"),
    path("portal/bank-account/", views.portal_bank_account, name="portal-bank-account"),
    path("portal/certifications/", views.portal_certifications, name="portal-certifications"),
    path(
        "portal/certifications/<int:certification_id>/document/",
        views.certification_document,
        name="certification-document",
    ),
    path("producers/<int:producer_id>/", views.public_page, name="public"),
    path("backoffice/producers/", views.backoffice_list, name="backoffice-list"),
    path("backoffice/producers/new/", views.backoffice_create, name="backoffice-create"),
    path("backoffice/producers/expiring/", views.backoffice_expiring, name="backoffice-expiring"),
    path("backoffice/producers/<int:producer_id>/", views.backoffice_detail, name="backoffice-detail"),
    path("backoffice/producers/<int:producer_id>/reveal/", views.backoffice_reveal, name="backoffice-reveal"),
    path("backoffice/producers/<int:producer_id>/edit/", views.backoffice_edit, name="backoffice-edit"),
    path(
        "backoffice/producers/<int:producer_id>/portal-account/",
        views.backoffice_portal_account,
        name="backoffice-portal-account",
    ),
    path(
        "backoffice/producers/bank-accounts/<int:account_id>/",
        views.backoffice_confirm_bank_account,
        name="backoffice-bank-account",
    ),
]
