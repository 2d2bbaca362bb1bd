from django.urls import path

from otop.workspace import staff_views, views

app_name = "workspace"

urlpatterns = [
    path("", views.spaces, name="spaces"),
    path("staff/", staff_views.calendar, name="staff-calendar"),
    path("staff/wifi/", staff_views.wifi, name="staff-wifi"),
    path("staff/utilisation/", staff_views.utilisation, name="staff-utilisation"),
    path("staff/book/<slug:slug>/", staff_views.staff_book, name="staff-book"),
    path("staff/bookings/<int:pk>/", staff_views.booking_detail, name="staff-booking"),
    path("staff/bookings/<int:pk>/check-in", staff_views.check_in, name="staff-check-in"),
    path("staff/bookings/<int:pk>/no-show", staff_views.no_show, name="staff-no-show"),
    path("staff/bookings/<int:pk>/cancel", staff_views.staff_cancel, name="staff-cancel"),
    path("staff/bookings/<int:pk>/move", staff_views.staff_move, name="staff-move"),
    path("staff/bookings/<int:pk>/payment", staff_views.record_payment, name="staff-payment"),
    path("staff/bookings/<int:pk>/wifi", staff_views.rotate_booking_wifi, name="staff-booking-wifi"),
    path("b/<str:token>/", views.booking_detail, name="booking"),
    path("b/<str:token>/booking.ics", views.booking_ics, name="booking-ics"),
    path("b/<str:token>/cancel", views.cancel, name="booking-cancel"),
    path("b/<str:token>/move", views.move, name="booking-move"),
    path("<slug:slug>/", views.space_detail, name="space"),
    path("<slug:slug>/book", views.book, name="book"),
]
