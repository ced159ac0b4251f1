import pytest

from magnet.core.talentcode import SERVICES, TIER, ClaimsError, TalentClaims, looks_like_identity_number

from .conftest import CITY, NOW, make_claims


def test_new_sets_times_and_a_random_cti():
    claims = make_claims(lifetime=120)
    assert (claims.iat, claims.exp) == (NOW, NOW + 120)
    assert len(claims.cti) == 16 and claims.cti != make_claims().cti


def test_cwt_map_uses_registered_and_private_keys():
    claims = make_claims(nbf=NOW - 5)
    cwt = claims.to_cwt()
    assert cwt[1] == CITY and cwt[2] == "t_7F3KQ2M9" and cwt[4] == NOW + 300 and cwt[5] == NOW - 5
    assert cwt[6] == NOW and cwt[7] == claims.cti
    assert (TIER, SERVICES) == (-65537, -65538)
    assert cwt[TIER] == "B" and cwt[SERVICES] == ["bus", "gym", "library"]
    assert TalentClaims.from_cwt(cwt) == claims


@pytest.mark.parametrize(
    "sub", ["110101199003071234", "11010119900307123X", "11010119900307123x", "110101 19900307 1234", "110101900307123"]
)
def test_identity_numbers_are_refused_as_subject(sub):
    assert looks_like_identity_number(sub)
    with pytest.raises(ClaimsError, match="identity number"):
        make_claims(sub=sub)


@pytest.mark.parametrize("sub", ["t_7F3KQ2M9", "1101011990030712", "11010119900307123Y", "a110101199003071234"])
def test_pseudonyms_are_accepted(sub):
    assert not looks_like_identity_number(sub)
    assert make_claims(sub=sub).sub == sub


@pytest.mark.parametrize(
    "overrides",
    [
        {"tier": "F"},
        {"tier": "a"},
        {"services": ("bus", "bus")},
        {"services": ("",)},
        {"services": ("has space",)},
        {"services": tuple(f"s{i}" for i in range(65))},
        {"iss": ""},
        {"sub": ""},
        {"cti": b""},
        {"lifetime": 0},
        {"now": -1},
    ],
)
def test_invalid_claims(overrides):
    with pytest.raises(ClaimsError):
        make_claims(**overrides)


@pytest.mark.parametrize(
    "cwt",
    [
        None,
        [],
        {1: CITY},
        {1: CITY, 2: "t_1", 4: NOW + 1, 6: NOW, 7: b"x", TIER: "A", SERVICES: "bus"},
        {1: CITY, 2: "t_1", 4: NOW + 1, 6: True, 7: b"x", TIER: "A", SERVICES: []},
        {1: CITY, 2: "t_1", 4: float(NOW + 1), 6: NOW, 7: b"x", TIER: "A", SERVICES: []},
        {1: CITY, 2: "t_1", 4: NOW, 6: NOW, 7: b"x", TIER: "A", SERVICES: []},  # exp not after iat
        {1: CITY, 2: "t_1", 4: NOW + 1, 6: NOW, 7: "x", TIER: "A", SERVICES: []},
        {1: CITY, 2: "t_1", 4: NOW + 1, 6: NOW, 7: b"x", TIER: ["A"], SERVICES: []},
    ],
)
def test_from_cwt_refuses_bad_maps(cwt):
    with pytest.raises(ClaimsError):
        TalentClaims.from_cwt(cwt)


def test_to_json():
    claims = make_claims()
    assert claims.to_json() == {
        "iss": CITY,
        "sub": "t_7F3KQ2M9",
        "iat": NOW,
        "exp": NOW + 300,
        "cti": claims.cti.hex(),
        "tier": "B",
        "services": ["bus", "gym", "library"],
    }
