import type { CardContext } from "../../../cards/model/context.ts";
import {
  type Card,
  digestCard,
  followUpConfirmCard,
  followUpSurveyCard,
  kbAnswerCard,
  newTicketCard,
  nudgeCard,
  overdueCard,
  ticketCard,
} from "../../../cards/model/index.ts";
import { SAMPLE_NOW, sampleBoardLink, sampleDirectory } from "../../../cards/preview/samples.ts";
import { Directory } from "../../../core/directory/directory.ts";
import type { Person } from "../../../core/directory/schema.ts";
import type { Locale } from "../../../core/i18n/locale.ts";
import type { Suggestion } from "../../../core/kb/views.ts";
import type { TicketRecord } from "../../../core/ports.ts";
import { FieldCipher } from "../../../core/privacy/cipher.ts";
import { sealContact } from "../../../core/privacy/seal.ts";
import type { TicketEvent } from "../../../core/ticket/events.ts";
import { fold } from "../../../core/ticket/state.ts";
import { type TicketView, ticketView } from "../../../core/ticket/view.ts";
import { profileHostileCards } from "./profile-hostile.ts";

/** Text a customer or a colleague might type to make a card mention, link, embed, format or leak. */
export const HOSTILE: readonly string[] = [
  "<at id=all></at> 大家看这里",
  '<at user_id="all">所有人</at>',
  "<at id=ou_demo_head_tech></at> 张伟快来",
  "<at>孙磊</at> <at>王芳</at>",
  "<at ids=ou_demo_admin,ou_demo_head_support></at>",
  "<at email=boss@example.com></at>",
  "@all 紧急 @所有人 @here @channel",
  "@13800138000 请回电 @demo_eng_sun @demo_head_tech",
  '<a atId=demo_admin>陈静</a> <a href="https://evil.example.com">点我</a>',
  "[退款入口](https://evil.example.com/refund) 和 [x](javascript:alert(1))",
  "![截图](https://evil.example.com/track.png) <img src=x onerror=alert(1)>",
  "访问 https://evil.example.com/login 或 http://192.168.1.1 或 www.evil.com 或 evil.cn/x",
  "dtmd://dingtalkclient/sendMessage?content=授权 lark://applink mailto:a@b.com tel:13800138000",
  "**加粗** __下划线__ ~~删除~~ `代码` *斜体* _斜体_",
  "# 标题\n## 二级\n> 引用\n- 列表\n1. 有序\n---\n===\n    缩进代码",
  "```\n代码块\n```\n| a | b |\n|---|---|\n| 1 | 2 |",
  "<font color='red'>红字</font> <b>粗</b> <script>alert(1)</script> </script><script>alert(2)</script>",
  "\\*转义\\* \\[x\\](https://evil.example.com) &lt;at id=all&gt;&lt;/at&gt; &#60;at id=all&#62;",
  "客户电话 13812345678，备用 +86 138 1234 5678 / 138-1234-5678 / tel13812345678",
  "全角 １３８１２３４５６７８ 零宽 138\u200b1234\u200b5678 座机 021-12345678 海外 +44 7700 900123",
  "方向\u202e控制\u0000字符\u0007",
  `很长的描述${"重复内容，".repeat(800)}结尾 13912345678`,
];

/** Every phone number written in the corpus, as digits, for the raw-leak check. */
export const HOSTILE_PHONE_DIGITS = [
  "13812345678",
  "13800138000",
  "13912345678",
  "02112345678",
  "447700900123",
];

const cipher = new FieldCipher(Buffer.alloc(32, 3));
const HOUR = 3_600_000;
const at = (h: number) => new Date(SAMPLE_NOW.getTime() - h * HOUR).toISOString();

/** The sample organisation plus a colleague whose (platform-learned) name is itself hostile. */
export function hostileDirectory(name: string): Directory {
  const dir = sampleDirectory();
  const data = { departments: dir.departments(), people: dir.people() };
  const odd: Person = {
    id: "eng-odd",
    name: name.slice(0, 100),
    roles: ["engineer"],
    departments: ["tech"],
    feishu: { openId: "ou_demo_eng_odd" },
    dingtalk: { userId: "demo_eng_odd" },
    teams: { aadObjectId: "00000000-0000-4000-8000-00000000dd00" },
  };
  return new Directory({ ...data, people: [...data.people, odd] });
}

