"""The six ledgers of DOMAIN.md and the 重点任务 of the year's 工作要点, each described once."""

from __future__ import annotations

from .model import Field as F
from .model import Ledger, SubLedger

# Headings offices give a landline column. A 联系电话 column is read by its content: mobile
# numbers go to 手机, landline numbers to 固定电话 (exchange.xlsx_import).
LANDLINE_ALIASES = ("固话", "座机", "座机号码", "固定电话号码", "办公电话", "办公室电话", "单位电话", "电话(办)", "办电",
                    "家庭电话", "住宅电话", "宅电", "电话(宅)")

_ARRANGEMENTS = SubLedger(
    "rep_arrangements",
    "政治安排",
    (
        F("body", "类别", "code", code="arrangement_body", required=True, help="人大代表或政协委员"),
        F("level", "层级", "code", code="arrangement_level", required=True),
        F("term", "届次", width=6),
        F("elected_on", "当选时间", "date"),
        F("term_end", "到届时间", "date"),
        F("standing", "常委", "bool", width=4),
    ),
    order_by="elected_on",
)
def _trainings(name: str) -> SubLedger:
    """Trainings attended: the same rows for representatives and for cadres."""
    return SubLedger(
        name,
        "培训",
        (
            F("start_on", "开始日期", "date", required=True),
            F("end_on", "结束日期", "date"),
            F("course", "培训名称", required=True, width=20),
            F("organiser", "主办单位", width=14),
        ),
        order_by="start_on",
    )


_REP_TRAININGS = _trainings("rep_trainings")
_SECONDMENTS = SubLedger(
    "rep_secondments",
    "挂职",
    (
        F("unit", "挂职单位", required=True, width=16),
        F("post", "挂职职务", width=12),
        F("start_on", "开始日期", "date"),
        F("end_on", "结束日期", "date"),
    ),
    order_by="start_on",
)
_VISITS = SubLedger(
    "rep_visits",
    "联系走访",
    (
        F("visit_on", "日期", "date", required=True),
        F("visitor", "走访人", width=8),
        F("content", "内容", "memo", width=30),
    ),
    order_by="visit_on",
)
_HONOURS = SubLedger(
    "rep_honours",
    "荣誉",
    (
        F("award_on", "日期", "date"),
        F("honour", "荣誉名称", required=True, width=20),
        F("grantor", "授予单位", width=14),
    ),
    order_by="award_on",
)

