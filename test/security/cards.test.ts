import { describe, expect, it } from "vitest";
import type { Card } from "../../cards/model/types.ts";
import { SAMPLE_BOARD, sampleDirectory } from "../../cards/preview/samples.ts";
import { renderDingTalkCard, renderDingTalkMessage } from "../../cards/render/dingtalk.ts";
import { renderFeishu } from "../../cards/render/feishu.ts";
import { renderPlainText } from "../../cards/render/plain.ts";
import { renderTeams } from "../../cards/render/teams.ts";
import { LOCALES } from "../../core/i18n/locale.ts";
import { hostileCards } from "../cards/support/hostile.ts";
import { objects, openJson, strings } from "../cards/support/walk.ts";
import { flushTallies, rawPhones, tally } from "./support/ledger.ts";

/**
 * Issue 11, part 3 at the renderer: every card kind (ticket in each state and with each form open, nudge,
 * overdue alert, digest, follow-up confirm and survey, new-ticket form) on every platform and locale, built
 * from text that names the sample organisation's real ids on each platform. No mention except of the people
 * the card itself mentions, no link but the board's, no active markup. (test/cards/hostile.test.ts runs the
 * shared corpus the same way; these are the mention and link forms it does not have.)
 */
const dir = sampleDirectory();
const f = (id: string) => dir.person(id)!.feishu!.openId;
const d = (id: string) => dir.person(id)!.dingtalk!.userId;
const t = (id: string) => dir.person(id)!.teams!.aadObjectId;

const TEXTS = [
  `<at id=${f("admin")}></at><at user_id="${f("head-billing")}">林晓</at><at open_id=${f("eng-he")}></at><at id=all></at>`,
  `<a atId=${d("admin")}>陈静</a><a atId=@ALL>所有人</a><a atId="${d("head-billing")}">x</a> @${d("admin")} @所有人`,
  `<at>陈静</at><at id="${t("admin")}">x</at><at>Everyone</at> {"type":"mention","mentioned":{"id":"${t("admin")}"}}`,
  "[a][1]\n\n[1]: https://evil.example.com/ref <https://evil.example.com/auto> [x](<https://evil.example.com>)",
  '<a href="https://evil.example.com">点</a><img src=x onerror=alert(1)><svg/onload=alert(2)><iframe src=//evil.example.com>',
  `{{DATE(2017-02-14T06:08:39Z, SHORT)}} $${"{evil}"} $(evil) <!-- x --> &#x3C;at id=all&#x3E; %3Cat%3E`,
  "lark://applink/client/chat/open?openId=ou_x dingtalk://dingtalkclient/action/sendmsg msteams:/l/chat/0/0 HTTPS://EVIL.EXAMPLE.COM",
];

const RENDERERS = {
  feishu: renderFeishu,
  teams: (c: Card) => renderTeams(c),
  "dingtalk-card": renderDingTalkCard,
  "dingtalk-message": renderDingTalkMessage,
  text: renderPlainText,
} as const;

/** Ids a card may mention: the people its model mentions (the owner on a nudge, the heads on an alert). */
function allowed(card: Card): Set<string> {
  const ids = new Set<string>();
  for (const o of objects(card.blocks)) {
    if (o.kind !== "mention") continue;
    const p = o.person as {
      feishu?: { openId: string };
      dingtalk?: { userId: string };
      teams?: { aadObjectId: string };
    };
    if (p.feishu) ids.add(p.feishu.openId);
    if (p.dingtalk) ids.add(p.dingtalk.userId);
    if (p.teams) ids.add(p.teams.aadObjectId);
  }
  return ids;
}

/** Input values of a form are plain, editable text on every platform: never read as markup. */
function withoutInputs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutInputs);
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const input =
      o.tag === "input" || o.type === "Input.Text" || (typeof o.kind === "string" && "required" in o);
    return Object.fromEntries(
      Object.entries(o)
        .filter(([k]) => !(input && (k === "default_value" || k === "value")))
        .map(([k, v]) => [k, withoutInputs(v)]),
    );
  }
  return value;
}

function problems(name: keyof typeof RENDERERS, out: unknown, card: Card): string[] {
  const found: string[] = [];
  const all = strings(withoutInputs(openJson(out))).join("\n");
  const ok = allowed(card);
  const ids: string[] = [];
  if (name === "feishu")
    ids.push(
      ...[...all.matchAll(/<at\s+(?:id|ids|user_id|open_id|email)=["']?([^"'\s>]+)/gi)].map((m) => m[1]!),
    );
  if (name === "dingtalk-card") {
    ids.push(...[...all.matchAll(/<a\s+atId=["']?([^"'>\s]+)/gi)].map((m) => m[1]!));
    ids.push(...(out as { cardAtUserIds: string[] }).cardAtUserIds);
  }
  if (name === "dingtalk-message") {
    const at = (out as { at?: { atUserIds: string[]; isAtAll: boolean; atMobiles?: string[] } }).at;
    if (at?.isAtAll) found.push("@all");
    if (at?.atMobiles?.length) found.push("atMobiles");
    ids.push(...(at?.atUserIds ?? []));
  }
  if (name === "teams") {
    const entities =
      (out as { msteams: { entities?: { text: string; mentioned: { id: string } }[] } }).msteams.entities ??
      [];
    ids.push(...entities.map((e) => e.mentioned.id));
    for (const tag of all.match(/<at>.*?<\/at>/g) ?? [])
      if (!entities.some((e) => e.text === tag)) found.push(`<at> without entity ${tag}`);
  }
  for (const id of ids) if (!ok.has(id)) found.push(`mention of ${id}`);
  for (const m of all.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s)"'<>]+/gi))
    if (!m[0].startsWith(SAMPLE_BOARD) && m[0] !== "http://adaptivecards.io/schemas/adaptive-card.json")
      found.push(`link ${m[0]}`);
  // A DingTalk mention is <a atId=…> (checked above); any other tag is markup someone typed.
  if (/<img|<svg|<iframe|<script|<a\s(?!atId=)|javascript:/i.test(all)) found.push("active markup");
  if (/\]\((?!https:\/\/closeloop\.example\.test)/.test(all)) found.push("markdown link");
  if (/^\s*\[[^\]]+\]:\s/m.test(all)) found.push("link reference definition");
  for (const p of rawPhones(all)) found.push(`phone ${p}`);
  for (const o of objects(out))
    if (["img", "Image", "at", "a", "Media", "person"].includes(String(o.tag ?? o.type)))
      found.push(`element ${String(o.tag ?? o.type)}`);
  return found;
}

describe("every card kind, every platform, every locale, text naming real ids", () => {
  for (const locale of LOCALES)
    TEXTS.forEach((text, i) => {
      it(`${locale} #${i}: ${JSON.stringify(text.slice(0, 50))}`, () => {
        const cards = hostileCards(text, locale);
        expect(new Set(cards.map((c) => c.kind)).size).toBeGreaterThanOrEqual(6);
        const tl = tally("cards:renders");
        const found: string[] = [];
        cards.forEach((card, k) => {
          for (const [name, render] of Object.entries(RENDERERS) as [
            keyof typeof RENDERERS,
            (c: Card) => unknown,
          ][]) {
            tl.tried++;
            const p = problems(name, render(card), card);
            if (p.length === 0) tl.refused++;
            found.push(...p.map((x) => `${card.kind}#${k} ${name}: ${x}`));
          }
        });
        expect(found).toEqual([]);
      });
    });

  it("reports its counts", () => {
    expect(tally("cards:renders").tried).toBeGreaterThan(0);
    flushTallies("cards");
  });
});
