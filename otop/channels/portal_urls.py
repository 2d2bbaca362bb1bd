from django.urls import path

from otop.channels import portal

app_name = "chat_portal"

urlpatterns = [
    path("", portal.line_page, name="line"),
    path("code/", portal.new_code, name="code"),
    path("preferences/", portal.save_preferences, name="preferences"),
    path("unlink/", portal.unlink, name="unlink"),
]
