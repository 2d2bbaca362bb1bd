from django.urls import path

from otop.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("my/", views.my_data, name="mine"),
    path("my/data.json", views.my_data_download, name="mine-download"),
    path("my/data.pdf", views.my_data_download, {"file_format": "pdf"}, name="mine-download-pdf"),
    path("my/request/", views.my_data_request, name="mine-request"),
    path("stop/<str:token>/", views.stop, name="stop"),
    path("notices/", views.notices, name="notices"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/erase/", views.request_erase, name="request-erase"),
    path("requests/<int:pk>/data.json", views.request_export, name="request-export"),
    path("requests/<int:pk>/data.pdf", views.request_export, {"file_format": "pdf"}, name="request-export-pdf"),
    path("guest/", views.guest_start, name="guest"),
    path("guest/code/", views.guest_code, name="guest-code"),
    path("guest/code/sms/", views.guest_code_status, name="guest-code-status"),
    path("guest/data/", views.guest_data, name="guest-data"),
    path("guest/data.json", views.guest_download, {"file_format": "json"}, name="guest-download"),
    path("guest/data.pdf", views.guest_download, {"file_format": "pdf"}, name="guest-download-pdf"),
    path("guest/request/", views.guest_request, name="guest-request"),
    path("guest/finish/", views.guest_finish, name="guest-finish"),
    path("retention/", views.retention_rules, name="retention"),
    path("retention/<int:pk>/", views.retention_rule_change, name="retention-change"),
    path("breaches/", views.breach_list, name="breaches"),
    path("breaches/<int:pk>/", views.breach_detail, name="breach"),
    path("breaches/<int:pk>/affected.csv", views.breach_affected, name="breach-affected"),
    path("breaches/<int:pk>/<str:step>/", views.breach_step, name="breach-step"),
]
