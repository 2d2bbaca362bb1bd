from django.urls import path

from otop.selection import portal

app_name = "selection_portal"

urlpatterns = [
    path("portal/apply/", portal.apply, name="apply"),
    path("portal/applications/<int:application_id>/", portal.application, name="application"),
    path("portal/applications/<int:application_id>/resubmit/", portal.resubmit, name="resubmit"),
]
