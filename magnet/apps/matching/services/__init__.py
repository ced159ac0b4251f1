"""Writes of the matching app, one module per subject; each action owns its transaction and audit entry."""

from magnet.apps.matching.services.applications import (
    MOVES,
    application_create,
    application_move,
    application_open,
    candidate_invite,
    message_send,
)
from magnet.apps.matching.services.jobs import (
    enterprise_chain,
    job_close,
    job_publish,
    job_review,
    job_save,
    jobs_expire,
)
from magnet.apps.matching.services.profiles import (
    Education,
    talent_education,
    talent_profile_get,
    talent_profile_save,
)

__all__ = [
    "MOVES",
    "Education",
    "application_create",
    "application_move",
    "application_open",
    "candidate_invite",
    "enterprise_chain",
    "job_close",
    "job_publish",
    "job_review",
    "job_save",
    "jobs_expire",
    "message_send",
    "talent_education",
    "talent_profile_get",
    "talent_profile_save",
]