REPRESENTATIVES = Ledger(
    name="representatives",
    label="代表人士",
    title="name",
    person=True,
    unit="人",
    date_field="recognized_on",
    match_keys=(("id_number",), ("name", "birth_date")),
    attachments=("photo", "file"),
    fields=(
        F("name", "姓名", required=True, search=True, max_len=30, width=6, aliases=("名字",)),
        F("gender", "性别", "code", code="gender", filter=True, width=4),
        F("ethnicity", "民族", "code", code="ethnicity", width=5, aliases=("族别",)),
        F("birth_date", "出生年月", "date", width=8, aliases=("出生日期", "出生年月日", "生日")),
        F("native_place", "籍贯", width=8, in_table=False),
        F("id_number", "身份证号", "idcard", sensitive=True, width=18,
          aliases=("身份证号码", "公民身份号码", "身份证", "证件号码")),
        F("id_kind", "证件类型", "code", code="id_kind", width=8, in_table=False, sortable=False, aliases=("证件种类", "证件名称"),
          help="居民身份证以外的，如台湾居民居住证、外国人永久居留身份证；空着时按号码判断"),
        F("party", "政治面貌", "code", code="party", filter=True, width=8, aliases=("党派",)),
        F("party_joined", "加入党派时间", "date", in_table=False, aliases=("入党派时间", "加入时间")),
        F("education", "学历", "code", code="education", filter=True, width=6, aliases=("文化程度", "最高学历")),
        F("degree", "学位", "code", code="degree", width=4, in_table=False),
        F("pro_title", "职称", width=8, in_table=False, aliases=("专业技术职称", "专业技术职务")),
        F("employer", "工作单位", search=True, fill_merged=True, width=16, aliases=("单位", "工作单位名称")),
        F("position", "职务", search=True, width=10, aliases=("现任职务", "职务职称")),
        F("kinds", "人士类别", "codes", code="object_kind", filter=True, fill_merged=True, width=12,
          aliases=("类别", "代表人士类别", "人员类别", "统战对象类别")),
        F("mobile", "手机", "mobile", sensitive=True, width=11,
          aliases=("手机号码", "手机号", "联系电话", "电话", "联系方式")),
        F("landline", "固定电话", "phone", sensitive=True, width=12, in_table=False, sortable=False, aliases=LANDLINE_ALIASES),
        F("address", "地址", width=20, in_table=False, aliases=("家庭住址", "通讯地址", "住址")),
        F("status", "状态", "code", code="rep_status", filter=True, width=4, default="1"),
        F("recognized_on", "认定时间", "date", width=8, aliases=("认定日期", "纳入时间")),
        F("left_on", "退出时间", "date", width=8, in_table=False, aliases=("退出日期",)),
        F("left_reason", "退出原因", width=12, in_table=False),
        F("nonparty_cadre", "党外干部", "bool", width=4, in_table=False),
        F("cadre_rank", "职级", "code", code="cadre_rank", width=4, in_table=False),
        F("reserve", "后备干部", "bool", width=4, in_table=False),
        F("contact_leader", "联系领导", width=8, in_table=False),
        F("sort_no", "排序号", "int", width=4, in_table=False),
        F("resume", "简历", "memo", width=40, in_table=False, aliases=("个人简历", "主要简历")),
        F("notes", "备注", "memo", width=16, in_table=False),
    ),
    subs=(_ARRANGEMENTS, _REP_TRAININGS, _SECONDMENTS, _VISITS, _HONOURS),
)

CHAMBERS = Ledger(
    name="chambers",
    label="商会社团",
    title="name",
    unit="个",
    date_field="founded_on",
    match_keys=(("credit_code",), ("name",)),
    attachments=("file",),
    fields=(
        F("name", "名称", required=True, search=True, width=18, aliases=("商会名称", "社团名称", "组织名称")),
        F("kind", "类型", "code", code="chamber_type", required=True, filter=True, fill_merged=True, width=8, aliases=("类别",)),
        F("level", "层级", "code", code="org_level", filter=True, fill_merged=True, width=4),
        F("founded_on", "成立日期", "date", width=8, aliases=("成立时间",)),
        F("credit_code", "统一社会信用代码", "uscc", width=18, aliases=("信用代码", "社会信用代码")),
        F("leader", "会长/负责人", search=True, width=6, aliases=("会长", "负责人")),
        F("leader_ref", "会长(代表人士)", "ref", ref="representatives", in_table=False, sortable=False),
        F("secretary", "秘书长", width=6),
        F("member_count", "会员数", "int", width=5, aliases=("会员人数",)),
        F("address", "地址", width=20, in_table=False, aliases=("办公地址", "住所")),
        F("phone", "电话", "phone", width=12, aliases=("联系电话",)),
        F("party_building", "党建情况", "memo", width=16, in_table=False),
        F("status", "状态", "code", code="org_status", filter=True, width=4, default="1"),
        F("notes", "备注", "memo", width=16, in_table=False),
    ),
    subs=(
        SubLedger(
            "chamber_members",
            "会员",
            (
                F("member", "代表人士", "ref", ref="representatives", width=8),
                F("member_name", "姓名", width=6, help="不是代表人士时填写"),
                F("role", "职务", "code", code="member_role", required=True, width=6),
                F("joined_on", "入会日期", "date"),
            ),
            order_by="role",
        ),
    ),
)

