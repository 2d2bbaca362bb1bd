from django.urls import path

from otop.selection import views

app_name = "selection"

urlpatterns = [
    path("", views.meetings, name="meetings"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("applications/<int:application_id>/", views.application, name="application"),
    path(
        "applications/<int:application_id>/photos/<int:photo_id>/",
        views.application_photo,
        name="application-photo",
    ),
    path(
        "applications/<int:application_id>/certifications/<int:certification_id>/document/",
        views.application_certificate,
        name="application-certificate",
    ),
    path("applications/<int:application_id>/score/", views.score, name="score"),
    path("applications/<int:application_id>/decide/", views.decide, name="decide"),
    path("applications/<int:application_id>/letter.pdf", views.letter, name="letter"),
    path("backoffice/", views.backoffice_applications, name="backoffice-applications"),
    path("backoffice/meetings/new/", views.backoffice_plan_meeting, name="backoffice-plan-meeting"),
    path("backoffice/applications/<int:application_id>/audit/", views.backoffice_audit, name="backoffice-audit"),
    path("backoffice/products/<int:product_id>/delist/", views.backoffice_delist, name="backoffice-delist"),
    path("backoffice/rules/", views.backoffice_rules, name="backoffice-rules"),
    path("backoffice/criteria/new/", views.backoffice_criterion, name="backoffice-criterion-new"),
    path("backoffice/criteria/<int:criterion_id>/", views.backoffice_criterion, name="backoffice-criterion"),
]
