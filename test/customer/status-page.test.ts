import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_DIRECTORY } from "../../adapters/sandbox/demo-directory.ts";
import { COLLECTIONS } from "../../core/customer/docs.ts";
import { formTokenOf, type Harness, harness, pathOf } from "./harness.ts";

const HOUR = 3_600_000;
const as = (actor: string) => ({ actor, via: "api" as const });

describe("the public status page", () => {
  let h: Harness;
  let number: string;
  let link: { url: string; code: string };

  beforeAll(async () => {
    h = await harness();
    let t = await h.cl.service.create(as("agent-li"), {
      description: "张先生说 X200 无法开机，电话 13800138000，订单 DD20261120",
      customer: { name: "张先生", phone: "13800138000", type: "vip" },
      department: "tech",
      owner: "eng-liu",
      orderNo: "DD20261120",
    });
    number = t.state.number;
    ({ record: t } = await h.cl.service.execute(
      number,
      "start",
      { version: t.state.version },
      as("eng-liu"),
    ));
    await h.cl.service.execute(
      number,
      "comment",
      { text: "内部：客户情绪激动，回电 13912345678" },
      as("eng-liu"),
    );
    link = (await h.request("POST", `/api/v1/tickets/${number}/customer-links/status`, { as: "agent-li" }))
      .json;
  });
  afterAll(async () => h?.close());

  it("shows the number, the status, the steps in plain words and the next promised update", async () => {
    const page = await h.request("GET", pathOf(link.url), {
      headers: { "accept-language": "zh-CN,zh;q=0.9" },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<dd data-number>${number}</dd>`);
    expect(page.text).toContain('data-status="in_progress">处理中');
    expect(page.text).toContain("已受理您的问题");
    expect(page.text).toContain("已安排工程师负责处理");
    expect(page.text).toContain("工程师已开始处理");
    // The update deadline from the ticket's SLA plan, in Shanghai time: the same instant, as a person reads it.
    const due = (await h.cl.service.get(number)).state.due.update!;
    const local = new Intl.DateTimeFormat("zh-CN", {
      timeZone: "Asia/Shanghai",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(new Date(due));
    expect(page.text).toMatch(new RegExp(`data-promise="update">下次进度更新：[^<]*${local} 前`));

    const en = await h.request("GET", `${pathOf(link.url)}&lang=en`);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain("Next progress update by");
    expect(en.text).toContain("Handed to our engineer");
    expect(en.text).toContain("Our engineer started work");
  });

  it("carries no staff names, no contact data, no internal comment and no free text staff wrote", async () => {
    await h.cl.service.execute(
      number,
      "resolve",
      { version: (await h.cl.service.get(number)).state.version, solution: "刘洋更换了电源板" },
      as("eng-liu"),
    );
    const page = await h.request("GET", pathOf(link.url));
    expect(page.text).toContain("已处理完毕");
    for (const p of DEMO_DIRECTORY.people) expect(page.text).not.toContain(p.name);
    for (const p of DEMO_DIRECTORY.people) expect(page.text).not.toContain(p.id);
    for (const d of DEMO_DIRECTORY.departments) expect(page.text).not.toContain(d.name);
    for (const secret of [
      "张先生",
      "13800138000",
      "138****8000",
      "13912345678",
      "139****5678",
      "8000",
      "DD20261120",
    ])
      expect(page.text).not.toContain(secret);
    for (const staffText of ["内部", "情绪", "电源板", "无法开机", "VIP"])
      expect(page.text).not.toContain(staffText);
  });

  it("answers with a strict policy: no script at all, the one inline style by hash, never framed", async () => {
    const page = await h.request("GET", pathOf(link.url));
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain("unsafe");
    expect(page.text).not.toContain("<script");
    expect(page.headers.get("cache-control")).toBe("no-store");
    // Other sites learn nothing; our own forms still carry their origin to the form guard.
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.text).toContain('<meta name="referrer" content="same-origin">');
  });

  it("opens with the ticket number and the phone code too, typed loosely", async () => {
    const form = await h.request("GET", "/status?lang=en");
    expect(form.status).toBe(200);
    expect(form.text).toContain("Check your ticket");
    const res = await h.request("POST", "/status", {
      form: {
        number: ` ${number.toLowerCase()} `,
        code: link.code.replace(" ", "-"),
        form: formTokenOf(form.text),
        lang: "en",
      },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(number);
    expect(res.text).toContain("Dealt with");
  });

  it("says what is wrong with the format of a lookup, and writes nothing", async () => {
    const form = await h.request("GET", "/status");
    const res = await h.request("POST", "/status", {
      form: { number: "<script>", code: "12", form: formTokenOf(form.text) },
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain("请填写工单号");
    expect(res.text).toContain("查询码是 8 位数字");
    expect(res.text).toContain('value="&lt;script&gt;"');
    expect(res.text).not.toContain("<script>");
  });
});

describe("a wrong code or link tells nothing about which tickets exist", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => h?.close());

  it("answers an unknown number, a wrong code and a revoked code alike, with the same store reads", async () => {
    const a = (await h.cl.service.create(as("agent-li"), { description: "物流查询 A" })).state.number;
    const b = (await h.cl.service.create(as("agent-li"), { description: "物流查询 B" })).state.number;
    const linkA = (await h.request("POST", `/api/v1/tickets/${a}/customer-links/status`, { as: "agent-li" }))
      .json;
    const linkB = (await h.request("POST", `/api/v1/tickets/${b}/customer-links/status`, { as: "agent-li" }))
      .json;
    await h.request("DELETE", `/api/v1/tickets/${b}/customer-links/status`, { as: "agent-li" });
    const wrongA = linkA.code === "1111 2222" ? "3333 4444" : "1111 2222";
    const unknown = "CS209901999";

    const getDoc = vi.spyOn(h.cl.store, "getDoc");
    const get = vi.spyOn(h.cl.store, "get");
    const tokenOf = (html: string) => formTokenOf(html);
    const lookup = async (number: string, code: string) => {
      const form = await h.request("GET", "/status");
      getDoc.mockClear();
      get.mockClear();
      const res = await h.request("POST", "/status", { form: { number, code, form: tokenOf(form.text) } });
      return {
        status: res.status,
        // The page echoes the number typed and carries a fresh form token; neither depends on the ticket.
        body: res.text.replaceAll(number, "#").replace(/name="form" value="[^"]+"/, ""),
        reads: getDoc.mock.calls.map(([collection]) => collection),
        ticketReads: get.mock.calls.length,
      };
    };
    const answers = [await lookup(unknown, wrongA), await lookup(a, wrongA), await lookup(b, linkB.code)];
    expect(answers[0]!.status).toBe(404);
    expect(answers[0]!.body).toContain("工单号或查询码不正确");
    expect(answers[0]!.reads).toEqual([COLLECTIONS.codes]);
    expect(answers[0]!.ticketReads).toBe(0);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);

    const right = await lookup(a, linkA.code);
    expect(right.status).toBe(200);
    expect(right.ticketReads).toBe(1);
    getDoc.mockRestore();
    get.mockRestore();
  });

  it("answers an unknown, a revoked, a malformed and a wrong-kind link alike", async () => {
    const n = (await h.cl.service.create(as("agent-li"), { description: "退款进度" })).state.number;
    const revoked = (
      await h.request("POST", `/api/v1/tickets/${n}/customer-links/status`, { as: "agent-li" })
    ).json;
    await h.request("DELETE", `/api/v1/tickets/${n}/customer-links/status`, { as: "agent-li" });
    const live = (await h.request("POST", `/api/v1/tickets/${n}/customer-links/status`, { as: "agent-li" }))
      .json;
    const liveToken = new URL(live.url).searchParams.get("t")!;
    // The live token's selector with another verifier: found in the store, refused by the comparison.
    const forged = `${liveToken.slice(0, 12)}${"A".repeat(20)}`;
    const paths = [
      "/status?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      pathOf(revoked.url),
      "/status?t=short",
      `/status?t=${forged}`,
      `/survey?t=${liveToken}`,
    ];
    const getDoc = vi.spyOn(h.cl.store, "getDoc");
    const get = vi.spyOn(h.cl.store, "get");
    const answers = [];
    for (const p of paths) {
      getDoc.mockClear();
      get.mockClear();
      const res = await h.request("GET", p);
      answers.push({
        status: res.status,
        body: res.text,
        reads: getDoc.mock.calls.map(([collection]) => collection),
        ticketReads: get.mock.calls.length,
      });
    }
    getDoc.mockRestore();
    get.mockRestore();
    expect(answers[0]!.status).toBe(404);
    expect(answers[0]!.body).toContain("链接无效");
    expect(answers[0]!.reads).toEqual([COLLECTIONS.tokens]);
    expect(answers[0]!.ticketReads).toBe(0);
    for (const a of answers.slice(1, 4)) expect(a).toEqual(answers[0]);
    // The survey page has its own title, but says just as little, after the same work.
    expect(answers[4]).toMatchObject({ status: 404, reads: [COLLECTIONS.tokens], ticketReads: 0 });
    expect(answers[4]!.body).toContain("该链接无效或已失效");
    expect((await h.request("GET", pathOf(live.url))).status).toBe(200);
  });
});

describe("rate limits per client address", () => {
  let h: Harness;
  let number: string;
  let code: string;

  beforeAll(async () => {
    h = await harness({ customerLinks: { rateLimit: { window: "PT10M", requests: 12, failures: 3 } } });
    number = (await h.cl.service.create(as("agent-li"), { description: "发票" })).state.number;
    code = (await h.request("POST", `/api/v1/tickets/${number}/customer-links/status`, { as: "agent-li" }))
      .json.code;
  });
  afterAll(async () => h?.close());

  const attempt = async (from: string, c: string) => {
    const form = await h.request("GET", "/status", { from });
    return h.request("POST", "/status", { from, form: { number, code: c, form: formTokenOf(form.text) } });
  };

  it("stops an address after its wrong codes, even with the right one, and not its neighbour", async () => {
    const wrong = code === "0000 0000" ? "9999 9999" : "0000 0000";
    for (let i = 0; i < 3; i++) expect((await attempt("198.51.100.7", wrong)).status).toBe(404);
    const blocked = await attempt("198.51.100.7", code);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBe("600");
    expect(blocked.text).toContain("请求过于频繁");
    expect(blocked.text).not.toContain("data-number");
    // Links are checked from the same budget.
    expect(
      (await h.request("GET", "/status?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", { from: "198.51.100.7" })).status,
    ).toBe(429);
    expect((await attempt("198.51.100.8", code)).status).toBe(200);

    h.clock.advance(10 * 60_000);
    expect((await attempt("198.51.100.7", code)).status).toBe(200);
  });

  it("counts every request, and one IPv6 /64 as one client", async () => {
    h.clock.advance(HOUR);
    for (let i = 0; i < 12; i++) {
      const from = `2001:db8:1:2::${(i + 1).toString(16)}`;
      expect((await h.request("GET", "/status", { from })).status).toBe(200);
    }
    const over = await h.request("GET", "/status", { from: "2001:db8:1:2:ffff::9" });
    expect(over.status).toBe(429);
    expect((await h.request("GET", "/status", { from: "2001:db8:1:3::1" })).status).toBe(200);
  });
});