SITES = Ledger(
    name="sites",
    label="宗教场所",
    title="name",
    unit="处",
    date_field="approved_on",
    match_keys=(("reg_no",), ("name", "township")),
    attachments=("file",),
    fields=(
        F("name", "名称", required=True, search=True, width=14, aliases=("场所名称",)),
        F("religion", "宗教", "code", code="religion", required=True, filter=True, fill_merged=True, width=5, aliases=("宗教类别",)),
        F("site_type", "场所类型", "code", code="site_type", filter=True, fill_merged=True, width=10),
        F("reg_no", "登记证号", "site_reg", width=18, aliases=("登记证编号", "宗教活动场所登记证号")),
        F("credit_code", "统一社会信用代码", "uscc", width=18, in_table=False, aliases=("信用代码",)),
        F("approved_on", "批准日期", "date", width=8, aliases=("批准时间", "登记日期")),
        F("village", "所在村(社区)", "village", fill_merged=True, width=8, in_table=False),
        F("address", "地址", width=18, in_table=False, aliases=("场所地址",)),
        F("leader", "负责人", search=True, width=6, aliases=("场所负责人",)),
        F("leader_phone", "负责人电话", "phone", sensitive=True, width=11, aliases=("联系电话", "电话")),
        F("clergy_count", "教职人员数", "int", width=4, aliases=("教职人员",)),
        F("believers", "信教群众数", "int", width=5, aliases=("信教群众", "信众人数")),
        F("management", "管理组织", width=12, in_table=False),
        F("rating", "评定等级", "code", code="site_rating", width=6),
        F("model_site", "中国化示范场所", "bool", width=4),
        F("status", "状态", "code", code="site_status", filter=True, width=6, default="1"),
        F("notes", "备注", "memo", width=16, in_table=False),
    ),
    subs=(
        SubLedger(
            "site_inspections",
            "检查记录",
            (
                F("inspected_on", "检查日期", "date", required=True),
                F("inspectors", "检查人员", width=12),
                F("findings", "检查情况", "memo", width=30),
            ),
            order_by="inspected_on",
        ),
        SubLedger(
            "site_issues",
            "问题台账",
            (
                F("found_on", "发现日期", "date", required=True),
                F("issue", "存在问题", "memo", required=True, width=24),
                F("measure", "整改措施", "memo", width=24),
                F("deadline", "整改时限", "date"),
                F("status", "整改状态", "code", code="issue_status", required=True, width=5, default="1"),
                F("closed_on", "销号日期", "date"),
            ),
            order_by="found_on",
        ),
    ),
)

PROPOSALS = Ledger(
    name="proposals",
    label="提案建议",
    title="title",
    unit="件",
    date_field="submitted_on",
    match_keys=(("number", "session"), ("title", "submitted_on")),
    attachments=("reply", "file"),
    fields=(
        F("title", "案由/题目", required=True, search=True, width=28, aliases=("案由", "题目", "标题", "提案题目")),
        F("kind", "类别", "code", code="proposal_kind", required=True, filter=True, fill_merged=True, width=8, aliases=("类型",)),
        F("mode", "提出方式", "code", code="proposal_mode", width=4),
        F("body", "提出单位", search=True, width=12, aliases=("提出集体", "提案单位")),
        F("proposer_names", "提出人", search=True, width=10, in_table=True, aliases=("提案人", "建议人", "领衔人"),
          help="提出人的姓名，多人用顿号分隔"),
        F("session", "届次/会次", fill_merged=True, width=10, aliases=("届次", "会次")),
        F("number", "提案号", width=6, aliases=("编号", "提案编号", "建议编号")),
        F("submitted_on", "提交日期", "date", width=8, aliases=("提交时间", "提出日期")),
        F("domain", "领域", "code", code="proposal_domain", width=6),
        F("host_unit", "主办单位", search=True, fill_merged=True, width=12, aliases=("承办单位",)),
        F("co_units", "协办单位", width=12, in_table=False),
        F("status", "办理状态", "code", code="proposal_status", filter=True, width=5, aliases=("状态",),
          default="10"),
        F("filed_on", "立案日期", "date", width=8, in_table=False, aliases=("立案时间",), help="立案或不立案的日期"),
        F("assigned_on", "交办日期", "date", width=8, in_table=False),
        F("handling_on", "办理日期", "date", width=8, in_table=False, help="承办单位开始办理的日期"),
        F("replied_on", "答复日期", "date", width=8),
        F("closed_on", "办结日期", "date", width=8, in_table=False),
        F("result", "办理结果", "code", code="proposal_result", width=6, aliases=("答复类别",)),
        F("satisfaction", "满意度", "code", code="satisfaction", width=5),
        F("adoption", "采用情况", "code", code="adoption_level", width=6, in_table=False),
        F("instruction", "领导批示", width=16, in_table=False),
        F("award", "获奖情况", width=16, in_table=False),
        F("summary", "摘要", "memo", width=30, in_table=False),
    ),
    subs=(
        SubLedger(
            "proposal_proposers",
            "提出人",
            (
                F("person", "代表人士", "ref", ref="representatives", width=8),
                F("person_name", "姓名", width=6, help="不是代表人士时填写"),
                F("lead", "领衔", "bool", width=4),
            ),
        ),
    ),
)

