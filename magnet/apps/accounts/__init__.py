"""Users and roles, enterprises, sign-in (password + TOTP for staff, phone + SMS code for talents),
lock-out, sessions, identity binding against the persons feed, and API tokens."""
