"""The staff console of grants, mounted at /console/grants/."""

from django.urls import path

from magnet.apps.grants import views_staff as views

app_name = "grants_staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("runs/<uuid:run_id>/grants/", views.run_grants, name="run_grants"),
    path("runs/<uuid:run_id>/changes/", views.run_changes, name="run_changes"),
    path("notify/", views.notify, name="notify"),
    path("publicity/", views.publicity, name="publicity"),
    path("publicity/start/", views.publicity_start, name="publicity_start"),
    path("approve/", views.approve, name="approve"),
    path("retry/", views.retry, name="retry"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("batches/", views.batches, name="batches"),
    path("batches/assemble/", views.batch_assemble, name="batch_assemble"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/approve/", views.batch_approve, name="batch_approve"),
    path("batches/<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("batches/<int:pk>/export/", views.batch_export, name="batch_export"),
    path("batches/<int:pk>/return/", views.batch_return, name="batch_return"),
    path("batches/<int:pk>/simulate/", views.batch_simulate, name="batch_simulate"),
    path("ledger/", views.ledger, name="ledger"),
    path("budget/", views.budget, name="budget"),
]
