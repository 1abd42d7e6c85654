"""Validators of the typed fields. Each returns None when the value is good, else a Chinese
message that says what is wrong (without repeating a sensitive value)."""

from __future__ import annotations

import datetime as dt
import operator
import re
import unicodedata

from stdnum import exceptions as stdnum_exc
from stdnum.cn import uscc

# GB/T 2260 province-level codes (first two digits of an ID number).
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71".split()
)
# 证件类型 (``data/codes/id_kind.csv``): what an 18-character number's first digits say it is.
# 81/82/83: 港澳台居民居住证 (GB 11643's layout and check digit); 9 + province + 3-digit country
# code: 外国人永久居留身份证 (2023 layout, the same birth date, gender digit and check digit).
ID_RESIDENT, ID_HKMO, ID_TAIWAN, ID_FOREIGN = "1", "2", "3", "4"
ID_KIND_NAMES = {ID_RESIDENT: "居民身份证", ID_HKMO: "港澳居民居住证", ID_TAIWAN: "台湾居民居住证",
                 ID_FOREIGN: "外国人永久居留身份证"}
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE = re.compile(r"^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$")
_ID_SHAPE = re.compile(r"\d{17}[\dX]")
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # ISO 7064 MOD 11-2, as GB 11643 uses it
_MOBILE_JUNK = re.compile(r"[\s-]")
_WHITESPACE = re.compile(r"\s")
_VILLAGE = re.compile(r"\d{12}")
_SITE_REG = re.compile(r"^宗场证字[（(][\u4e00-\u9fff]{1,3}[)）][TJFDY]\d{9}$")


def id_birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except (ValueError, IndexError):
        return None


def id_gender(number: str) -> str:
    """GB/T 2261.1 code of the gender an 18-digit ID number encodes: 1 male, 2 female."""
    return "1" if int(number[16]) % 2 else "2"


def _ascii(text) -> str:
    """Full-width digits, letters and punctuation (as typed in Excel) → their ASCII forms."""
    return unicodedata.normalize("NFKC", str(text))


def normalise_id(number: str) -> str:
    if isinstance(number, str) and number.isascii():
        return number.strip().upper()
    return _ascii(number).strip().upper()


def id_check_digit_ok(n: str) -> bool:
    """The ISO 7064 MOD 11-2 check of an 18-character ID number of the right shape: the same
    answer as ``stdnum.iso7064.mod_11_2.is_valid`` (a test holds them together) at a fifth of
    its cost, which counts when an import checks 50,000 of them."""
    total = sum(map(operator.mul, map(int, n[:17]), _ID_WEIGHTS))
    return "10X98765432"[total % 11] == n[17]


def id_kind_of(number: str) -> str | None:
    """The 证件类型 code an 18-character number's prefix gives; None when it gives none."""
    n = normalise_id(number)
    if n[:2] in PROVINCES:
        return ID_RESIDENT
    if n[:2] in ("81", "82"):
        return ID_HKMO
    if n[:2] == "83":
        return ID_TAIWAN
    if n[:1] == "9" and n[1:3] in PROVINCES:
        return ID_FOREIGN
    return None


def upgrade_id15(number: str) -> str | None:
    """A 15-digit ID number of before 1999 (area, YYMMDD, sequence) as its 18-digit form: 19 put
    before the year and the ISO 7064 check digit after; None when it is not 15 digits."""
    if len(number) != 15 or not number.isdigit():
        return None
    body = number[:6] + "19" + number[6:]
    total = sum(map(operator.mul, map(int, body), _ID_WEIGHTS))
    return body + "10X98765432"[total % 11]


def check_id_number(number: str, birth_date: dt.date | None = None, gender: str | None = None,
                    kind: str | None = None) -> str | None:
    """GB 11643: 18 characters, a province prefix (or 81/82/83 for a 港澳台 residence permit, 9 +
    province for a foreign permanent resident), a real birth date, the ISO 7064 check digit;
    and agreement with the given birth date, gender and 证件类型 when those are known."""
    n = normalise_id(number)
    if not _ID_SHAPE.fullmatch(n):
        return "身份证号应为18位（前17位数字，最后一位数字或X）"
    found = id_kind_of(n)
    if found is None:
        return "身份证号前两位不是省级行政区代码（港澳台居民居住证以81、82、83开头，外国人永久居留身份证以9开头）"
    born = id_birth_date(n)
    if born is None:
        return "身份证号中的出生日期不存在"
    if born > dt.date.today() or born.year < 1900:
        return "身份证号中的出生日期不合理"
    if not id_check_digit_ok(n):
        return "身份证号校验位不正确（可能有数字录错）"
    if birth_date is not None:
        if (birth_date.year, birth_date.month) != (born.year, born.month):
            return "身份证号中的出生日期与出生年月不一致"
    if gender in ("1", "2") and id_gender(n) != gender:
        return "身份证号中的性别与填写的性别不一致"
    if kind in ID_KIND_NAMES and kind != found:
        return f"号码是{ID_KIND_NAMES[found]}的号码，与证件类型“{ID_KIND_NAMES[kind]}”不一致"
    return None


def check_mobile(number: str) -> str | None:
    n = _MOBILE_JUNK.sub("", number if isinstance(number, str) and number.isascii() else _ascii(number))
    if n.startswith("+86"):
        n = n[3:]
    if not _MOBILE.fullmatch(n):
        return "手机号码应为11位数字，以13–19开头"
    return None


def check_phone(number: str) -> str | None:
    n = _WHITESPACE.sub("", number if isinstance(number, str) and number.isascii() else _ascii(number))
    if check_mobile(n) is None or _PHONE.fullmatch(n):
        return None
    return "电话号码格式不正确（手机11位，固话如 0830-1234567）"


def check_uscc(code: str, category: str | None = None) -> str | None:
    """GB 32100 unified social credit code; ``category`` the first two characters expected
    (51 社会团体, 71 宗教活动场所), checked only when given."""
    c = _ascii(code).strip().upper()
    try:
        uscc.validate(c)
    except stdnum_exc.InvalidLength:
        return "统一社会信用代码应为18位"
    except stdnum_exc.ValidationError:
        return "统一社会信用代码无效（校验位或字符不正确）"
    if category and not c.startswith(category):
        return f"统一社会信用代码前两位应为 {category}"
    return None


def check_site_reg(number: str) -> str | None:
    if not _SITE_REG.fullmatch(_ascii(number).strip()):
        return "登记证号格式应如 宗场证字(渝)F000140001（宗教字母 T/J/F/D/Y 加9位数字）"
    return None


def check_village(code: str, county_code: str | None = None) -> str | None:
    c = str(code).strip()
    if not _VILLAGE.fullmatch(c):
        return "村(社区)代码应为12位数字"
    if county_code and not c.startswith(county_code):
        return "村(社区)不属于本县"
    return None


RELIGION_LETTER = {"F": "1", "D": "2", "Y": "3", "T": "4", "J": "5"}  # 登记证号字母 → religion code

TYPE_VALIDATORS = {
    "idcard": check_id_number,
    "mobile": check_mobile,
    "phone": check_phone,
    "uscc": check_uscc,
    "site_reg": check_site_reg,
    "village": check_village,
}