/** A ticket whose every free-text field is `text`, stored raw (as if core had not masked anything). */
export function hostileRecord(text: string, status: "pending" | "in_progress" | "resolved"): TicketRecord {
  const events: TicketEvent[] = [
    {
      at: at(30),
      actor: "agent-li",
      via: "feishu",
      type: "created",
      number: "CS2026110099",
      description: text,
      customer: {
        name: text.slice(0, 200),
        phone: sealContact(cipher, "13800138001"),
        type: "vip",
        organisation: text.slice(0, 200),
        tags: [],
      },
      contacts: [],
      origin: { platform: "feishu" },
      problemType: "quality_complaint",
      problemTag: text.slice(0, 200),
      priority: "urgent",
      mood: "angry",
      department: "tech",
      firstContact: "agent-li",
      watchers: [],
      product: text.slice(0, 200),
      orderNo: text.slice(0, 200),
      demand: ["refund"],
      evidence: [],
      rules: [{ rule: text.slice(0, 100), field: "problemType", value: "quality_complaint" }],
    },
    {
      at: at(30),
      actor: "system",
      via: "system",
      type: "deadlines_set",
      due: { firstResponse: at(28), resolution: at(6) },
    },
  ];
  if (status !== "pending") {
    events.push({
      at: at(29),
      actor: "head-tech",
      via: "feishu",
      type: "assigned",
      owner: "eng-odd",
      department: "tech",
      how: "assign",
    });
    events.push({ at: at(28), actor: "eng-odd", via: "feishu", type: "started" });
    events.push({ at: at(20), actor: "eng-odd", via: "feishu", type: "commented", text });
    events.push({ at: at(10), actor: "agent-li", via: "feishu", type: "nudged", target: "eng-odd" });
  }
  if (status === "resolved") {
    events.push({ at: at(8), actor: "eng-odd", via: "feishu", type: "resolved", solution: text });
    events.push({ at: at(7), actor: "agent-li", via: "feishu", type: "reopened", reason: text });
    events.push({ at: at(5), actor: "eng-odd", via: "feishu", type: "resolved", solution: text });
  }
  return { state: fold(events), events };
}

/** Every kind of card, built from hostile text, seen by a head (so every button shows) and by nobody. */
export function hostileCards(text: string, locale: Locale): Card[] {
  const directory = hostileDirectory(text);
  const ctx = (viewer?: string): CardContext => ({
    directory,
    locale,
    now: SAMPLE_NOW,
    boardLink: sampleBoardLink,
    ...(viewer ? { viewer: directory.person(viewer)! } : {}),
  });
  const view = (s: "pending" | "in_progress" | "resolved") =>
    ticketView(hostileRecord(text, s), { directory });
  const working = view("in_progress");
  return [
    ticketCard(view("pending"), ctx()),
    ticketCard(working, ctx("head-tech"), { openForm: "resolve_form" }),
    ticketCard(view("resolved"), ctx("agent-li"), { openForm: "reopen_form" }),
    nudgeCard(working, ctx()),
    overdueCard({ view: working, target: "resolution", level: 2 }, ctx("head-tech"), {
      openForm: "assign_form",
    }),
    digestCard(
      [
        { view: working, target: "resolution", level: 1 },
        { view: view("pending"), target: "firstResponse", level: 1 },
      ],
      directory.person("eng-odd")!,
      ctx("head-tech"),
    ),
    followUpConfirmCard(view("resolved"), ctx("agent-li"), { openForm: "dispute_form" }),
    followUpSurveyCard(view("resolved"), ctx("agent-li")),
    newTicketCard(
      {
        id: "draft-1",
        description: text,
        customerName: text,
        phoneMasked: text,
        orderNo: text,
        department: "tech",
      },
      ctx("agent-li"),
    ),
    ...profileHostileCards(text, ctx("head-tech"), working),
    ...hostileKbCards(text, working, ctx),
  ];
}

/** Knowledge-base cards whose article title, excerpt and body are `text`, sent by the hostile colleague. */
function hostileKbCards(text: string, working: TicketView, ctx: (viewer?: string) => CardContext): Card[] {
  const suggestion = (id: string, sent: boolean): Suggestion => ({
    id,
    title: text.slice(0, 200),
    excerpt: text.slice(0, 120),
    stale: true,
    reviewedAt: at(24 * 200),
    solved: 1,
    unsolved: 2,
    ...(sent ? { sentAt: at(1), sentBy: "eng-odd" } : {}),
  });
  const knowledge = () => [suggestion("kb-sent", true), suggestion("kb-new", false)];
  return [
    ticketCard(working, { ...ctx("head-tech"), knowledge }),
    kbAnswerCard(
      {
        ticket: working.number,
        article: { id: "kb-sent", title: text, body: text },
        by: "eng-odd",
        staleDays: 200,
      },
      ctx(),
    ),
  ];
}
