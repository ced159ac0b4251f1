"""Jobs matched to talents both ways (人才产业对接): postings, talent profiles, applications and messages.

Enterprises post jobs (required majors from the MOE catalogue, degree, skills, place, pay, headcount,
deadline; the industry chain comes from the enterprise's record in the latest enterprises feed). A
rule-based detector (`moderation.py`) sends postings that discriminate to the staff moderation queue
instead of publishing them. Talents keep a profile (education from the feed once their identity is
bound, otherwise declared and unverified) and apply; both sides exchange messages on the application
and are notified through the inbox app.

The scoring itself is `magnet.core.matching` (framework-free, written separately); every call to it is
in `engine.py`, which also keeps the process-wide index current. Pages: `views_talent.py` (/jobs/),
`views_enterprise.py` (/hiring/), `views_staff.py` (/console/jobs/); API: `api.py` (/api/v1/matching).
"""
