import { describe, expect, it } from "vitest";
import type { Card } from "../../cards/model/types.ts";
import { SAMPLE_BOARD } from "../../cards/preview/samples.ts";
import { renderDingTalkCard, renderDingTalkMessage } from "../../cards/render/dingtalk.ts";
import { renderFeishu } from "../../cards/render/feishu.ts";
import { renderPlainText } from "../../cards/render/plain.ts";
import { renderTeams } from "../../cards/render/teams.ts";
import type { Person } from "../../core/directory/schema.ts";
import { LOCALES } from "../../core/i18n/locale.ts";
import { findPhones } from "../../core/privacy/detect.ts";
import { HOSTILE, HOSTILE_PHONE_DIGITS, hostileCards } from "./support/hostile.ts";
import { objects, openJson, strings } from "./support/walk.ts";

const BENIGN = "正常文本 normal text";

/** Markup that could mention, link, embed or format, counted over every string of an output. */
const MARKUP: readonly (readonly [string, RegExp])[] = [
  ["<at", /<at[\s>]/gi],
  ["<a", /<a\s/gi],
  ["](", /\]\(/g],
  ["![", /!\[/g],
  ["<img", /<img/gi],
  ["<font", /<font/gi],
  ["<script", /<script/gi],
  ["<b>", /<\/?[bi]>/gi],
  ["**", /\*\*/g],
  ["__", /__/g],
  ["~~", /~~/g],
  ["`", /`/g],
  ["url", /[a-z][a-z0-9+.-]*:\/\//gi],
  ["www.", /www\./gi],
  ["@", /@/g],
  ["&entity;", /&(?:lt|gt|amp|#\d+);/gi],
  ["line #", /^\s*#/gm],
  ["line >", /^\s*>/gm],
  ["line list", /^\s*(?:[-*+]|\d+[.)])\s/gm],
  ["line rule", /^\s*(?:-{3,}|={3,}|_{3,})\s*$/gm],
  ["|", /\|/g],
];

/** Prefilled form values are plain, editable input text on every platform: never read as markup. */
function withoutInputValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutInputValues);
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const input =
      o.tag === "input" || o.type === "Input.Text" || (typeof o.kind === "string" && "required" in o);
    return Object.fromEntries(
      Object.entries(o)
        .filter(([k]) => !(input && (k === "default_value" || k === "value")))
        .map(([k, v]) => [k, withoutInputValues(v)]),
    );
  }
  return value;
}

function signature(output: unknown): Record<string, number> {
  const all = strings(withoutInputValues(openJson(output)));
  return Object.fromEntries(
    MARKUP.map(([name, re]) => [name, all.reduce((n, s) => n + (s.match(re)?.length ?? 0), 0)]),
  );
}

function mentioned(card: Card): Person[] {
  const people: Person[] = [];
  for (const o of objects(card.blocks)) if (o.kind === "mention") people.push(o.person as Person);
  return people;
}

const digitsOnly = (s: string) => s.normalize("NFKC").replace(/(?<=\d)[\s\-.\u200b]+(?=\d)/g, "");

function leaks(output: unknown): string[] {
  const found: string[] = [];
  for (const s of strings(openJson(output))) {
    found.push(...findPhones(s));
    const d = digitsOnly(s);
    for (const m of d.matchAll(/(?<!\d)(?:86)?1[3-9]\d{9}(?!\d)/g)) found.push(m[0]);
    for (const p of HOSTILE_PHONE_DIGITS) if (d.includes(p)) found.push(p);
  }
  return found;
}

function foreignUrls(output: unknown): string[] {
  return strings(withoutInputValues(openJson(output)))
    .flatMap((s) => [...s.matchAll(/https?:\/\/[^\s)"'<>]+/gi)].map((m) => m[0]))
    .filter((u) => !u.startsWith(SAMPLE_BOARD) && u !== "http://adaptivecards.io/schemas/adaptive-card.json");
}

const RENDERERS = {
  feishu: renderFeishu,
  teams: (c: Card) => renderTeams(c),
  "dingtalk-card": renderDingTalkCard,
  "dingtalk-message": renderDingTalkMessage,
  text: renderPlainText,
} as const;

/** Mentions the platform will act on, as the ids they point at. */
function activeMentions(name: keyof typeof RENDERERS, out: unknown): string[] {
  const all = strings(withoutInputValues(openJson(out))).join("\n");
  switch (name) {
    case "feishu":
      return [...all.matchAll(/<at\s+(?:id|ids|user_id|email)=["']?([^"'\s>]+)/gi)].map((m) => m[1]!);
    case "teams": {
      const card = out as { msteams: { entities?: { text: string; mentioned: { id: string } }[] } };
      const entities = card.msteams.entities ?? [];
      // An <at> without an entity is inert, but none should exist; one matching an entity is a mention.
      const tags = [...all.matchAll(/<at>(.*?)<\/at>/g)].map((m) => m[0]);
      for (const t of tags)
        expect(
          entities.some((e) => e.text === t),
          `<at> without entity: ${t}`,
        ).toBe(true);
      return entities.map((e) => e.mentioned.id);
    }
    case "dingtalk-card": {
      const ids = [...all.matchAll(/<a\s+atId=([^>\s]+)/gi)].map((m) => m[1]!);
      expect(new Set(ids)).toEqual(new Set((out as { cardAtUserIds: string[] }).cardAtUserIds));
      return ids;
    }
    case "dingtalk-message": {
      const m = out as { msgtype: string; at?: { atUserIds: string[]; isAtAll: boolean } };
      if (m.at) expect(m.at.isAtAll).toBe(false);
      return m.at?.atUserIds ?? [];
    }
    case "text":
      return [];
  }
}

function allowedIds(card: Card): Set<string> {
  const ids = new Set<string>();
  for (const p of mentioned(card)) {
    if (p.feishu?.openId) ids.add(p.feishu.openId);
    if (p.dingtalk) ids.add(p.dingtalk.userId);
    if (p.teams) ids.add(p.teams.aadObjectId);
  }
  return ids;
}

describe("hostile text on every card and every platform", () => {
  for (const locale of LOCALES) {
    const benign = hostileCards(BENIGN, locale);
    HOSTILE.forEach((text, i) => {
      it(`${locale} #${i}: ${JSON.stringify(text.slice(0, 40))}`, () => {
        const cards = hostileCards(text, locale);
        expect(cards.length).toBe(benign.length);
        cards.forEach((card, k) => {
          for (const [name, render] of Object.entries(RENDERERS) as [
            keyof typeof RENDERERS,
            (c: Card) => unknown,
          ][]) {
            const where = `${card.kind}#${k} on ${name}`;
            const out = render(card);
            const base = render(benign[k]!);
            // No more markup than the same card with harmless text: nothing typed became markup.
            const got = signature(out);
            const want = signature(base);
            for (const [token, n] of Object.entries(got))
              expect(n, `${where}: "${token}"`).toBeLessThanOrEqual(want[token]!);
            expect(foreignUrls(out), `${where}: links`).toEqual([]);
            expect(leaks(out), `${where}: raw phone`).toEqual([]);
            const allowed = allowedIds(card);
            for (const id of activeMentions(name, out))
              expect(allowed.has(id), `${where}: mention of ${id}`).toBe(true);
            const tags = objects(out).map((o) => o.tag ?? o.type);
            expect(
              tags.filter((t) => t === "img" || t === "Image" || t === "at" || t === "a" || t === "Media"),
              where,
            ).toEqual([]);
          }
        });
      });
    });
  }

  it("a hostile colleague's name is still a mention (of that person) and nothing more", () => {
    const [, working] = hostileCards("<at id=all></at>@all", "zh-CN");
    const feishu = JSON.stringify(renderFeishu(working!));
    expect(feishu).toContain("<at id=ou_demo_eng_odd></at>");
    expect(feishu).not.toContain("<at id=all>");
    const teams = renderTeams(working!);
    expect(teams.msteams.entities?.map((e) => e.mentioned.id)).toEqual([
      "00000000-0000-4000-8000-00000000dd00",
    ]);
    expect(teams.msteams.entities?.[0]?.text).toBe("<at>＜at id=all＞＜/at＞＠all</at>");
  });
});
