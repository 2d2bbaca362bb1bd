from django.urls import path

from otop.inventory import views

app_name = "inventory"

urlpatterns = [
    path("", views.stock, name="stock"),
    path("moves/", views.moves, name="moves"),
    path("transfer/", views.transfer, name="transfer"),
    path("remove/", views.remove, name="remove"),
    path("baskets/", views.baskets, name="baskets"),
    path("baskets/assemble/", views.basket_assemble, name="basket-assemble"),
    path("baskets/take-apart/", views.basket_take_apart, name="basket-take-apart"),
    path("intakes/", views.intakes, name="intakes"),
    path("intakes/new/", views.intake_new, name="intake-new"),
    path("intakes/<str:number>/", views.intake_detail, name="intake"),
    path("intakes/<str:number>/receipt.pdf", views.intake_receipt, name="intake-receipt"),
    path("stocktakes/", views.stocktakes, name="stocktakes"),
    path("stocktakes/<int:pk>/", views.stocktake, name="stocktake"),
    path("stocktakes/<int:pk>/scan/", views.stocktake_scan, name="stocktake-scan"),
    path("stocktakes/<int:pk>/count/<int:variant_id>/", views.stocktake_count, name="stocktake-count"),
    path("stocktakes/<int:pk>/approve/", views.stocktake_approve, name="stocktake-approve"),
    path("stocktakes/<int:pk>/cancel/", views.stocktake_cancel, name="stocktake-cancel"),
    path("low-stock/", views.low_stock, name="low-stock"),
    path("commissions/", views.commissions, name="commissions"),
    path("settlements/", views.settlements, name="settlements"),
    path("settlements/export.csv", views.settlements_export, name="settlements-export"),
    path("settlements/<str:number>/", views.settlement_detail, name="settlement"),
    path("settlements/<str:number>/statement.pdf", views.settlement_pdf, name="settlement-pdf"),
    path("settlements/<str:number>/paid/", views.settlement_paid, name="settlement-paid"),
    path("my/", views.my_stock, name="my-stock"),
    path("my/statements/", views.my_statements, name="my-statements"),
    path("my/statements/<str:number>.pdf", views.my_statement_pdf, name="my-statement-pdf"),
]
