import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketEvent } from "../../core/ticket/events.ts";
import { confirmedTicket, formTokenOf, type Harness, harness, pathOf } from "./harness.ts";

const as = (actor: string) => ({ actor, via: "api" as const });

describe("the survey by link", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => h?.close());

  const surveyLink = async (number: string) => {
    const res = await h.request("POST", `/api/v1/tickets/${number}/customer-links/survey`, {
      as: "agent-li",
    });
    expect(res.status).toBe(201);
    return pathOf(res.json.url);
  };
  const tokenIn = (path: string) => new URL(path, "http://x").searchParams.get("t")!;
  const answer = async (
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ) => {
    const page = await h.request("GET", path);
    return h.request("POST", "/survey", {
      form: { t: tokenIn(path), form: formTokenOf(page.text), ...fields },
      headers,
    });
  };
  const outboxOf = async (number: string) =>
    (await h.cl.store.dueOutbox("9999-01-01T00:00:00.000Z", 1000)).filter((r) => r.ticket === number);
  const surveyed = (events: readonly TicketEvent[]) => events.filter((e) => e.type === "surveyed");

  it("records a score below 3 exactly as the agent's survey command does, remedy and all", async () => {
    // The agent records a survey by phone on one ticket...
    const byAgent = await confirmedTicket(h);
    const v = (await h.cl.service.get(byAgent)).state.version;
    const recorded = await h.request("POST", `/api/v1/tickets/${byAgent}/survey`, {
      as: "agent-li",
      json: {
        version: v,
        resolutionScore: 2,
        attitudeScore: 4,
        method: "online_survey",
        suggestion: "换货太慢",
      },
    });
    expect(recorded.status).toBe(200);

    // ...and the customer answers the same by link on another, at the same instant.
    const byLink = await confirmedTicket(h);
    const path = await surveyLink(byLink);
    const form = await h.request("GET", path);
    expect(form.status).toBe(200);
    expect(form.text).toContain("满意度回访");
    expect(form.text).toContain('name="resolutionScore" value="1"');
    const res = await answer(path, { resolutionScore: "2", attitudeScore: "4", suggestion: "换货太慢" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${path}&lang=zh-CN`);

    const agentT = await h.cl.service.get(byAgent);
    const linkT = await h.cl.service.get(byLink);
    const strip = ({ via: _via, ...rest }: TicketEvent) => rest;
    expect(surveyed(linkT.events).map(strip)).toEqual(surveyed(agentT.events).map(strip));
    expect(surveyed(linkT.events)[0]).toMatchObject({
      actor: "agent-li",
      via: "web",
      method: "online_survey",
      resolutionScore: 2,
      attitudeScore: 4,
      suggestion: "换货太慢",
      remedy: true,
    });
    expect(linkT.state.remedy).toEqual(agentT.state.remedy);
    expect(linkT.state.due.remedy).toBe(agentT.state.due.remedy);
    expect(linkT.state.due.remedy).toBeTruthy();
    const alerts = async (n: string) =>
      (await outboxOf(n))
        .filter((r) => r.kind === "remedy_alert")
        .map((r) => `${r.recipient}:${r.payload.resolutionScore}/${r.payload.attitudeScore}`)
        .sort();
    expect(await alerts(byLink)).toEqual(["agent-li:2/4", "head-returns:2/4"]);
    expect(await alerts(byLink)).toEqual(await alerts(byAgent));

    // The page after the answer thanks the customer and says when someone will call.
    const after = await h.request("GET", path);
    expect(after.status).toBe(200);
    expect(after.text).toContain("感谢您的评价");
    expect(after.text).toContain("很抱歉这次没能让您满意");
  });

  it("opens no remedy at 3, the threshold", async () => {
    const n = await confirmedTicket(h);
    const res = await answer(await surveyLink(n), { resolutionScore: "3", attitudeScore: "5" });
    expect(res.status).toBe(303);
    const t = await h.cl.service.get(n);
    expect(t.state.survey).toMatchObject({ resolutionScore: 3, attitudeScore: 5, method: "online_survey" });
    expect(t.state.remedy).toBeUndefined();
    expect((await outboxOf(n)).some((r) => r.kind === "remedy_alert")).toBe(false);
  });

  it("refuses a second answer, through the same link or any other, and writes nothing", async () => {
    const n = await confirmedTicket(h);
    const path = await surveyLink(n);
    const page = await h.request("GET", path);
    const form = { t: tokenIn(path), form: formTokenOf(page.text), resolutionScore: "5", attitudeScore: "5" };
    expect((await h.request("POST", "/survey", { form })).status).toBe(303);
    const seq = (await h.cl.service.get(n)).state.seq;

    // The same form sent again (a double tap, the back button).
    const again = await h.request("POST", "/survey", {
      form: { ...form, resolutionScore: "1", attitudeScore: "1" },
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain("每张工单只能评价一次");
    // No new survey link for an answered ticket either.
    const more = await h.request("POST", `/api/v1/tickets/${n}/customer-links/survey`, { as: "agent-li" });
    expect(more.status).toBe(422);
    // Nor can the agent record a second one.
    const agent = await h.request("POST", `/api/v1/tickets/${n}/survey`, {
      as: "agent-li",
      json: {
        version: (await h.cl.service.get(n)).state.version,
        resolutionScore: 1,
        attitudeScore: 1,
        method: "phone",
      },
    });
    expect(agent.status).toBe(422);
    const t = await h.cl.service.get(n);
    expect(t.state.seq).toBe(seq);
    expect(t.state.survey).toMatchObject({ resolutionScore: 5, attitudeScore: 5 });
  });

  it("refuses an answer the agent recorded by phone first, and a link that was replaced or revoked", async () => {
    const n = await confirmedTicket(h);
    const old = await surveyLink(n);
    const path = await surveyLink(n);
    expect((await h.request("GET", old)).status).toBe(404);
    const page = await h.request("GET", path);
    const v = (await h.cl.service.get(n)).state.version;
    await h.cl.service.execute(
      n,
      "survey",
      { version: v, resolutionScore: 4, attitudeScore: 4, method: "phone" },
      as("agent-li"),
    );
    const late = await h.request("POST", "/survey", {
      form: { t: tokenIn(path), form: formTokenOf(page.text), resolutionScore: "1", attitudeScore: "1" },
    });
    expect(late.status).toBe(409);
    expect((await h.cl.service.get(n)).state.survey).toMatchObject({ resolutionScore: 4, method: "phone" });

    const other = await confirmedTicket(h);
    const revoked = await surveyLink(other);
    const revokedPage = await h.request("GET", revoked);
    await h.request("DELETE", `/api/v1/tickets/${other}/customer-links/survey`, { as: "agent-li" });
    const res = await h.request("POST", "/survey", {
      form: {
        t: tokenIn(revoked),
        form: formTokenOf(revokedPage.text),
        resolutionScore: "5",
        attitudeScore: "5",
      },
    });
    expect(res.status).toBe(404);
    expect((await h.cl.service.get(other)).state.survey).toBeUndefined();
  });

  it("says which answer is missing or too long, keeps what was typed, and writes nothing", async () => {
    const n = await confirmedTicket(h);
    const path = await surveyLink(n);
    const seq = (await h.cl.service.get(n)).state.seq;
    const missing = await answer(
      path,
      { resolutionScore: "7", suggestion: "<b>慢</b>" },
      { "accept-language": "en" },
    );
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("How well was your problem solved?: choose a score from 1 to 5");
    expect(missing.text).toContain("How was our service attitude?: choose a score from 1 to 5");
    expect(missing.text).toContain("&lt;b&gt;慢&lt;/b&gt;</textarea>");
    const long = await answer(path, {
      resolutionScore: "4",
      attitudeScore: "4",
      suggestion: "慢".repeat(1001),
    });
    expect(long.status).toBe(400);
    expect(long.text).toContain("意见或建议（选填）: 最多 1000 字");
    expect(long.text).toContain('value="4" required checked');
    const huge = await answer(path, {
      resolutionScore: "4",
      attitudeScore: "4",
      suggestion: "x".repeat(5000),
    });
    expect(huge.status).toBe(400);
    expect((await h.cl.service.get(n)).state.seq).toBe(seq);
  });

  it("masks a phone number the customer typed, as the agent's command does", async () => {
    const n = await confirmedTicket(h);
    const res = await answer(await surveyLink(n), {
      resolutionScore: "5",
      attitudeScore: "5",
      suggestion: "请回电 13912345678",
    });
    expect(res.status).toBe(303);
    const t = await h.cl.service.get(n);
    expect(t.state.survey?.suggestion).toBe("请回电 139****5678");
    expect(h.storedBytes()).not.toContain("13912345678");
  });

  it("refuses a post from another site, or without this form's token, and writes nothing", async () => {
    const n = await confirmedTicket(h);
    const path = await surveyLink(n);
    const seq = (await h.cl.service.get(n)).state.seq;
    const scores = { resolutionScore: "5", attitudeScore: "5" };

    const crossOrigin = await answer(path, scores, { origin: "https://evil.example" });
    expect(crossOrigin.status).toBe(403);
    expect(crossOrigin.text).toContain("不是从本站页面提交的");
    const crossFetch = await answer(path, scores, { "sec-fetch-site": "cross-site" });
    expect(crossFetch.status).toBe(403);
    const nullOrigin = await answer(path, scores, { origin: "null" });
    expect(nullOrigin.status).toBe(403);

    const noToken = await h.request("POST", "/survey", { form: { t: tokenIn(path), ...scores } });
    expect(noToken.status).toBe(400);
    expect(noToken.text).toContain("页面已过期");
    // A token served for the lookup form (or another link's survey) does not fit this one.
    const lookup = await h.request("GET", "/status");
    const wrongForm = await h.request("POST", "/survey", {
      form: { t: tokenIn(path), form: formTokenOf(lookup.text), ...scores },
    });
    expect(wrongForm.status).toBe(400);
    // A form a day and more old has expired.
    const page = await h.request("GET", path);
    h.clock.advance(25 * 3_600_000);
    const stale = await h.request("POST", "/survey", {
      form: { t: tokenIn(path), form: formTokenOf(page.text), ...scores },
    });
    expect(stale.status).toBe(400);
    expect(stale.text).toContain('value="5" required checked');
    const json = await h.request("POST", "/survey", { json: { t: tokenIn(path), ...scores } });
    expect(json.status).toBe(400);
    expect((await h.cl.service.get(n)).state.seq).toBe(seq);

    // The same-origin post from the page goes through.
    const ok = await answer(path, scores, { origin: "http://localhost", "sec-fetch-site": "same-origin" });
    expect(ok.status).toBe(303);
  });

  it("tells the customer when the ticket went back to work after the link was sent", async () => {
    const n = await confirmedTicket(h);
    const path = await surveyLink(n);
    const page = await h.request("GET", path);
    const v = (await h.cl.service.get(n)).state.version;
    await h.cl.service.execute(n, "reopen", { version: v, reason: "客户再次反馈" }, as("agent-li"));
    const res = await h.request("POST", "/survey", {
      form: { t: tokenIn(path), form: formTokenOf(page.text), resolutionScore: "1", attitudeScore: "1" },
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain("这份回访目前无法提交");
    expect((await h.cl.service.get(n)).state.survey).toBeUndefined();
  });
});
