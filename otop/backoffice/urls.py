from django.urls import path

from otop.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("center/", views.center_profile, name="center-profile"),
    path("people/", views.people, name="people"),
    path("audit/", views.audit_log, name="audit"),
]
