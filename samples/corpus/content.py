"""Invented bulletin text: headlines, paragraphs, attributions and mastheads from phrase banks.

Every name, figure and sentence is assembled at random from the banks below (fictional districts,
departments and people), in the register of a district 工作动态/简报: meetings held, campaigns
launched, figures reached, what leaders asked for. Nothing is taken from a real bulletin.
The text follows the clean-text conventions of ``samples/README.md``: full-width punctuation,
numbers and Latin words as printed (``2023年``, ``17.6%``, ``9:30``), no spaces next to CJK.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DISTRICTS = ("松岭", "河东", "清源", "柳湾", "石桥", "枫林", "南屏", "鹤鸣", "金沙", "东塘",
             "白鹭", "凤岗", "西陵", "临溪", "桂阳", "梅岭", "宁川", "安平")
TOWNS = ("城关镇", "新桥街道", "北湖街道", "杨柳镇", "双河镇", "青石街道", "龙泉镇", "望江街道",
         "古渡镇", "花溪街道", "白沙镇", "东岳街道", "马鞍乡", "兴隆镇", "滨河街道")
DEPTS = ("区委组织部", "区委宣传部", "区发展改革委", "区市场监管局", "区农业农村局", "区住建局",
         "区卫生健康委", "区教育局", "区人社局", "区应急管理局", "区商务局", "区文化旅游局",
         "区医保局", "区民政局", "区司法局", "区总工会", "团区委", "区妇联", "区科技局",
         "区水利局", "区交通运输局", "区城管局", "区财政局", "区审计局", "区统计局",
         "区信访局", "区退役军人事务局", "区数据局", "区生态环境分局", "区税务局")
SURNAMES = ("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘"
            "袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦"
            "邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤")
GIVEN = ("建国伟华明军平刚杰磊涛斌勇海波辉鹏超宁静丽敏燕霞红芳玲琳颖晨阳宇昊博文浩"
         "然思远志强立新春雨雪松柏林峰岚欣悦瑶蕾")
ROLES = ("区委书记", "区委副书记、区长", "区委常委、常务副区长", "区委常委、组织部部长",
         "副区长", "区人大常委会主任", "区政协主席", "区委常委、宣传部部长")
TOPICS = ("优化营商环境", "安全生产", "乡村振兴", "基层治理", "防汛备汛", "民生实事", "招商引资",
          "重点项目建设", "垃圾分类", "文明城市创建", "人才引进", "稳岗就业", "食品安全",
          "消防安全", "老旧小区改造", "河湖长制", "森林防火", "信访矛盾化解", "数字政务",
          "养老服务", "义务教育", "医保基金监管", "耕地保护", "大气污染防治", "反诈宣传",
          "志愿服务", "社区党建", "农村人居环境整治", "夜间经济", "企业服务")
ACTIONS = ("扎实推进", "持续深化", "全力抓好", "统筹推进", "高位推动", "精准落实", "创新开展",
           "纵深推进", "稳步推进", "全面加强")
EFFECTS = ("取得明显成效", "迈出坚实步伐", "跑出加速度", "实现良好开局", "形成长效机制",
           "交出亮眼答卷", "见行见效", "提质增效")
MEASURES = ("建立问题清单和责任清单", "实行“周调度、月通报”制度", "开通线上受理渠道",
            "组建专班集中攻坚", "开展拉网式排查", "推行“一窗受理、集成服务”",
            "建立领导包联机制", "落实“首问负责”制度", "组织业务骨干入户走访",
            "开展“回头看”专项检查", "设立“企业服务日”", "推广“网格+”工作模式",
            "建立容缺受理机制", "开展集中宣传月活动", "完善考核评价办法")
REQUESTS = ("要提高政治站位，切实增强责任感和紧迫感", "要坚持问题导向，逐项抓好整改落实",
            "要压实工作责任，确保各项任务落地见效", "要强化协调联动，形成工作合力",
            "要坚持以人民为中心，切实解决群众急难愁盼问题", "要加强督促检查，对工作不力的严肃问责",
            "要守牢安全底线，防范化解各类风险隐患", "要创新工作方法，不断提升服务水平",
            "要加强宣传引导，营造浓厚氛围", "要注重总结经验，推动工作常态长效")
PRAISE = ("受到群众好评", "得到企业一致认可", "获得上级部门肯定", "群众满意度明显提升",
          "社会反响良好")
# Clauses that can end any paragraph: ``typeset`` appends them to make an attribution wrap.
FILLERS = ("，效果明显", "，群众纷纷点赞", "，形成良好氛围", "，进一步提升了工作质效",
           "，为下一步工作打下坚实基础", "，切实增强了群众的获得感", "，有效推动了工作落地落实",
           "，赢得辖区群众广泛赞誉", "，取得阶段性成效", "，确保工作不断档", "，工作成效持续显现",
           "，受到一致好评")
UNITS = ("个", "家", "项", "户", "人次", "处", "场", "件", "条")
TITLES = ("工作动态", "政务信息", "工作简报", "信息快报", "党建动态", "简报", "督查专报",
          "改革动态")
COPY_TARGETS = ("市委办公室", "市政府办公室", "市委督查室", "市人大常委会办公室",
                "市政协办公室", "区委各常委", "区人大常委会主任", "区政府各副区长",
                "区政协主席", "区直各部门", "各镇（街道）党（工）委", "区级各部门主要负责同志")


@dataclass(frozen=True)
class Masthead:
    title: str | None
    issuer: str
    issue_no: int
    cumulative_no: int
    year: int
    month: int
    day: int


@dataclass
class Item:
    type: str                  # "item" | "brief"
    head: str | None
    head_rend: str | None      # "run-in" | "standalone" | None
    paragraphs: list[str]
    attribution: str | None


@dataclass
class Distribution:
    entries: list[tuple[str, str]]   # (label, text): 报 / 送 / 发
    copies: int | None


class Writer:
    """Draws invented text from the banks with one random generator."""

    def __init__(self, rng: random.Random, year: int, month: int) -> None:
        self.rng = rng
        self.year = year
        self.month = month
        self.district = rng.choice(DISTRICTS)

    def pick(self, options: tuple[str, ...]) -> str:
        return self.rng.choice(options)

    def person(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def number(self) -> str:
        return str(self.rng.choice((self.rng.randint(2, 30), self.rng.randint(31, 999),
                                    self.rng.randint(1000, 20000))))

    def money(self) -> str:
        value = self.rng.uniform(0.5, 120.0)
        return f"{value:.{self.rng.choice((1, 2))}f}亿元" if self.rng.random() < 0.6 \
            else f"{self.rng.randint(50, 9800)}万元"

    def percent(self) -> str:
        return f"{self.rng.uniform(1.0, 99.0):.1f}%"

    def day(self) -> str:
        return f"{self.month}月{self.rng.randint(1, 28)}日"

    def place(self) -> str:
        return self.rng.choice((self.district + "区", self.pick(TOWNS), "全区", "我区"))

    # -- sentences ---------------------------------------------------------------------------

    def sentence(self) -> str:
        r = self.rng
        topic = self.pick(TOPICS)
        kind = r.randrange(12)
        if kind == 0:
            return (f"{self.day()}，{self.place()}召开{topic}工作推进会，"
                    f"总结前期工作，安排部署下一阶段重点任务。")
        if kind == 1:
            return (f"{self.pick(ROLES)}{self.person()}出席会议并讲话，"
                    f"{self.person()}、{self.person()}等参加会议。")
        if kind == 2:
            first, second = r.sample(REQUESTS, 2)
            return f"{self.person()}强调，{first}，{second}。"
        if kind == 3:
            return (f"今年以来，{self.place()}{self.pick(ACTIONS)}{topic}工作，"
                    f"累计完成投资{self.money()}，同比增长{self.percent()}。")
        if kind == 4:
            return (f"一是{self.pick(MEASURES)}，共排查问题{self.number()}{self.pick(UNITS)}；"
                    f"二是{self.pick(MEASURES)}；三是{self.pick(MEASURES)}。")
        if kind == 5:
            return (f"截至{self.day()}，共走访{self.number()}{self.pick(UNITS)}，"
                    f"解决实际困难{self.number()}个，整改完成率达{self.percent()}。")
        if kind == 6:
            return f"下一步，{self.place()}将{self.pick(ACTIONS)}{topic}，{self.pick(REQUESTS)}。"
        if kind == 7:
            return (f"活动当天，工作人员于{r.randint(8, 10)}:{r.choice(('00', '30'))}至"
                    f"{r.randint(11, 12)}:{r.choice(('00', '30'))}在{self.pick(TOWNS)}"
                    f"设置咨询台，发放宣传资料{self.number()}份，{self.pick(PRAISE)}。")
        if kind == 8:
            return (f"{self.pick(DEPTS)}牵头{self.pick(MEASURES)}，"
                    f"推动{topic}{self.pick(EFFECTS)}。")
        if kind == 9:
            return (f"全年计划实施项目{self.number()}个，总投资{self.money()}，"
                    f"其中民生类项目占比{self.percent()}。")
        if kind == 10:
            return (f"通过“{self.district}通”App和政务服务网，群众可在线办理"
                    f"{self.number()}项高频事项，平均办理时限压缩{self.percent()}。")
        return (f"会议指出，{topic}事关群众切身利益，"
                f"{self.pick(REQUESTS)}，确保{self.year}年各项目标任务圆满完成。")

    def paragraph(self, lo: int = 50, hi: int = 200) -> str:
        text = self.sentence()
        while len(text) < lo:
            text += self.sentence()
        while len(text) > hi:
            text = self.sentence()
        if len(text) < lo:
            text += self.sentence()[: hi - len(text)].rstrip("，、；：") + "。"
        return text if text.endswith("。") else text.rstrip("，、；：") + "。"

    # -- headlines ---------------------------------------------------------------------------

    def headline(self, long: bool) -> str:
        r = self.rng
        topic = self.pick(TOPICS)
        subject = r.choice((self.pick(DEPTS), self.pick(TOWNS), self.district + "区"))
        n = r.choice("二三四五")
        forms = (f"{subject}{self.pick(ACTIONS)}{topic}工作",
                 f"{subject}“{n}个到位”{self.pick(ACTIONS)}{topic}",
                 f"{subject}召开{self.year}年{topic}工作会议",
                 f"{subject}{topic}{self.pick(EFFECTS)}",
                 f"{subject}以“{n}强化”推动{topic}")
        head = r.choice(forms)
        if long:
            head += f"全力助推{self.pick(TOPICS)}{self.pick(EFFECTS)}"
        return head

    def attribution(self, head: str | None) -> str:
        for dept in (*DEPTS, *TOWNS):
            if head and head.startswith(dept):
                return dept
        return self.pick(DEPTS + TOWNS)


def draw_items(w: Writer, n_items: int, n_briefs: int, long_heads: bool,
               standalone_share: float, attribution_share: float) -> list[Item]:
    """The lead item (standalone headline), further items, then the briefs."""
    r = w.rng
    items: list[Item] = []
    for k in range(n_items):
        standalone = k == 0 or r.random() < standalone_share
        head = w.headline(long=long_heads and r.random() < 0.6)
        n_paras = r.randint(2, 4) if k == 0 else r.randint(1, 2)
        paras = [w.paragraph() for _ in range(n_paras)]
        attribution = w.attribution(head) if k > 0 and r.random() < attribution_share else None
        items.append(Item("item", head, "standalone" if standalone else "run-in", paras,
                          attribution))
    for _ in range(n_briefs):
        attribution = w.attribution(None) if r.random() < 0.8 else None
        items.append(Item("brief", None, None, [w.paragraph(40, 120)], attribution))
    return items


def draw_distribution(w: Writer, labels: str, copies: bool) -> Distribution:
    entries = []
    for label in labels:
        k = w.rng.randint(1, 4)
        entries.append((label, "，".join(w.rng.sample(COPY_TARGETS, k))))
    return Distribution(entries, w.rng.choice((60, 80, 100, 120, 150, 200)) if copies else None)