CADRES = Ledger(
    name="cadres",
    label="统战干部",
    title="name",
    person=True,
    unit="人",
    date_field="appointed_on",
    match_keys=(("id_number",), ("name", "birth_date")),
    fields=(
        F("name", "姓名", required=True, search=True, max_len=30, width=6),
        F("gender", "性别", "code", code="gender", width=4),
        F("birth_date", "出生年月", "date", width=8, aliases=("出生日期",)),
        F("id_number", "身份证号", "idcard", sensitive=True, width=18, in_table=False,
          aliases=("身份证号码", "公民身份号码")),
        F("id_kind", "证件类型", "code", code="id_kind", width=8, in_table=False, sortable=False, aliases=("证件种类", "证件名称"),
          help="居民身份证以外的，如台湾居民居住证、外国人永久居留身份证；空着时按号码判断"),
        F("employer", "单位", search=True, fill_merged=True, width=14, aliases=("工作单位",)),
        F("village", "所属村(社区)", "village", fill_merged=True, width=8, aliases=("村(社区)", "村")),
        F("post", "岗位类型", "code", code="cadre_post", required=True, filter=True, fill_merged=True, width=10, aliases=("岗位",)),
        F("fulltime", "专职/兼职", "code", code="fulltime", filter=True, fill_merged=True, width=4, aliases=("专兼职",)),
        F("other_post", "兼任职务", width=12, aliases=("兼职情况",)),
        F("appointed_on", "任职日期", "date", width=8, aliases=("任职时间",)),
        F("left_on", "离任日期", "date", width=8, aliases=("离任时间",)),
        F("phone", "电话", "mobile", sensitive=True, width=11, aliases=("联系电话", "手机", "手机号码")),
        F("landline", "固定电话", "phone", sensitive=True, width=12, in_table=False, sortable=False, aliases=LANDLINE_ALIASES),
        F("education", "学历", "code", code="education", width=6, aliases=("文化程度",)),
        F("notes", "备注", "memo", width=16, in_table=False),
    ),
    subs=(
        _trainings("cadre_trainings"),
    ),
)

ACTIVITIES = Ledger(
    name="activities",
    label="活动台账",
    title="title",
    unit="次",
    date_field="held_on",
    match_keys=(("held_on", "title", "township"),),
    attachments=("file",),
    fields=(
        F("held_on", "日期", "date", required=True, width=8, aliases=("活动日期", "活动时间", "时间")),
        F("title", "活动名称", required=True, search=True, width=24, aliases=("名称", "活动主题", "主题")),
        F("kind", "活动类型", "code", code="activity_type", required=True, filter=True, fill_merged=True, width=8, aliases=("类型",)),
        F("organiser", "组织单位", search=True, fill_merged=True, width=12, aliases=("主办单位", "组织者")),
        F("place", "地点", width=12, aliases=("活动地点",)),
        F("headcount", "参加人数", "int", width=4, aliases=("人数", "参与人数")),
        F("summary", "活动内容", "memo", width=30, in_table=False, aliases=("内容", "主要内容")),
        F("results", "成效", "memo", width=20, in_table=False, aliases=("活动成效",)),
        F("funds", "捐资金额(万元)", "decimal", width=6, aliases=("捐资", "金额")),
    ),
    subs=(
        SubLedger(
            "activity_participants",
            "参加人员",
            (
                F("person", "代表人士", "ref", ref="representatives", width=8),
                F("person_name", "姓名", width=6, help="不是代表人士时填写"),
            ),
        ),
    ),
)

