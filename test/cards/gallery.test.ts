import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CARD_CASES } from "../../cards/preview/cases.ts";
import { adaptiveCardsScriptPath, galleryHtml } from "../../cards/preview/gallery.ts";
import { scriptJson } from "../../cards/preview/html.ts";
import { HOSTILE } from "./support/hostile.ts";

describe("the gallery page", () => {
  const html = galleryHtml({ scriptUrl: "/cards/adaptivecards.min.js", nonce: "n0nce" });

  it("shows every card for every platform and locale", () => {
    for (const c of CARD_CASES)
      for (const locale of ["zh-CN", "en"])
        for (const platform of ["feishu", "dingtalk", "teams", "text"])
          expect(html).toContain(`id="${c.name}-${locale}-${platform}"`);
    expect(html).toContain('<script src="/cards/adaptivecards.min.js"></script>');
    expect(html).toContain('<script nonce="n0nce">');
  });

  it("the Teams renderer's bundle is where the server can serve it from", () => {
    expect(existsSync(adaptiveCardsScriptPath())).toBe(true);
  });

  it("card JSON embedded in the page cannot close its script element", () => {
    for (const text of HOSTILE) {
      const embedded = scriptJson({ text });
      expect(embedded).not.toMatch(/<\/script|<!--/i);
      expect(JSON.parse(embedded)).toEqual({ text });
    }
    expect(html.match(/<script/g)?.length).toBe(html.match(/<\/script>/g)?.length);
  });
});
