"""Writes of the radar app: policy versions (draft, submit, approve, reject), runs, and explanations.

One module per subject; everything is re-exported here so callers write `services.radar_run_start(...)`.
"""

from magnet.apps.radar.services.explain import radar_explain
from magnet.apps.radar.services.runs import (
    radar_run_perform,
    radar_run_retry,
    radar_run_start,
    radar_whatif_start,
    runs_dir,
)
from magnet.apps.radar.services.versions import (
    VersionCheck,
    policy_version_approve,
    policy_version_check,
    policy_version_reject,
    policy_version_save,
    policy_version_submit,
    policy_version_withdraw,
)

__all__ = [
    "VersionCheck",
    "policy_version_approve",
    "policy_version_check",
    "policy_version_reject",
    "policy_version_save",
    "policy_version_submit",
    "policy_version_withdraw",
    "radar_explain",
    "radar_run_perform",
    "radar_run_retry",
    "radar_run_start",
    "radar_whatif_start",
    "runs_dir",
]