# 重点任务: the year's 工作要点 broken into a 《重点任务推进表》, followed month by month ("月结季清").
# 所属乡镇 is the record's township (empty: a county-level task). 滞后 is never stored: a task is
# late on day D when D is past its 完成时限 and it is not 已完成 (by D) or 取消 (ufdesk.services.tasks).
TASKS = Ledger(
    name="tasks",
    label="重点任务",
    title="content",
    unit="项",
    date_field="deadline",
    match_keys=(("year", "seq", "content"), ("year", "content")),
    attachments=("file",),  # 佐证材料
    township_scope=("status", "done_on", "task_progress"),  # a township reports progress only
    fields=(
        F("year", "年度", "int", required=True, width=4, aliases=("年份",)),
        F("seq", "序号", max_len=20, width=4, aliases=("编号",), help="照原表填写：一、 1、 (1) ①"),
        F("parent_task", "上级任务", "ref", ref="tasks", in_table=False, sortable=False),
        F("content", "任务内容", required=True, search=True, max_len=1000, width=30,
          aliases=("重点任务", "工作任务", "任务", "工作内容", "主要任务")),
        F("standard", "完成标准", "memo", width=20, in_table=False, aliases=("目标要求", "质量标准", "工作标准")),
        F("category", "类别", "code", code="task_category", filter=True, width=10, aliases=("任务类别", "工作类别")),
        F("leader", "牵头领导", search=True, width=6, aliases=("分管领导", "责任领导")),
        F("unit", "责任单位", "code", code="task_unit", filter=True, width=10, aliases=("牵头单位", "责任部门")),
        F("owner", "责任人", search=True, width=6, aliases=("具体责任人",)),
        F("owner_ref", "责任人(统战干部)", "ref", ref="cadres", in_table=False, sortable=False),
        F("partners", "配合单位", width=12, in_table=False, aliases=("协办单位", "配合部门")),
        F("deadline", "完成时限", "date", required=True, width=8, aliases=("时限", "完成时间", "时间节点")),
        F("status", "状态", "code", code="task_status", filter=True, width=5, aliases=("完成情况", "进展状态"),
          default="1"),
        F("done_on", "完成日期", "date", width=8),
        F("notes", "备注", "memo", width=16, in_table=False),
    ),
    subs=(
        SubLedger(
            "task_progress",
            "进展",
            (
                F("month", "月份", "date", required=True, width=7, help="填报的是哪个月的进展"),
                F("progress", "进展情况", "memo", required=True, width=40),
                F("reporter", "填报人", width=6),
                F("reported_on", "填报日期", "date"),
            ),
            order_by="month",
        ),
    ),
)

LEDGERS: dict[str, Ledger] = {
    lg.name: lg for lg in (REPRESENTATIVES, CHAMBERS, SITES, PROPOSALS, CADRES, ACTIVITIES, TASKS)
}
SUBS: dict[str, tuple[Ledger, object]] = {s.name: (lg, s) for lg in LEDGERS.values() for s in lg.subs}


def ledger(name: str) -> Ledger:
    """The ledger called ``name`` (English name or Chinese label)."""
    if name in LEDGERS:
        return LEDGERS[name]
    for lg in LEDGERS.values():
        if lg.label == name:
            return lg
    from .errors import UnknownLedger

    raise UnknownLedger(name)
