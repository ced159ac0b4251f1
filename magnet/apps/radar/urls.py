from django.urls import path

from magnet.apps.radar import views, views_runs

app_name = "radar"
urlpatterns = [
    path("", views.index, name="index"),
    path("books/<slug:book>/<slug:policy>/", views.policy_detail, name="policy"),
    path("books/<slug:book>/<slug:policy>/draft/", views.draft_new, name="draft_new"),
    path("books/<slug:book>/<slug:policy>/validate/", views.draft_validate, name="draft_validate"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/submit/", views.version_submit, name="version_submit"),
    path("versions/<int:pk>/withdraw/", views.version_withdraw, name="version_withdraw"),
    path("versions/<int:pk>/approve/", views.version_approve, name="version_approve"),
    path("versions/<int:pk>/reject/", views.version_reject, name="version_reject"),
    path("versions/<int:pk>/whatif/", views_runs.whatif_start, name="whatif_start"),
    path("runs/", views_runs.run_list, name="runs"),
    path("runs/policies/", views_runs.run_policies, name="run_policies"),
    path("runs/<uuid:run_id>/", views_runs.run_detail, name="run"),
    path("runs/<uuid:run_id>/results/", views_runs.run_results, name="run_results"),
    path("runs/<uuid:run_id>/changes/", views_runs.run_changes, name="run_changes"),
    path("runs/<uuid:run_id>/retry/", views_runs.run_retry, name="run_retry"),
    path("runs/<uuid:run_id>/explain/<int:row>/", views_runs.run_explain_row, name="run_explain_row"),
    path("explain/", views_runs.explain, name="explain"),
]
