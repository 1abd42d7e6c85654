"""The typed-field validators, as a clerk entering or importing records meets them."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_2

from ufdesk.domain.validators import (
    check_id_number,
    check_mobile,
    check_phone,
    check_site_reg,
    check_uscc,
    id_birth_date,
    id_gender,
    id_kind_of,
    normalise_id,
    upgrade_id15,
)


def make_id(first17: str) -> str:
    """A GB 11643 number with the right ISO 7064 MOD 11-2 check digit."""
    assert len(first17) == 17
    return first17 + mod_11_2.calc_check_digit(first17)


def id_ending_in_x() -> str:
    for seq in range(1000):
        n = make_id(f"51052219850315{seq:03d}")
        if n.endswith("X"):
            return n
    raise AssertionError("no check digit X in range")


def wrong_check_digit(number: str) -> str:
    good = number[-1]
    bad = "0" if good != "0" else "1"
    return number[:-1] + bad


# 合江县 (510522), born 1985-03-15, sequence 001 (odd → male)
GOOD_ID = make_id("51052219850315001")


class TestIdNumber:
    def test_good_number_accepted(self):
        assert check_id_number(GOOD_ID) is None

    def test_wrong_check_digit_rejected(self):
        msg = check_id_number(wrong_check_digit(GOOD_ID))
        assert msg is not None and "校验位" in msg

    def test_every_single_digit_typo_caught(self):
        # MOD 11-2 catches any one mistyped digit; so must we.
        for pos in range(17):
            d = GOOD_ID[pos]
            typo = GOOD_ID[:pos] + ("1" if d != "1" else "2") + GOOD_ID[pos + 1 :]
            assert check_id_number(typo) is not None, pos

    def test_impossible_birth_date_rejected(self):
        msg = check_id_number(make_id("51052219850230001"))  # 30 February
        assert msg is not None and "出生日期" in msg

    def test_future_birth_date_rejected(self):
        year = dt.date.today().year + 1
        assert check_id_number(make_id(f"510522{year}0101001")) is not None

    def test_lower_case_x_accepted(self):
        number = id_ending_in_x()
        assert check_id_number(number) is None
        assert check_id_number(number.lower()) is None
        assert normalise_id(number.lower()) == number

    def test_x_in_wrong_place_rejected(self):
        number = id_ending_in_x()
        assert check_id_number("X" + number[1:]) is not None

    @pytest.mark.parametrize("area", ["510522", "519999", "110101", "820000"])
    def test_unknown_but_plausible_area_codes_accepted(self, area):
        # IDs outlive area codes: only the province prefix is checked.
        assert check_id_number(make_id(area + "19700101123")) is None

    @pytest.mark.parametrize("area", ["990101", "000000", "100101", "600000"])
    def test_bad_province_prefix_rejected(self, area):
        msg = check_id_number(make_id(area + "19700101123"))
        assert msg is not None and "省级" in msg

    @pytest.mark.parametrize("first17, kind", [("81000019700101123", "2"), ("82000019700101123", "2"),
                                               ("83000019700101123", "3"), ("95115619700101123", "4"),
                                               ("51052219700101123", "1")])
    def test_residence_permits_and_foreign_permanent_residents_accepted(self, first17, kind):
        number = make_id(first17)
        assert check_id_number(number) is None
        assert id_kind_of(number) == kind
        assert check_id_number(number, kind=kind) is None
        other = "1" if kind != "1" else "3"
        assert "与证件类型" in check_id_number(number, kind=other)

    @pytest.mark.parametrize("first17", ["84000019700101123", "90115619700101123", "96615619700101123"])
    def test_other_prefixes_of_8_and_9_rejected(self, first17):
        assert "省级" in check_id_number(make_id(first17))

    def test_a_15_digit_number_upgraded_with_the_check_digit_stdnum_computes(self):
        for old in ("510522800102123", "110101691231002", "510599000229001"):
            new = upgrade_id15(old)
            assert new[:6] == old[:6] and new[6:8] == "19" and new[8:17] == old[6:]
            assert mod_11_2.is_valid(new)
        assert upgrade_id15("51052280010212") is None and upgrade_id15("51052280010212X") is None

    @pytest.mark.parametrize(
        "value",
        ["", "51052219850315001", "5105221985031500111", "51052219850315001A", "5105221985031500X1"],
    )
    def test_wrong_shape_rejected(self, value):
        assert check_id_number(value) is not None

    def test_number_stored_as_int_and_with_spaces(self):
        digits_only = make_id("51052219850315003")
        if digits_only.endswith("X"):
            digits_only = make_id("51052219850315005")
        assert check_id_number(int(digits_only)) is None
        assert check_id_number(f"  {digits_only}\u3000") is None

    def test_full_width_digits_accepted(self):
        full = "".join(chr(ord(c) + 0xFEE0) for c in GOOD_ID)
        assert check_id_number(full) is None
        assert normalise_id(full) == GOOD_ID

    def test_birth_date_and_gender_read_from_number(self):
        assert id_birth_date(GOOD_ID) == dt.date(1985, 3, 15)
        assert id_gender(GOOD_ID) == "1"
        assert id_gender(make_id("51052219850315002")) == "2"

    def test_agrees_with_given_birth_month(self):
        # 出生年月 is often only a month (1985.03 → 1985-03-01): the day is not compared.
        assert check_id_number(GOOD_ID, birth_date=dt.date(1985, 3, 1)) is None
        assert check_id_number(GOOD_ID, birth_date=dt.date(1985, 3, 15)) is None

    def test_birth_date_disagreement_detected(self):
        msg = check_id_number(GOOD_ID, birth_date=dt.date(1985, 4, 15))
        assert msg is not None and "出生" in msg
        assert check_id_number(GOOD_ID, birth_date=dt.date(1986, 3, 15)) is not None

    def test_gender_disagreement_detected(self):
        assert check_id_number(GOOD_ID, gender="1") is None
        msg = check_id_number(GOOD_ID, gender="2")
        assert msg is not None and "性别" in msg
        female = make_id("51052219850315002")
        assert check_id_number(female, gender="2") is None
        assert check_id_number(female, gender="1") is not None

    def test_unstated_gender_not_compared(self):
        assert check_id_number(GOOD_ID, gender="9") is None
        assert check_id_number(GOOD_ID, gender="0") is None

    def test_message_does_not_repeat_the_number(self):
        bad = wrong_check_digit(GOOD_ID)
        assert bad not in check_id_number(bad)


class TestMobile:
    @pytest.mark.parametrize(
        "number",
        [
            "13800138000",
            "15912345678",
            "16612345678",
            "17712345678",
            "18912345678",
            "19912345678",
            "138 0013 8000",
            "138-0013-8000",
            "+8613800138000",
            "１３８００１３８０００",
        ],
    )
    def test_good(self, number):
        assert check_mobile(number) is None

    @pytest.mark.parametrize(
        "number",
        [
            "12812345678",
            "11812345678",
            "1380013800",
            "138001380001",
            "1380013800a",
            "abcdefghijk",
            "",
            "0830-1234567",
            "23800138000",
        ],
    )
    def test_bad(self, number):
        assert check_mobile(number) is not None


class TestPhone:
    @pytest.mark.parametrize(
        "number",
        [
            "0830-1234567",
            "08301234567",
            "028-87654321",
            "010-12345678",
            "1234567",
            "0830-1234567-801",
            "13800138000",
            "0830 1234567",
        ],
    )
    def test_good(self, number):
        assert check_phone(number) is None

    @pytest.mark.parametrize("number", ["12812345678", "0830-123", "830-1234567x", "电话", "", "123456"])
    def test_bad(self, number):
        assert check_phone(number) is not None


def make_uscc(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


SOCIAL_GROUP = make_uscc("51510522MJ1234567")  # 51 = 社会团体
RELIGIOUS_SITE = make_uscc("71510522MC0000123")  # 71 = 宗教活动场所
COMPANY = make_uscc("91510522MA6ABCDE1")


class TestUscc:
    def test_good_codes_accepted(self):
        for code in (SOCIAL_GROUP, RELIGIOUS_SITE, COMPANY, "91110000600037341L"):
            assert check_uscc(code) is None, code

    def test_lower_case_and_spaces_accepted(self):
        assert check_uscc(f" {COMPANY.lower()} ") is None

    def test_wrong_check_character_rejected(self):
        last = SOCIAL_GROUP[-1]
        bad = SOCIAL_GROUP[:-1] + ("0" if last != "0" else "1")
        msg = check_uscc(bad)
        assert msg is not None and "无效" in msg

    @pytest.mark.parametrize("code", ["", "5151052", "51510522MJ12345678X"])
    def test_wrong_length_rejected(self, code):
        msg = check_uscc(code)
        assert msg is not None and "18" in msg

    def test_forbidden_letters_rejected(self):
        # I, O, Z, S, V never occur in a credit code.
        assert check_uscc("51510522MJ12345O7" + "0") is not None

    def test_category_checked_when_given(self):
        assert check_uscc(SOCIAL_GROUP, category="51") is None
        assert check_uscc(RELIGIOUS_SITE, category="71") is None
        msg = check_uscc(COMPANY, category="51")
        assert msg is not None and "51" in msg
        assert check_uscc(SOCIAL_GROUP, category="71") is not None


class TestSiteRegistration:
    @pytest.mark.parametrize(
        "number",
        [
            "宗场证字(渝)F000140001",
            "宗场证字（渝）F000140001",
            "宗场证字(川)D510522001",
            "宗场证字(新)Y000000001",
            "宗场证字(黑)T123456789",
            "宗场证字(陕)J000000009",
            " 宗场证字(渝)F000140001 ",
        ],
    )
    def test_good(self, number):
        assert check_site_reg(number) is None

    @pytest.mark.parametrize(
        "number",
        [
            "宗场证字(渝)X000140001",  # no religion letter X
            "宗场证字(渝)F00014000",  # 8 digits
            "宗场证字(渝)F0001400011",  # 10 digits
            "宗场证(渝)F000140001",  # 字 missing
            "宗场证字F000140001",  # no province
            "F000140001",
            "",
        ],
    )
    def test_bad(self, number):
        assert check_site_reg(number) is not None


def test_id_check_digit_agrees_with_stdnum_on_every_kind_of_number():
    """The import's own MOD 11-2 check (fast enough for 50,000 rows) says exactly what
    python-stdnum says, for good numbers, numbers ending in X and each wrong last character."""
    import random

    from ufdesk.domain.validators import id_check_digit_ok

    rng = random.Random(11643)
    for _ in range(3000):
        first17 = f"{rng.randrange(10**16, 10**17):017d}"
        for last in "0123456789X":
            number = first17 + last
            assert id_check_digit_ok(number) == mod_11_2.is_valid(number), number
