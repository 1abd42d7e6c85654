"""The demo county: a fictitious 青岚湖县 with every ledger filled, for training and trials.

Everything comes from one ``random.Random(seed)``: the same seed gives the same records and
the same UUIDs (dates are placed relative to today, so that the monthly report has figures).
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import random
import uuid as uuidlib
from collections.abc import Callable

from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_2

from ..domain.codes import join_multi
from ..store.db import Store
from ..store.records import bulk_insert

COUNTY_CODE = "519999"  # 51 = 四川; 99 / 99 is no real prefecture / county
COUNTY_NAME = "青岚湖县"
COUNTY_SHORT = "青岚湖"
PROVINCE_SHORT = "川"
CHUNK = 5000
NAME_POOL = 7000  # distinct names drawn per gender
USER = "演示数据"

TOWNSHIP_NAMES = (
    "城关街道", "湖滨街道", "东岚街道", "白鹤镇", "青石镇", "龙泉镇", "金凤镇", "双河镇", "桂花镇", "石桥镇",
    "新店镇", "马鞍镇", "清溪镇", "柏林镇", "永兴镇", "太平镇", "三合乡", "云峰乡", "回龙乡", "红岩乡",
)
_VILLAGE_STEMS = (
    "红星 光明 新华 长岭 五一 团结 先锋 和平 大树 狮子 凤凰 黄桷 青杠 柏杨 杨柳 花椒 桃园 梨花 竹林 松林 "
    "石龙 龙井 鹤鸣 玉泉 金鸡 银杏 双桥 高峰 白果 新民 同心 胜利 向阳 民主 永安 复兴 兴隆 齐心 石堰 水井 "
    "观音 茶园 荷花 枫树 桥湾 河坝 沙坝 岩口 坪上 庙坝"
).split()
_COMMUNITY_STEMS = "滨湖 文昌 学府 锦绣 花园 东岚 广场 新城 翠苑 朝阳 紫薇 岚湾 金港 惠民".split()

# Surnames with rough frequencies (per mille of the population).
_SURNAMES = (
    ("王", 71), ("李", 70), ("张", 68), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 22), ("吴", 20),
    ("周", 19), ("徐", 15), ("孙", 15), ("马", 14), ("朱", 13), ("胡", 13), ("郭", 12), ("何", 12), ("高", 11),
    ("林", 11), ("罗", 11), ("郑", 9), ("梁", 8), ("谢", 8), ("宋", 7), ("唐", 7), ("许", 6), ("韩", 6), ("冯", 6),
    ("邓", 6), ("曹", 6), ("彭", 5), ("曾", 5), ("肖", 5), ("田", 5), ("董", 5), ("袁", 5), ("潘", 4), ("于", 4),
    ("蒋", 4), ("蔡", 4), ("余", 4), ("杜", 4), ("叶", 4), ("程", 4), ("苏", 3), ("魏", 3), ("吕", 3), ("丁", 3),
    ("任", 3), ("沈", 3), ("姚", 3), ("卢", 3), ("姜", 3), ("崔", 3), ("钟", 3), ("谭", 3), ("陆", 2), ("汪", 2),
    ("范", 2), ("金", 2), ("石", 2), ("廖", 2), ("贾", 2), ("夏", 2), ("韦", 2), ("付", 2), ("方", 2), ("白", 2),
    ("邹", 2), ("孟", 2), ("熊", 2), ("秦", 2), ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("段", 2), ("雷", 2),
    ("侯", 2), ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2), ("郝", 2), ("龚", 2),
    ("邵", 2), ("万", 2), ("冉", 1), ("蒲", 1), ("母", 1), ("敬", 1), ("欧阳", 0.6), ("司马", 0.2), ("诸葛", 0.1),
)
_MALE_CHARS = (
    "伟伟伟伟伟伟强军平斌勇杰涛明超刚华建国志军文东林鹏辉波宇浩俊峰磊洪亮成江海兵德清春晓荣新永宏"
    "光天正飞龙云川家树良学祥福贵忠泽宁旭阳胜利昌茂远锋彬"
)
_FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞燕玲英秀华红梅琳雪慧颖婷琴蓉丹萍洁兰倩玉佳欣怡月凤莉琼晶薇淑珍瑶婧雯伟"
)
_MINORITIES = (("07", 30), ("04", 20), ("33", 15), ("03", 12), ("06", 8), ("15", 8), ("08", 4), ("11", 3))
_DEMOCRATIC = ("04", "05", "06", "07", "08", "09", "10", "11")
_PARTY_WEIGHTS = (
    ("04", 5), ("05", 10), ("06", 9), ("07", 8), ("08", 8), ("09", 5), ("10", 6), ("11", 1), ("12", 22), ("13", 26),
)
_PARTY_SHORT = {
    "04": "民革", "05": "民盟", "06": "民建", "07": "民进", "08": "农工党", "09": "致公党", "10": "九三学社", "11": "台盟",
}
_LEADERS = ("周建华（县委书记）", "李明远（县长）", "王立新（县委常委、统战部部长）", "陈晓梅（县政协主席）",
            "杨德全（县人大常委会主任）", "赵志刚（县委副书记）", "刘红（副县长）", "黄国强（县政协副主席）")
_DEPARTMENTS = (
    "县农业农村局", "县教育局", "县卫生健康局", "县住房和城乡建设局", "县交通运输局", "县文化广播电视和旅游局",
    "县生态环境局", "县民政局", "县人力资源和社会保障局", "县市场监督管理局", "县自然资源局", "县水利局",
    "县经济和信息化局", "县发展和改革局", "县商务局", "县应急管理局", "县林业局", "县财政局",
)
_COMPANY_WORDS = "鑫达 宏源 川岚 金穗 恒通 华茂 兴盛 瑞丰 顺安 汇通 博远 天府 佳禾 润田 盛世 永丰 蓝湖 鼎盛 众诚 德隆".split()
_COMPANY_TRADES = (
    "农业科技", "花椒种植专业合作社", "建筑工程", "食品", "商贸", "物流", "旅游开发", "电子科技", "生态农业",
    "茶业", "酒业", "建材", "房地产开发", "医药连锁", "机械制造", "餐饮管理", "网络科技", "新能源",
)
_EMPTY: tuple = ()


def _weighted(pairs):
    values = [p[0] for p in pairs]
    cum, total = [], 0.0
    for _, w in pairs:
        total += w
        cum.append(total)
    return values, cum


def _cn_num(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    if n < 20:
        return "十" + digits[n - 10]
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _month_start(d: dt.date, back: int) -> dt.date:
    """First day of the month ``back`` months before the month of ``d``."""
    m = d.year * 12 + d.month - 1 - back
    return dt.date(m // 12, m % 12 + 1, 1)


def _org_code(rng: random.Random) -> str:
    """A GB 11714 organisation code (8 digits and its check character)."""
    body = f"{rng.randrange(10**7, 10**8)}"
    s = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    c = 11 - s % 11
    return body + ("X" if c == 10 else "0" if c == 11 else str(c))


def townships_lacking_committee(seed: int = 20261123) -> list[str]:
    """The codes of the three townships the demo county leaves without a 统战委员 (a gap
    the 统战干部配备情况表 must show); they depend on the seed only."""
    rng = random.Random(f"{seed}:committee-gaps")
    return sorted(f"{COUNTY_CODE}{i:03d}" for i in rng.sample(range(1, len(TOWNSHIP_NAMES) + 1), 3))


class _Demo:
    def __init__(self, seed: int, size: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.size = size
        self.today = dt.date.today()
        self.last_month_end = _month_start(self.today, 0) - dt.timedelta(days=1)
        self.ids: set[str] = set()
        self.usccs: set[str] = set()
        self.rows: dict[str, list[dict]] = {}
        self.surnames, self.surname_cum = _weighted(_SURNAMES)
        self.name_pool = {g: sorted({self._fresh_name(g) for _ in range(NAME_POOL)}) for g in ("1", "2")}

    # -- helpers --------------------------------------------------------------------------------
    def uid(self) -> str:
        return str(uuidlib.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, table: str, row: dict) -> dict:
        self.rows.setdefault(table, []).append(row)
        return row

    def day_between(self, a: dt.date, b: dt.date) -> dt.date:
        if b <= a:
            return a
        return a + dt.timedelta(days=self.rng.randrange((b - a).days + 1))

    def mobile(self) -> str:
        r = self.rng
        return f"1{r.choice('3456789')}{r.randrange(10**9):09d}"

    def landline(self) -> str:
        return f"0839-{self.rng.randrange(2000000, 9000000)}"

    def id_number(self, birth: dt.date, gender: str) -> str:
        r = self.rng
        while True:
            seq = r.randrange(500) * 2 + (1 if gender == "1" else 0)
            body = f"{COUNTY_CODE}{birth:%Y%m%d}{seq:03d}"
            number = body + mod_11_2.calc_check_digit(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def credit_code(self, prefix: str) -> str:
        while True:
            body = prefix + COUNTY_CODE + _org_code(self.rng)
            code = body + uscc.calc_check_digit(body)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def person_name(self, gender: str) -> str:
        """A name from a fixed pool per gender: duplicates as in any county (many 王伟), and
        few distinct names for the store's sort keys to compute."""
        return self.rng.choice(self.name_pool[gender])

    def _fresh_name(self, gender: str) -> str:
        r = self.rng
        surname = r.choices(self.surnames, cum_weights=self.surname_cum)[0]
        chars = _MALE_CHARS if gender == "1" else _FEMALE_CHARS
        if len(surname) == 1 and r.random() < 0.22:
            return surname + r.choice(chars)
        return surname + r.choice(chars) + r.choice(chars)

    # -- places ---------------------------------------------------------------------------------
    def places(self):
        r = self.rng
        self.townships = [(f"{COUNTY_CODE}{i:03d}", n) for i, n in enumerate(TOWNSHIP_NAMES, 1)]
        self.villages: list[tuple[str, str]] = []
        self.villages_of: dict[str, list[tuple[str, str]]] = {}
        for code, name in self.townships:
            n = r.randint(5, 15)
            street = name.endswith("街道")
            stems = r.sample(_VILLAGE_STEMS, n)
            cstems = r.sample(_COMMUNITY_STEMS, min(n, len(_COMMUNITY_STEMS)))
            vs = []
            for j in range(n):
                community = (street and j < max(3, n - 2)) or (not street and j == 0)
                if community:
                    vname = (cstems[j % len(cstems)] if street else name[:2]) + "社区"
                else:
                    vname = stems[j] + "村"
                vs.append((f"{code}{j + 1:03d}", vname))
            self.villages_of[code] = vs
            self.villages += vs
        self.tname = dict(self.townships)
        self.vname = dict(self.villages)

    def address(self, township: str | None) -> str:
        r = self.rng
        if township is None or r.random() < 0.3:
            street = r.choice(("岚湖大道", "人民路", "滨湖路", "文昌街", "建设路", "新华街", "花椒大道", "府前街"))
            return f"{COUNTY_NAME}{street}{r.randint(1, 399)}号"
        vcode, vname = r.choice(self.villages_of[township])
        if vname.endswith("社区"):
            return f"{COUNTY_NAME}{self.tname[township]}{vname}{r.randint(1, 30)}栋{r.randint(1, 6)}单元"
        return f"{COUNTY_NAME}{self.tname[township]}{vname}{r.randint(1, 12)}组{r.randint(1, 80)}号"

    # -- representatives ------------------------------------------------------------------------
    def _employment(self, township: str | None, party: str, ethnicity: str):
        """(employer, position, pro_title, education, extra kinds, flags)."""
        r = self.rng
        tn = self.tname.get(township, "") if township else ""
        place = tn[:-2] if tn.endswith("街道") else tn[:-1] if tn else COUNTY_SHORT
        roll = r.random()
        if roll < 0.17:
            unit = r.choice(("县人民医院", "县中医医院", "县妇幼保健院", f"{tn}卫生院" if tn else "县疾病预防控制中心"))
            pos, title = r.choice((("主治医师", "主治医师"), ("副主任医师", "副主任医师"), ("科主任", "主任医师"),
                                   ("护士长", "主管护师"), ("医师", "医师"), ("副院长", "副主任医师")))
            return unit, pos, title, r.choice(("21", "21", "21", "14", "31")), ["03"], None
        if roll < 0.34:
            unit = r.choice(("县第一中学", "县第二中学", "县职业高级中学", "县实验小学", f"{place}中学", f"{place}小学"))
            pos, title = r.choice((("教师", "一级教师"), ("教师", "高级教师"), ("教研组长", "高级教师"),
                                   ("副校长", "高级教师"), ("教师", "二级教师"), ("教导主任", "一级教师")))
            return unit, pos, title, r.choice(("21", "21", "21", "31", "14")), ["03"], None
        if roll < 0.55:
            unit = f"{COUNTY_SHORT if r.random() < 0.6 else place}{r.choice(_COMPANY_WORDS)}{r.choice(_COMPANY_TRADES)}"
            if not unit.endswith("合作社"):
                unit += "有限公司"
            pos = r.choice(("董事长", "总经理", "董事长兼总经理", "副总经理", "执行董事", "理事长" if "合作社" in unit else "财务总监"))
            return unit, pos, None, r.choice(("21", "31", "31", "60", "40", "14")), ["06"], None
        if roll < 0.62:
            unit = f"{place}{r.choice(('个体工商户', '农家乐', '家庭农场', '超市', '餐馆'))}"
            return unit, "经营者", None, r.choice(("60", "40", "70", "31")), ["06"], None
        if roll < 0.70:
            unit, pos, title = r.choice(((f"四川{r.choice(_COMPANY_WORDS)}律师事务所", "律师", "执业律师"),
                                         (f"四川{r.choice(_COMPANY_WORDS)}律师事务所", "主任", "一级律师"),
                                         (f"{COUNTY_SHORT}{r.choice(_COMPANY_WORDS)}会计师事务所", "注册会计师", "中级会计师"),
                                         ("县融媒体中心", "记者", "主任记者"),
                                         (f"{COUNTY_SHORT}{r.choice(_COMPANY_WORDS)}网络科技有限公司", "主播", None),
                                         ("县社会工作服务中心", "社会工作者", "助理社会工作师")))
            return unit, pos, title, r.choice(("21", "21", "31", "14")), ["07"], None
        if roll < 0.78:
            unit = r.choice(_DEPARTMENTS)
            pos = r.choice(("副局长", "副局长", "总工程师", "股长", "科员"))
            flags = None
            if pos in ("副局长", "总工程师") and party != "13":
                flags = "cadre"
            title = r.choice((None, "高级农艺师", "工程师", "经济师"))
            return unit, pos, title, r.choice(("21", "14", "21")), ["03"], flags
        if roll < 0.81:
            unit, pos = r.choice(((f"{r.choice(('云峰', '灵泉', '慈云', '圆觉'))}寺", "住持"), ("青云观", "道长"),
                                  ("县基督教堂", "牧师"), ("县天主堂", "神父"), ("县佛教协会", "副会长")))
            return unit, pos, None, r.choice(("31", "60", "21")), ["05"], None
        if roll < 0.86:
            unit = r.choice(("县农业技术推广中心", "县农业科学研究所", "县林业和草原技术服务站", "县文化馆", "县图书馆"))
            pos, title = r.choice((("农艺师", "高级农艺师"), ("研究员", "副研究员"), ("馆员", "副研究馆员"), ("工程师", "高级工程师")))
            return unit, pos, title, r.choice(("21", "14", "11")), ["03"], None
        if roll < 0.92 and township:
            vname = r.choice(self.villages_of[township])[1]
            unit = f"{tn}{vname}"
            return unit, r.choice(("种养大户", "乡村医生", "乡贤", "返乡创业人员")), None, r.choice(("60", "70", "40", "31")), [], None
        unit = r.choice(("自由职业", "县作家协会", "县书法家协会", "县美术家协会", "退休"))
        return unit, r.choice(("会员", "副主席", "自由撰稿人", "")) or None, None, r.choice(("21", "31", "60")), ["07"], None

    def representatives(self):
        r = self.rng
        size = self.size
        today = self.today
        start = dt.date(2010, 1, 1)
        recent_from = _month_start(today, 12)
        n_recent = min(size // 2, max(36, int(size * 0.18)))
        townships = [c for c, _ in self.townships]
        party_vals, party_cum = _weighted(_PARTY_WEIGHTS)
        minority_vals, minority_cum = _weighted(_MINORITIES)
        # The recently recognised, spread over the roster; round-robin over the last 12 months.
        recent = {i: j for j, i in enumerate(sorted(r.sample(range(size), n_recent)))}
        reps = []
        for i in range(size):
            gender = "1" if r.random() < 0.68 else "2"
            name = self.person_name(gender)
            ethnicity = "01" if r.random() < 0.93 else r.choices(minority_vals, cum_weights=minority_cum)[0]
            age_days = r.randrange(25 * 366, 80 * 365)
            birth = today - dt.timedelta(days=age_days)
            party = r.choices(party_vals, cum_weights=party_cum)[0]
            township = None if r.random() < 0.18 else r.choice(townships)
            employer, position, pro_title, education, extra, flags = self._employment(township, party, ethnicity)
            kinds = set(extra)
            if party in _DEMOCRATIC:
                kinds.add("01")
            elif party == "12":
                kinds.add("02")
            if ethnicity != "01":
                kinds.add("04")
            if education in ("11", "14", "21") and "03" not in kinds and r.random() < 0.3:
                kinds.add("03")
            x = r.random()
            if x < 0.04:
                kinds.add("08")
            elif x < 0.05:
                kinds.add("09")
            elif x < 0.06:
                kinds.add("10")
            elif x < 0.09:
                kinds.add("11")
            if not kinds:
                kinds.add("12")
            degree = {"11": "1", "14": "2", "21": "3"}.get(education) or ("9" if r.random() < 0.5 else None)
            adult = _add_years(birth, 23)
            if i in recent:
                month = _month_start(today, 12 - (recent[i] % 12))
                recognized = month + dt.timedelta(days=r.randrange(calendar.monthrange(month.year, month.month)[1]))
            else:
                recognized = self.day_between(max(start, adult), max(start, adult, recent_from - dt.timedelta(days=1)))
            status, left_on, left_reason = "1", None, None
            x = r.random()
            if x < 0.08 and i not in recent:
                status = "2"
                left_on = self.day_between(recognized + dt.timedelta(days=180), today - dt.timedelta(days=1))
                left_reason = r.choice(("工作调动，迁出本县", "年龄原因", "本人申请", "加入中国共产党", "不再符合条件"))
                if left_reason == "加入中国共产党":
                    party = "01"
                    kinds.discard("01")
                    kinds.discard("02")
                    kinds = kinds or {"12"}
            elif x < 0.10 and i not in recent:
                status = "3"
                left_on = self.day_between(recognized + dt.timedelta(days=90), today - dt.timedelta(days=1))
                left_reason = "病故"
            party_joined = None
            if party in _DEMOCRATIC:
                party_joined = self.day_between(_add_years(birth, 22), min(today, _add_years(birth, 60)))
            row = {
                "uuid": self.uid(),
                "township": township,
                "name": name,
                "gender": gender,
                "ethnicity": ethnicity,
                "birth_date": birth,
                "native_place": r.choice(("四川青岚湖", "四川青岚湖", "四川青岚湖", "四川成都", "四川南充", "四川绵阳",
                                          "重庆", "四川达州", "四川广元", "湖北宜昌", "陕西汉中")),
                "id_number": self.id_number(birth, gender),
                "id_kind": "1",  # 居民身份证: what the number's prefix says (domain.validate.complete)
                "party": party,
                "party_joined": party_joined,
                "education": education,
                "degree": degree,
                "pro_title": pro_title,
                "employer": employer,
                "position": position,
                "kinds": join_multi(sorted(kinds)),
                "mobile": self.mobile(),
                "address": self.address(township),
                "status": status,
                "recognized_on": recognized,
                "left_on": left_on,
                "left_reason": left_reason,
                "sort_no": r.randint(1, 500) if r.random() < 0.1 else None,
            }
            if flags == "cadre":
                row["nonparty_cadre"] = True
                row["cadre_rank"] = r.choice(("3", "4", "4"))
                row["reserve"] = r.random() < 0.3
            elif r.random() < 0.01:
                row["reserve"] = True
            if r.random() < 0.05:
                row["contact_leader"] = r.choice(_LEADERS)
            if r.random() < 0.08:
                row["resume"] = (
                    f"{birth.year + 22}年7月参加工作；{recognized.year}年起任{employer}{position or '职工'}。"
                )
            reps.append(self.add("representatives", row))
        self.reps = reps
        self.active = [p for p in reps if p["status"] == "1"]
        self.by_kind: dict[str, list[dict]] = {}
        self.by_party: dict[str, list[dict]] = {}
        for p in self.active:
            for k in p["kinds"].strip(",").split(","):
                self.by_kind.setdefault(k, []).append(p)
            self.by_party.setdefault(p["party"], []).append(p)
        self._rep_subs()

    def _rep_subs(self):
        r = self.rng
        today = self.today
        self.deputies: dict[str, list[dict]] = {"1": [], "2": []}
        level_of = {"1": ((1, 1), (2, 3), (3, 10), (4, 45), (5, 41)), "2": ((1, 1), (2, 3), (3, 14), (4, 82))}
        level_cum = {b: _weighted([(str(lv), w) for lv, w in pairs]) for b, pairs in level_of.items()}
        for p in self.reps:
            since = p["recognized_on"]
            end = p["left_on"] or today
            x = r.random()
            if x < 0.16:
                held = set()  # (body, level, term): the same term is never entered twice
                for _ in range(r.choice((1, 1, 1, 2))):
                    body = "2" if r.random() < 0.55 else "1"
                    vals, cum = level_cum[body]
                    level = r.choices(vals, cum_weights=cum)[0]
                    first = 2022 if body == "2" else 2021
                    if r.random() < 0.3:
                        first -= 5
                    if level == "5":
                        first = 2021 if first >= 2021 else 2016
                    elected = dt.date(first, 12 if body == "1" else 1, r.randint(5, 25))
                    term_no = (10 if body == "2" else 18) - (1 if first < 2020 else 0)
                    if level in ("1", "2", "3"):
                        term_no = 14 - (1 if first < 2020 else 0)
                    if level == "5":
                        term_no = 8 if first >= 2021 else 7
                    if (body, level, term_no) in held:
                        continue
                    held.add((body, level, term_no))
                    row = {
                        "uuid": self.uid(),
                        "parent": p["uuid"],
                        "township": p["township"],
                        "body": body,
                        "level": level,
                        "term": f"第{_cn_num(term_no)}届",
                        "elected_on": elected,
                        "term_end": _add_years(elected, 5),
                        "standing": body == "2" and level == "4" and r.random() < 0.15,
                    }
                    self.add("rep_arrangements", row)
                    if p["status"] == "1" and row["term_end"] > today:
                        self.deputies[body].append(p)
            if r.random() < 0.2:
                for _ in range(r.randint(1, 2)):
                    s = self.day_between(since, end)
                    course, org = r.choice(((f"{COUNTY_NAME}党外代表人士培训班", "县委统战部"),
                                            ("党外干部理论研修班", "四川省社会主义学院"),
                                            ("非公有制经济人士理想信念教育培训", "县工商联"),
                                            ("新的社会阶层人士培训班", "市委统战部"),
                                            ("民主党派成员履职能力提升培训", "市社会主义学院"),
                                            ("参政议政能力培训班", "县政协")))
                    self.add("rep_trainings", {"uuid": self.uid(), "parent": p["uuid"], "township": p["township"],
                                               "start_on": s, "end_on": s + dt.timedelta(days=r.randint(0, 5)),
                                               "course": course, "organiser": org})
            if r.random() < 0.25:
                for _ in range(r.randint(1, 3)):
                    self.add("rep_visits", {
                        "uuid": self.uid(), "parent": p["uuid"], "township": p["township"],
                        "visit_on": self.day_between(since, end),
                        "visitor": r.choice(_LEADERS).split("（")[0],
                        "content": r.choice(("走访谈心，了解企业生产经营情况和困难诉求。",
                                             "节日慰问，听取对县委县政府工作的意见建议。",
                                             "交流思想，通报全县经济社会发展情况。",
                                             "了解家庭和工作情况，鼓励其积极建言献策。",
                                             "就优化营商环境征求意见。")),
                    })
            if r.random() < 0.08:
                self.add("rep_honours", {
                    "uuid": self.uid(), "parent": p["uuid"], "township": p["township"],
                    "award_on": self.day_between(since, end),
                    "honour": r.choice(("优秀政协委员", "优秀人大代表", "全县优秀民营企业家", "参政议政先进个人",
                                        "光彩事业先进个人", "民族团结进步模范个人", "优秀教师", "最美乡贤")),
                    "grantor": r.choice(("县委、县政府", "县政协", "县人大常委会", "市委统战部", "县工商联")),
                })
            if p.get("nonparty_cadre") and r.random() < 0.4:
                s = self.day_between(since, end)
                self.add("rep_secondments", {
                    "uuid": self.uid(), "parent": p["uuid"], "township": p["township"],
                    "unit": r.choice((f"{r.choice(TOWNSHIP_NAMES)}人民政府", "县发展和改革局", "市农业农村局")),
                    "post": r.choice(("副镇长", "副局长", "局长助理")),
                    "start_on": s, "end_on": _add_years(s, 1),
                })

    def pick(self, pool: list[dict], k: int) -> list[dict]:
        pool = pool or self.active or self.reps
        if k >= len(pool):
            return list(pool)
        return self.rng.sample(pool, k)

    # -- chambers -------------------------------------------------------------------------------
    def chambers(self):
        r = self.rng
        tn = self.tname
        specs: list[tuple[str, str, str, str | None, str]] = [
            (f"{COUNTY_NAME}工商业联合会", "01", "1", None, "06"),
            (f"{COUNTY_NAME}总商会青年企业家分会", "01", "1", None, "06"),
        ]
        for city in ("成都", "重庆", "南充", "浙江", "福建", "广东"):
            specs.append((f"{city}{COUNTY_SHORT}商会", "02", "1", None, "06"))
        for trade in ("花椒协会", "餐饮协会", "个体劳动者协会", "茶叶商会", "建筑业商会", "物流协会", "民宿协会"):
            specs.append((f"{COUNTY_NAME}{trade}", "03", "1", None, "06"))
        for code, name in self.townships[:8]:
            specs.append((f"{name}商会", "04", "2", code, "06"))
        specs.append((f"{COUNTY_NAME}乡贤联谊会", "05", "1", None, "12"))
        for code, name in self.townships[8:14]:
            specs.append((f"{name}乡贤联谊会", "05", "2", code, "12"))
        for code, _ in self.townships[14:17]:
            vcode, vname = self.villages_of[code][-1]
            specs.append((f"{tn[code]}{vname}乡贤理事会", "05", "3", code, "12"))
        specs += [(f"{COUNTY_NAME}新的社会阶层人士联谊会", "06", "1", None, "07"),
                  (f"{COUNTY_NAME}网络人士联谊会", "06", "1", None, "07"),
                  (f"{COUNTY_NAME}党外知识分子联谊会", "07", "1", None, "03")]
        for party in ("05", "06", "07", "08", "10"):
            specs.append((f"{_PARTY_SHORT[party]}{COUNTY_NAME}支部", "08", "1", None, "p" + party))
        for name, kind, level, township, pool_key in specs:
            pool = self.by_party.get(pool_key[1:], []) if pool_key.startswith("p") else self.by_kind.get(pool_key, [])
            members = self.pick(pool, r.randint(8, 40))
            leader = members[0] if members else None
            founded = dt.date(r.randint(1990 if kind in ("01", "08") else 2005, 2023), r.randint(1, 12), r.randint(1, 28))
            uid = self.uid()
            party_org = kind == "08"
            self.add("chambers", {
                "uuid": uid,
                "township": township,
                "name": name,
                "kind": kind,
                "level": level,
                "founded_on": founded,
                "credit_code": None if party_org or level == "3" else self.credit_code("51"),
                "leader": leader["name"] if leader else self.person_name("1"),
                "leader_ref": leader["uuid"] if leader else None,
                "secretary": self.person_name(r.choice("12")),
                "member_count": max(len(members), r.randint(len(members), len(members) * 3 + 20)),
                "address": self.address(township),
                "phone": self.landline() if r.random() < 0.7 else self.mobile(),
                "party_building": None if party_org else r.choice(("已建立党支部", "已建立联合党支部", "党建工作指导员联系",
                                                                   "已建立党的工作小组", "尚未建立党组织")),
                "status": "1" if r.random() < 0.92 else "2",
            })
            for j, m in enumerate(members):
                role = "1" if j == 0 else "2" if j <= 3 else "3" if j == 4 else "4" if j <= 10 else "5"
                self.add("chamber_members", {
                    "uuid": self.uid(), "parent": uid, "township": township, "member": m["uuid"], "role": role,
                    "joined_on": self.day_between(max(founded, m["recognized_on"]), self.today),
                })
            if r.random() < 0.3:
                self.add("chamber_members", {"uuid": self.uid(), "parent": uid, "township": township,
                                             "member_name": self.person_name(r.choice("12")), "role": "5",
                                             "joined_on": self.day_between(founded, self.today)})

    # -- religious sites ------------------------------------------------------------------------
    def sites(self):
        r = self.rng
        today = self.today
        specs = []  # (name stem, religion, letter, site_type)
        buddhist = "观音 云峰 灵泉 慈云 圆觉 清凉 金华 双峰 报恩 福寿 宝林 万佛 龙兴 永庆 石佛 铁佛 白塔 莲花 香林 紫竹 崇福 圣水 华严 罗汉".split()
        for stem in buddhist:
            specs.append((f"{stem}寺", "1", "F", "1"))
        for stem in ("白衣", "净土", "观音", "莲池", "静修", "青莲"):
            specs.append((f"{stem}庵", "1", "F", "2" if r.random() < 0.5 else "1"))
        for stem in ("青云观", "玉皇观", "三清宫", "老君宫", "真武宫", "紫阳观", "文昌宫", "东岳观", "二郎庙", "川主宫", "吕祖观", "灵官庙"):
            specs.append((stem, "2", "D", "1"))
        protestant = [("县城基督教堂", "1")]
        protestant += [(f"{n[:-1] if n.endswith('镇') or n.endswith('乡') else n[:-2]}基督教堂", "1") for n in TOWNSHIP_NAMES[3:8]]
        protestant += [(None, "2")] * 6
        for stem, typ in protestant:
            specs.append((stem, "5", "J", typ))
        for stem in ("县城天主堂", "白鹤天主堂", "龙泉天主堂", "青石天主堂"):
            specs.append((stem, "4", "T", "1"))
        specs += [("城关清真寺", "3", "Y", "1"), ("回龙清真寺", "3", "Y", "1")]
        townships = [c for c, _ in self.townships]
        sites = []
        for i, (stem, religion, letter, site_type) in enumerate(specs, 1):
            township = r.choice(townships)
            vcode, vname = r.choice(self.villages_of[township])
            name = stem or f"{vname}基督教聚会点"
            uid = self.uid()
            management = {"1": "寺务管理委员会", "2": "道观管理委员会", "3": "清真寺民主管理委员会",
                          "4": "堂务管理委员会", "5": "堂务管理小组"}[religion]
            row = self.add("sites", {
                "uuid": uid,
                "township": township,
                "name": name,
                "religion": religion,
                "site_type": site_type,
                "reg_no": f"宗场证字({PROVINCE_SHORT}){letter}{COUNTY_CODE}{i:03d}",
                "credit_code": self.credit_code("71"),
                "approved_on": dt.date(r.randint(1995, 2021), r.randint(1, 12), r.randint(1, 28)),
                "village": vcode,
                "address": f"{COUNTY_NAME}{self.tname[township]}{vname}{r.randint(1, 12)}组",
                "leader": ("释" + r.choice("妙慧宏明觉智") + r.choice("能空法心慈善")) if religion == "1"
                else self.person_name(r.choice("12")),
                "leader_phone": self.mobile(),
                "clergy_count": 0 if site_type == "2" else r.randint(1, 12),
                "believers": r.randint(30, 300) if site_type == "2" else r.randint(200, 5000),
                "management": management if site_type == "1" else "民主管理小组",
                "rating": r.choice(("1", "2", "3", "3", "4", "5", "6", "7", "9", "9")),
                "model_site": r.random() < 0.12,
                "status": "1",
            })
            sites.append(row)
            for _ in range(r.randint(1, 4)):
                self.add("site_inspections", {
                    "uuid": self.uid(), "parent": uid, "township": township,
                    "inspected_on": self.day_between(today - dt.timedelta(days=730), today - dt.timedelta(days=1)),
                    "inspectors": f"县委统战部{self.person_name('1')}、{self.person_name('2')}；{self.tname[township]}{self.person_name('1')}",
                    "findings": r.choice(("场所管理规范，消防设施完好。", "财务公开及时，民主管理制度落实。",
                                          "宗教活动正常有序，未发现违规情况。", "消防器材部分过期，已要求更换。",
                                          "香炉离木结构建筑较近，存在火灾隐患。", "安全通道堆放杂物，现场责令清理。",
                                          "大型活动未按规定报备，已批评教育。")),
                })
        issues = ("消防器材过期未更换", "香炉距离木结构殿堂过近", "财务账目不规范，收支未按月公开",
                  "未经审批新建附属建筑", "安全出口被杂物堵塞", "电线私拉乱接，存在用电隐患",
                  "民主管理组织换届逾期", "场所内摆放未经审核的印刷品", "大型宗教活动未按规定报备")
        measures = ("限期更换消防器材并开展消防演练", "迁移香炉，设置隔离区", "建立财务制度，每月张榜公开",
                    "停止建设，补办审批手续或拆除", "清理杂物，保持通道畅通", "请专业电工整改线路",
                    "指导完成民主管理组织换届", "收缴违规印刷品，加强教育", "补报备案，健全活动报备制度")
        overdue = set(r.sample(range(len(sites)), 6))
        for idx, site in enumerate(sites):
            plans = []
            if idx in overdue:
                plans.append("overdue")
            x = r.random()
            if x < 0.35:
                plans.append("closed")
            elif x < 0.5:
                plans.append("open")
            for plan in plans:
                k = r.randrange(len(issues))
                if plan == "overdue":
                    found = today - dt.timedelta(days=r.randint(60, 300))
                    deadline = found + dt.timedelta(days=r.randint(15, 45))
                    status, closed = "1", None
                elif plan == "open":
                    found = today - dt.timedelta(days=r.randint(1, 20))
                    deadline = today + dt.timedelta(days=r.randint(10, 60))
                    status, closed = "1", None
                else:
                    found = today - dt.timedelta(days=r.randint(60, 700))
                    deadline = found + dt.timedelta(days=r.randint(15, 60))
                    status, closed = "2", found + dt.timedelta(days=r.randint(5, (deadline - found).days))
                self.add("site_issues", {
                    "uuid": self.uid(), "parent": site["uuid"], "township": site["township"],
                    "found_on": found, "issue": issues[k], "measure": measures[k], "deadline": deadline,
                    "status": status, "closed_on": closed,
                })
                if status == "1" and r.random() < 0.5:
                    site["status"] = "2"
        for site in r.sample(sites, 2):
            site["status"] = "3"

    # -- proposals ------------------------------------------------------------------------------
    def proposals(self):
        r = self.rng
        today = self.today
        topics = {
            "1": ("花椒产业提质增效", "县域民营经济高质量发展", "优化营商环境", "破解中小微企业融资难题", "发展县域电子商务",
                  "推进文旅融合发展", "加快工业园区基础设施建设"),
            "2": ("加强基层协商民主建设", "提升政务服务便利化水平", "规范涉企行政执法"),
            "3": ("保护传承非物质文化遗产", "加强农村文化阵地建设", "挖掘青岚湖历史文化资源"),
            "4": ("加强农村留守儿童关爱保护", "推进城乡养老服务体系建设", "缓解县城停车难", "提升县域医疗服务能力",
                  "解决农村学校教师结构性缺编", "加强食品安全监管"),
            "5": ("加强青岚湖水环境保护", "推进农村生活污水治理", "加强森林防火", "推动秸秆综合利用"),
            "6": ("发展壮大村级集体经济", "培育新型农业经营主体", "吸引人才返乡创业", "推进高标准农田建设"),
            "9": ("加强网络意见人士联系服务", "发挥乡贤在基层治理中的作用"),
        }
        domain_vals, domain_cum = _weighted([("1", 24), ("2", 6), ("3", 8), ("4", 24), ("5", 10), ("6", 22), ("9", 6)])
        kinds = ["1"] * 60 + ["2"] * 35 + ["3"] * 30 + ["4"] * 12 + ["5"] * 13
        flow = ("10", "20", "21", "30", "40", "50", "60")
        numbers: dict[tuple[str, str], int] = {}
        bodies = [f"{_PARTY_SHORT[p]}{COUNTY_NAME}支部" for p in ("05", "06", "07", "08", "10")] + \
                 [f"{COUNTY_NAME}工商业联合会", f"{COUNTY_NAME}新的社会阶层人士联谊会"]
        n_overdue = 0
        for i, kind in enumerate(kinds):
            if kind in ("1", "2"):
                status = flow[i % 7] if i < 14 else r.choice(("60",) * 8 + ("30", "40", "50", "20", "21", "10"))
            else:
                status = r.choice(("10", "60", "60", "60"))
            domain = r.choices(domain_vals, cum_weights=domain_cum)[0]
            topic = r.choice(topics[domain])
            title = {"1": f"关于{topic}的提案", "2": f"关于{topic}的建议", "3": f"关于{topic}的情况反映",
                     "4": f"关于{topic}的调研报告", "5": f"关于{topic}的几点建议"}[kind]
            assigned = replied = closed = None
            if status == "10":
                submitted = today - dt.timedelta(days=r.randint(3, 40))
            elif status in ("20", "21"):
                submitted = today - dt.timedelta(days=r.randint(10, 60))
            elif status in ("30", "40", "50"):
                late = n_overdue < 5 or r.random() < 0.6
                if late:
                    n_overdue += 1
                    submitted = today - dt.timedelta(days=r.randint(130, 400))
                else:
                    submitted = today - dt.timedelta(days=r.randint(40, 80))
                assigned = submitted + dt.timedelta(days=r.randint(10, 25))
                if status == "50":
                    replied = min(today, assigned + dt.timedelta(days=r.randint(20, 80)))
            else:
                submitted = today - dt.timedelta(days=r.randint(120, 1000))
                if kind in ("1", "2"):
                    assigned = submitted + dt.timedelta(days=r.randint(10, 25))
                    replied = assigned + dt.timedelta(days=r.randint(20, 80))
                    closed = replied + dt.timedelta(days=r.randint(0, 10))
                else:
                    replied = submitted + dt.timedelta(days=r.randint(10, 60))
                    closed = replied
            year = submitted.year
            if kind == "1":
                session = f"{_cn_num(10 + (year - 2022) // 5)}届{_cn_num((year - 2022) % 5 + 1)}次"
            elif kind == "2":
                session = f"{_cn_num(18 + (year - 2022) // 5)}届{_cn_num((year - 2022) % 5 + 1)}次"
            else:
                session = f"{year}年"
            numbers[(kind, session)] = numbers.get((kind, session), 0) + 1
            mode = r.choice(("1", "1", "1", "2", "2", "3")) if kind in ("1", "2", "5") else r.choice(("1", "1", "3"))
            pool = self.deputies[{"1": "2", "2": "1"}[kind]] if kind in ("1", "2") else None
            proposers = [] if mode == "3" else self.pick(pool or self.active, 1 if mode == "1" else r.randint(2, 5))
            uid = self.uid()
            row = {
                "uuid": uid,
                "township": None,
                "title": title,
                "kind": kind,
                "mode": mode,
                "body": r.choice(bodies) if mode == "3" else None,
                "proposer_names": "、".join(p["name"] for p in proposers) or None,
                "session": session,
                "number": f"{numbers[(kind, session)]:03d}" if kind in ("1", "2") else None,
                "submitted_on": submitted,
                "domain": domain,
                "status": status,
                "assigned_on": assigned,
                "replied_on": replied,
                "closed_on": closed,
                "summary": f"针对{topic}方面存在的问题，提出了加强统筹、完善政策、强化保障等具体建议。",
            }
            if kind in ("1", "2") and status not in ("10", "20", "21"):
                row["host_unit"] = r.choice(_DEPARTMENTS)
                if r.random() < 0.5:
                    row["co_units"] = "、".join(r.sample(_DEPARTMENTS, 2))
            if kind in ("1", "2") and status in ("50", "60"):
                row["result"] = r.choice("AAABBBCD")
                row["satisfaction"] = r.choice("1111223")
            if kind in ("3", "4") and status == "60":
                row["adoption"] = r.choice(("0", "1", "1", "2", "2", "3", "4"))
                if row["adoption"] != "0" and r.random() < 0.5:
                    row["instruction"] = f"{r.choice(_LEADERS).split('（')[0]}批示：请相关部门研究落实。"
                if kind == "4" and r.random() < 0.4:
                    row["award"] = r.choice(("省参政议政优秀成果一等奖", "市参政议政优秀成果二等奖", "县优秀调研成果三等奖"))
            self.add("proposals", row)
            for j, p in enumerate(proposers):
                self.add("proposal_proposers", {"uuid": self.uid(), "parent": uid, "township": None,
                                                "person": p["uuid"], "lead": j == 0 and mode == "2"})

    # -- cadres ---------------------------------------------------------------------------------
    def _cadre(self, township, post, employer, other_post, appointed, left=None, village=None, fulltime="2"):
        r = self.rng
        gender = "1" if r.random() < 0.6 else "2"
        birth = self.today - dt.timedelta(days=r.randrange(24 * 366, 58 * 365))
        appointed = max(appointed, _add_years(birth, 22))
        uid = self.uid()
        self.add("cadres", {
            "uuid": uid, "township": township, "name": self.person_name(gender), "gender": gender,
            "birth_date": birth, "id_number": self.id_number(birth, gender), "id_kind": "1",
            "employer": employer, "village": village, "post": post, "fulltime": fulltime, "other_post": other_post,
            "appointed_on": appointed, "left_on": left, "phone": self.mobile(),
            "education": r.choice(("21", "21", "31", "14", "60") if post != "04" else ("31", "60", "40", "21")),
        })
        if r.random() < 0.4:
            for _ in range(r.randint(1, 2)):
                s = self.day_between(appointed, left or self.today)
                self.add("cadre_trainings", {
                    "uuid": self.uid(), "parent": uid, "township": township, "start_on": s,
                    "end_on": s + dt.timedelta(days=r.randint(0, 4)),
                    "course": r.choice(("全县统战干部业务培训班", "乡镇统战委员履职能力培训", "民族宗教工作专题培训",
                                        "统战理论政策学习班")),
                    "organiser": r.choice(("县委统战部", "市委统战部", "县委党校")),
                })

    def cadres(self):
        r = self.rng
        today = self.today
        dept = f"中共{COUNTY_NAME}委员会统一战线工作部"
        for other in ("常务副部长", "副部长", "副部长", "办公室主任", "民族宗教股股长", "党派和经济股股长", "科员", "科员"):
            self._cadre(None, "01", dept, other, self.day_between(dt.date(2012, 1, 1), today - dt.timedelta(days=60)),
                        fulltime="1")
        # One who moved on last year.
        self._cadre(None, "01", dept, "科员", dt.date(2019, 3, 1), left=today - dt.timedelta(days=r.randint(90, 400)),
                    fulltime="1")
        codes = [c for c, _ in self.townships]
        self.lacking_committee = townships_lacking_committee(self.seed)
        assert set(self.lacking_committee) <= set(codes)
        for code, name in self.townships:
            employer = f"中共{COUNTY_NAME}{name}{'工作委员会' if name.endswith('街道') else '委员会'}"
            if code not in self.lacking_committee:
                appointed = self.day_between(today - dt.timedelta(days=5 * 365), today - dt.timedelta(days=30))
                self._cadre(code, "02", employer, r.choice(("党委委员、宣传委员", "党委委员、组织委员", "党委委员")), appointed,
                            fulltime="1" if r.random() < 0.3 else "2")
                if r.random() < 0.4:  # a predecessor
                    self._cadre(code, "02", employer, "党委委员", appointed - dt.timedelta(days=r.randint(180, 1500)),
                                left=appointed - dt.timedelta(days=r.randint(1, 60)))
            elif r.random() < 0.7:  # the post fell vacant
                self._cadre(code, "02", employer, "党委委员、宣传委员",
                            today - dt.timedelta(days=r.randint(400, 900)), left=today - dt.timedelta(days=r.randint(20, 200)))
            if r.random() < 0.5:
                self._cadre(code, "03", f"{name}党政办公室", "宣传统战干事",
                            self.day_between(today - dt.timedelta(days=6 * 365), today - dt.timedelta(days=30)))
        self.lacking_liaison = []
        for vcode, vname in self.villages:
            code = vcode[:9]
            employer = f"{self.tname[code]}{vname}{'居民委员会' if vname.endswith('社区') else '村民委员会'}"
            if r.random() < 0.12:
                self.lacking_liaison.append(vcode)
                if r.random() < 0.5:
                    self._cadre(code, "04", employer, "村委会委员", today - dt.timedelta(days=r.randint(500, 1500)),
                                left=today - dt.timedelta(days=r.randint(10, 300)), village=vcode)
                continue
            appointed = self.day_between(today - dt.timedelta(days=6 * 365), today - dt.timedelta(days=15))
            self._cadre(code, "04", employer, r.choice(("村党支部副书记", "村委会副主任", "村委会委员", "社区居委会委员", "村文书")),
                        appointed, village=vcode)
        for post, employer in (("05", f"{COUNTY_NAME}经济开发区管理委员会"), ("06", f"{COUNTY_NAME}第一中学"),
                               ("06", f"{COUNTY_NAME}职业高级中学"), ("07", f"四川{COUNTY_SHORT}鑫达农业科技有限公司")):
            self._cadre(None, post, employer, "统战工作联络员",
                        self.day_between(today - dt.timedelta(days=4 * 365), today - dt.timedelta(days=30)))

    # -- activities -----------------------------------------------------------------------------
    def activities(self):
        r = self.rng
        kinds = {
            "01": ("{org}集中学习习近平总书记关于做好新时代党的统一战线工作的重要思想", "{org}开展统战理论政策学习"),
            "02": ("{org}举办党外代表人士培训班", "{org}举办非公有制经济人士培训"),
            "03": ("{org}召开党外人士座谈会", "{org}就民生实事项目开展协商议事"),
            "04": ("{org}组织党外人士视察乡村振兴工作", "{org}开展民营企业发展情况调研"),
            "05": ("{org}开展新春联谊活动", "{org}开展“同心”联谊交友活动"),
            "06": ("{org}开展捐资助学活动", "{org}组织“光彩行”义诊活动", "{org}开展送温暖慰问活动"),
            "07": ("{org}开展民族团结进步宣传月活动", "{org}开展“同心共筑中国梦”主题活动"),
            "08": ("{org}开展宗教活动场所安全检查", "{org}开展宗教活动场所消防安全排查"),
            "09": ("{org}召开统战工作会议", "{org}召开统战工作领导小组会议"),
        }
        kind_vals, kind_cum = _weighted([("01", 14), ("02", 8), ("03", 14), ("04", 10), ("05", 10), ("06", 14),
                                         ("07", 10), ("08", 10), ("09", 10)])
        county_orgs = ("县委统战部", "县委统战部", "县工商联", "县新联会", "县知联会", "民盟青岚湖县支部", "民建青岚湖县支部")
        by_kind = {"01": ("县委统战部", "县工商联", "民盟青岚湖县支部", "民进青岚湖县支部"),
                   "02": ("县委统战部", "县工商联"), "08": ("县委统战部", "县民族宗教事务局"),
                   "09": ("县委统战部", "县委统一战线工作领导小组办公室")}
        for back in range(12, 0, -1):
            month = _month_start(self.today, back)
            days = calendar.monthrange(month.year, month.month)[1]
            for _ in range(r.randint(15, 40)):
                kind = r.choices(kind_vals, cum_weights=kind_cum)[0]
                township = None if r.random() < 0.3 else r.choice(self.townships)[0]
                org = r.choice(by_kind.get(kind, county_orgs)) if township is None else self.tname[township]
                held = month + dt.timedelta(days=r.randrange(days))
                title = r.choice(kinds[kind]).format(org=org)
                place = (r.choice(("县委党校", "县行政中心会议室", "县工商联会议室", "县文化馆"))
                         if township is None else f"{self.tname[township]}{r.choice(('会议室', '便民服务中心', '文化广场'))}")
                if kind == "08" and township is not None:
                    place = f"{self.tname[township]}辖区宗教活动场所"
                uid = self.uid()
                people = self.pick(self.active if township is None else
                                   [p for p in self.active[:4000] if p["township"] == township] or self.active,
                                   r.randint(3, 12))
                row = {
                    "uuid": uid, "township": township, "held_on": held, "title": title, "kind": kind,
                    "organiser": org if township is None else f"{org}{'党工委' if org.endswith('街道') else '党委'}", "place": place,
                    "headcount": len(people) + r.randint(5, 100),
                    "summary": f"{title}，参加人员围绕主题深入交流，提出意见建议。",
                    "results": r.choice(("形成意见建议若干条", "增进了共识", "收集问题线索并交有关部门办理", "达到预期效果")),
                }
                if kind == "06" and "捐资" in title:
                    row["funds"] = round(r.uniform(0.5, 30.0), 1)
                    row["results"] = f"募集捐款{row['funds']}万元，资助困难学生{r.randint(5, 60)}名"
                self.add("activities", row)
                for p in people:
                    self.add("activity_participants", {"uuid": self.uid(), "parent": uid, "township": township,
                                                       "person": p["uuid"]})
                if r.random() < 0.2:
                    self.add("activity_participants", {"uuid": self.uid(), "parent": uid, "township": township,
                                                       "person_name": self.person_name(r.choice("12"))})


# Parents before children (the sub-records' foreign keys are deferred, but keep it tidy).
_ORDER = (
    "representatives", "rep_arrangements", "rep_trainings", "rep_visits", "rep_honours", "rep_secondments",
    "chambers", "chamber_members", "sites", "site_inspections", "site_issues", "proposals", "proposal_proposers",
    "cadres", "cadre_trainings", "activities", "activity_participants", "tasks", "task_progress",
)


def generate(size: int = 2000, seed: int = 20261123, report: Callable[[int, str], None] | None = None) -> _Demo:
    """The demo county's places and rows, in memory (nothing written)."""
    demo = _Demo(seed, size)
    demo.places()
    from .demo_tasks import add_tasks, thin_records

    steps = (demo.representatives, demo.chambers, demo.sites, demo.proposals, demo.cadres, demo.activities,
             lambda: add_tasks(demo), lambda: thin_records(demo))
    for i, step in enumerate(steps, 1):
        step()
        if report is not None:
            report(i * 18 // len(steps), "生成演示数据…")
    return demo


def build_demo(
    db: str | os.PathLike,
    *,
    size: int = 2000,
    seed: int = 20261123,
    force: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> Store:
    """Make the demo county's database at ``db`` (a file path or URL) and fill every ledger.

    Raises ``StoreError`` if the file exists and ``force`` is not given. ``progress(done,
    total, message)`` is called now and then (``total`` is 100)."""

    def report(done: int, message: str) -> None:
        if progress is not None:
            progress(done, 100, message)

    report(0, "生成演示数据…")
    demo = generate(size, seed, report)
    report(20, "创建数据库…")
    store = Store.create(
        db, county_code=COUNTY_CODE, county_name=COUNTY_NAME, townships=demo.townships,
        villages=demo.villages, force=force,
    )
    try:
        _fill(store, demo, report)
    except BaseException:  # a full disk, a cancel: no half-made county is left behind
        store.close()
        if store.is_sqlite:
            Store.discard_file(store.engine.url.database)
        raise
    report(100, "演示数据已生成")
    return store


def _fill(store, demo, report) -> None:
    total = sum(len(v) for v in demo.rows.values()) or 1
    done = 0
    from ..domain import LEDGERS, SUBS

    with store.write(USER) as (conn, ctx):
        for name in _ORDER:
            rows = demo.rows.get(name, [])
            label = LEDGERS[name].label if name in LEDGERS else f"{SUBS[name][0].label}·{SUBS[name][1].label}"
            for i in range(0, len(rows), CHUNK):
                part = rows[i : i + CHUNK]
                bulk_insert(conn, name, part, ctx)
                done += len(part)
                report(20 + int(done * 79 / total), f"写入{label}（{done}/{total}）")
    from .demo_tasks import add_history

    add_history(store, demo, USER)  # packages received and 加分/扣分, for the 考核评价
