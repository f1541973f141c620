import { openJson, strings } from "../../cards/support/walk.ts";
import type { SecurityWorld, Who } from "./world.ts";

/** Addresses a card may link to: the board (Teams' public URL) and the Adaptive Card schema. */
const ALLOWED_URL = /^(?:https:\/\/closeloop\.example\.com\/|http:\/\/adaptivecards\.io\/schemas\/)/;

/** People the system never mentions on a tech ticket: any mention of them was typed by someone. */
export const NEVER_MENTIONED: readonly Who[] = [
  "admin",
  "head-billing",
  "eng-bill",
  "agent-zhou",
  "stranger",
];

/**
 * Text typed to make a card or message mention, link, embed or run something, naming this world's real
 * people on every platform (so a mention that went through would reach someone), plus the shared corpus.
 */
export function worldHostile(w: SecurityWorld): string[] {
  const f = (who: Who) => w.feishu.users[who].open_id;
  const d = (who: Who) => w.dingUser(who);
  const t = (who: Who) => w.teams.users[who];
  return [
    `<at id=${f("admin")}></at> <at user_id="${f("head-billing")}">赵强</at> <at id=all></at> <at user_id="all">所有人</at>`,
    `<at open_id="${f("stranger")}"></at><at email=boss@example.com></at> 请看 <at ids=${f("agent-zhou")},${f("eng-bill")}></at>`,
    `@${d("admin")} @${d("head-billing")} @所有人 @all 请回电 @13800138000`,
    `<a atId=${d("admin")}>陈静</a> <a atId=@ALL>所有人</a> <a href="dingtalk://dingtalkclient/page/link?url=https://evil.example.com">钉</a>`,
    `<at>${t("admin").name}</at> <at id="${t("head-billing").id}">钱</at> <at>Everyone</at> <at>General</at>`,
    "[退款入口](https://evil.example.com/refund) ![x](https://evil.example.com/t.png) <https://evil.example.com/auto>",
    "[a][1] 引用链接\n\n[1]: https://evil.example.com/ref",
    '<a href="javascript:window.__pwned=1">点我</a> <img src=x onerror="window.__pwned=2"> <svg/onload=window.__pwned=3>',
    '</script><script>window.__pwned=4</script><iframe srcdoc="<script>parent.__pwned=5</script>"></iframe>',
    '"><img src=x onerror=window.__pwned=6>{{DATE(2017-02-14T06:08:39Z, SHORT)}} $' + "{window.__pwned=7}",
    "访问 www.evil.com 或 evil.cn/x 或 http://192.168.1.1 或 lark://applink/client/chat 或 msteams://teams.microsoft.com/l",
  ];
}

export interface Finding {
  readonly where: string;
  readonly problem: string;
}

/** Mention targets a text or card makes active on Feishu: <at id|user_id|open_id=...>. */
function feishuTargets(all: string): string[] {
  return [...all.matchAll(/<at\s+(?:id|ids|user_id|open_id|email)\s*=\s*["']?([^"'\s>]+)/gi)].flatMap((m) =>
    m[1]!.split(","),
  );
}

/**
 * Everything the platforms received from closeloop in this world, checked: no mention of someone the system
 * would never mention (nor all), no link other than the board's, nothing a client would run or embed.
 */
export function scanPlatformOutputs(
  w: SecurityWorld,
  extra: { where: string; value: unknown }[] = [],
): {
  findings: Finding[];
  scanned: number;
} {
  const findings: Finding[] = [];
  let scanned = 0;
  const never = new Map<string, string>();
  for (const who of NEVER_MENTIONED) {
    never.set(w.feishu.users[who].open_id, who);
    never.set(w.dingUser(who), who);
    never.set(w.teams.users[who].id, who);
    never.set(w.teams.users[who].aadObjectId, who);
  }
  for (const all of ["all", "@ALL", "@all"]) never.set(all, "everyone");

  const common = (where: string, value: unknown) => {
    scanned++;
    const all = strings(openJson(value));
    for (const s of all) {
      for (const m of s.matchAll(/https?:\/\/[^\s)"'<>\]]+/gi))
        if (!ALLOWED_URL.test(m[0])) findings.push({ where, problem: `link ${m[0]}` });
      // Active markup needs ASCII brackets and colons (the cards use inert look-alikes for typed ones).
      if (/javascript:|<script|<img|<iframe|<svg/i.test(s))
        findings.push({ where, problem: `markup ${s.slice(0, 80)}` });
      for (const m of s.matchAll(/\]\(([^)]*)\)/g))
        if (!ALLOWED_URL.test(m[1]!)) findings.push({ where, problem: `markdown link (${m[1]})` });
    }
    return all.join("\n");
  };

  for (const m of w.feishu.emu.messages.values()) {
    if (m.sender !== "bot") continue;
    const where = `feishu ${m.msg_type} ${m.message_id}`;
    const joined = common(where, m.content);
    for (const id of feishuTargets(joined))
      if (never.has(id) || !/^ou_/.test(id))
        findings.push({ where, problem: `mention of ${never.get(id) ?? id}` });
  }
  for (const c of w.dingtalk.emu.cards.values()) {
    const where = `dingtalk card ${c.outTrackId}`;
    const joined = common(where, { data: c.cardParamMap, private: c.privateData });
    for (const id of [
      ...Object.keys(c.atUserIds),
      ...[...joined.matchAll(/<a\s+atId=([^>\s]+)/gi)].map((m) => m[1]!),
    ])
      if (never.has(id)) findings.push({ where, problem: `mention of ${never.get(id)}` });
    if (c.silentMentions.length)
      findings.push({ where, problem: `half mention ${c.silentMentions.join(",")}` });
  }
  for (const m of w.dingtalk.emu.messages) {
    const where = `dingtalk ${m.via} message ${m.seq}`;
    common(where, m.body);
    const at = (m.body as { at?: { atUserIds?: string[]; atMobiles?: string[]; isAtAll?: boolean } }).at;
    if (at?.isAtAll) findings.push({ where, problem: "@all" });
    if (at?.atMobiles?.length) findings.push({ where, problem: `atMobiles ${at.atMobiles.join(",")}` });
    for (const id of [...m.mentioned, ...(at?.atUserIds ?? [])])
      if (never.has(id)) findings.push({ where, problem: `mention of ${never.get(id)}` });
  }
  for (const c of w.teams.emu.connector.conversations.values())
    for (const a of c.activities.values()) {
      if (a.by !== "bot") continue;
      const where = `teams ${c.id} ${a.id}`;
      common(where, a.activity);
      const activity = a.activity as {
        text?: string;
        entities?: { type: string; text?: string; mentioned?: { id?: string } }[];
      };
      const mentions = (activity.entities ?? []).filter((e) => e.type === "mention");
      for (const e of mentions)
        if (never.has(e.mentioned?.id ?? ""))
          findings.push({ where, problem: `mention of ${never.get(e.mentioned!.id!)}` });
      for (const tag of (activity.text ?? "").match(/<at>.*?<\/at>/g) ?? [])
        if (!mentions.some((e) => e.text === tag))
          findings.push({ where, problem: `<at> without its entity: ${tag}` });
    }
  for (const e of extra) {
    const joined = common(e.where, e.value);
    for (const id of feishuTargets(joined))
      if (never.has(id)) findings.push({ where: e.where, problem: `mention of ${never.get(id)}` });
  }
  return { findings, scanned };
}
