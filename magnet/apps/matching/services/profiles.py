"""Talents' job profiles: education from the feed (or declared), wishes, and consent to be found."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from magnet.apps.audit.services import audit_record
from magnet.apps.common.errors import DomainError
from magnet.apps.matching import engine
from magnet.apps.matching.models import DEGREE_RANK, TalentProfile


@dataclass(frozen=True)
class Education:
    degree: str = ""
    major_code: str = ""
    major_name: str = ""
    school_name: str = ""
    verified: bool = False


def talent_education(user) -> Education:
    """The talent's highest degree: the education feed (学信) once the identity is verified, otherwise the
    degrees they declared (shown as unverified)."""
    if user.is_identity_verified:
        from magnet.apps.feeds.selectors import person_education

        rows = person_education(user.id_number_plain())
        if rows:
            best = max(rows, key=lambda r: (DEGREE_RANK.get(r["degree"], -1), r["graduation_date"]))
            return Education(
                best["degree"], best["major_code"] or "", best["major_name"] or "", best["school_name"] or "", True
            )
    from magnet.apps.reference.models import DeclaredEducation

    declared = list(DeclaredEducation.objects.filter(user=user).select_related("major", "university"))
    if not declared:
        return Education()
    best = max(declared, key=lambda e: (DEGREE_RANK.get(e.degree, -1), e.graduation_date))
    return Education(best.degree, best.major.code, best.major.name, best.university.name, False)


def _apply_education(profile: TalentProfile, education: Education) -> bool:
    fields = {
        "degree": education.degree,
        "major_code": education.major_code,
        "major_name": education.major_name,
        "school_name": education.school_name,
        "education_verified": education.verified,
    }
    changed = any(getattr(profile, name) != value for name, value in fields.items())
    for name, value in fields.items():
        setattr(profile, name, value)
    return changed


def talent_profile_get(*, user, refresh_education: bool = False) -> TalentProfile:
    """The talent's profile, created on first use; with `refresh_education` its education is read again."""
    if user.role != "talent":
        raise DomainError("not_talent", "only talents keep a job profile", status=403)
    profile, created = TalentProfile.objects.get_or_create(user=user)
    # A talent who bound their identity since the profile was made gets the feed's education at once.
    newly_verified = user.is_identity_verified and not profile.education_verified
    if (created or refresh_education or newly_verified) and _apply_education(profile, talent_education(user)):
        with transaction.atomic():
            profile.save()
            transaction.on_commit(lambda: engine.talent_changed(profile))
    return profile


def talent_profile_save(*, user, data: dict, request=None) -> TalentProfile:
    """Save the wishes and the consent to be found; the education is read again at the same time."""
    profile = talent_profile_get(user=user)
    was_discoverable = profile.discoverable
    for name in ("skills", "wish_adcodes", "wish_chains", "wish_pay", "about", "discoverable"):
        if name in data:
            setattr(profile, name, data[name])
    _apply_education(profile, talent_education(user))
    with transaction.atomic():
        profile.save()
        if profile.discoverable != was_discoverable:
            # Consent to be found by enterprises, given or withdrawn, is kept in the audit log.
            audit_record(
                request=request,
                actor=user,
                action="matching.discoverable",
                object_type="user",
                object_id=user.pk,
                result="on" if profile.discoverable else "off",
            )
        transaction.on_commit(lambda: engine.talent_changed(profile))
    return profile
