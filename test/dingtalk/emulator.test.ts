import { afterEach, describe, expect, it } from "vitest";
import { DingTalkApi } from "../../adapters/dingtalk/api.ts";
import { readDingTalkConfig } from "../../adapters/dingtalk/config.ts";
import { DingTalkEmulator } from "../../adapters/dingtalk/emulator/index.ts";
import { DepartmentHeads } from "../../adapters/dingtalk/org.ts";
import { createLogger } from "../../adapters/log/logger.ts";
import { ManualClock } from "../support/manual-clock.ts";
import { CLIENT, GROUP, MONDAY_10, TEMPLATE } from "./support/harness.ts";

const logger = createLogger({ destination: { write: () => undefined } });
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

async function setup() {
  const clock = new ManualClock(MONDAY_10);
  const emu = new DingTalkEmulator({
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    clock,
    templates: [TEMPLATE],
    users: [
      { userId: "u1", name: "一", deptIds: [3] },
      { userId: "boss", name: "老板", deptIds: [1] },
    ],
    departments: [
      { deptId: 1, name: "root", managers: ["boss"] },
      { deptId: 2, name: "mid", parentId: 1, managers: [] },
      { deptId: 3, name: "leaf", parentId: 2, managers: [] },
    ],
    groups: [{ openConversationId: GROUP, title: "g" }],
    dingQuota: 1,
  });
  await emu.start();
  stops.push(() => emu.stop());
  const config = readDingTalkConfig({
    DINGTALK_CLIENT_ID: CLIENT.id,
    DINGTALK_CLIENT_SECRET: CLIENT.secret,
    DINGTALK_API_BASE: emu.url,
    DINGTALK_OAPI_BASE: emu.url,
  });
  const api = new DingTalkApi({ config, clock, logger, throttleBackoffMs: 1, attempts: 1 });
  const raw = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${emu.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  return { clock, emu, api, raw };
}

const card = (map: Record<string, unknown>, extra: object = {}) => ({
  cardTemplateId: TEMPLATE,
  outTrackId: `t${Math.random()}`,
  callbackType: "STREAM",
  cardData: { cardParamMap: map },
  openSpaceId: `dtv1.card//IM_GROUP.${GROUP}`,
  imGroupOpenDeliverModel: { robotCode: CLIENT.id },
  ...extra,
});

describe("the local DingTalk checks what DingTalk checks", () => {
  it("needs the token in the header, and answers with DingTalk's two error envelopes", async () => {
    const { emu, raw } = await setup();
    const missing = await raw("/v1.0/robot/groupMessages/send", {});
    expect(missing.status).toBe(400);
    expect((await missing.json()).code).toBe("AuthenticationFailed.MissingParameter");
    const old = await raw("/topapi/v2/department/get?access_token=nope", { dept_id: 1 });
    expect(old.status).toBe(200);
    expect(await old.json()).toMatchObject({ errcode: 88, sub_code: "40014" });
    const badCreds = await raw("/v1.0/oauth2/accessToken", { appKey: CLIENT.id, appSecret: "wrong" });
    expect((await badCreds.json()).code).toBe("invalidClientIdOrSecret");
    const open = await raw(
      "/v1.0/gateway/connections/open",
      { clientId: CLIENT.id, clientSecret: CLIENT.secret, subscriptions: [] },
      { accept: "application/json" },
    );
    expect((await open.json()).code).toBe("InvalidParameter.Subscriptions");
    const xml = await raw("/v1.0/gateway/connections/open", {
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      subscriptions: [{ type: "EVENT", topic: "*" }],
    });
    expect(xml.headers.get("content-type")).toContain("xml");
    expect(emu.refusals.length).toBeGreaterThanOrEqual(4);
  });

  it("one-shot gateway tickets that expire after 90 s", async () => {
    const { emu, clock } = await setup();
    const t = emu.gateway.issueTicket([{ type: "EVENT", topic: "*" }]);
    clock.advance(91_000);
    const { WebSocket } = await import("ws");
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${emu.url.replace("http", "ws")}/connect?ticket=${t}`);
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => resolve(101));
      ws.on("error", () => undefined);
    });
    expect(status).toBe(401);
  });

  it("card data must be strings only, values ≤ 1 KB; outTrackIds are unique; updates need a card and data", async () => {
    const { api, emu } = await setup();
    await expect(
      api.call("POST", "/v1.0/card/instances/createAndDeliver", card({ title: 1 })),
    ).rejects.toMatchObject({ code: "param.cardParamMapInvalid" });
    await expect(
      api.call("POST", "/v1.0/card/instances/createAndDeliver", card({ title: "x".repeat(1025) })),
    ).rejects.toMatchObject({ code: "param.cardParamMapInvalid" });
    await expect(
      api.call(
        "POST",
        "/v1.0/card/instances/createAndDeliver",
        card({ title: "a" }, { cardTemplateId: "nope" }),
      ),
    ).rejects.toMatchObject({ code: "param.templateNotExist", kind: "config" });
    await expect(
      api.call(
        "POST",
        "/v1.0/card/instances/createAndDeliver",
        card({ title: "a" }, { openSpaceId: "IM_GROUP.x" }),
      ),
    ).rejects.toMatchObject({ code: "param.openSpaceIdInvalid" });
    await expect(
      api.call(
        "POST",
        "/v1.0/card/instances/createAndDeliver",
        card({ title: "a" }, { imGroupOpenDeliverModel: undefined }),
      ),
    ).rejects.toMatchObject({ code: "param.openDeliverModelEmpty" });
    const ok = card({ title: "a", content_1: "<a atId=u1>一</a>" }, { outTrackId: "same" });
    await api.call("POST", "/v1.0/card/instances/createAndDeliver", ok);
    expect(emu.cards.get("same")!.silentMentions).toEqual(["u1"]);
    await expect(api.call("POST", "/v1.0/card/instances/createAndDeliver", ok)).rejects.toMatchObject({
      code: "param.cardAlreadyExist",
    });
    await expect(
      api.call("PUT", "/v1.0/card/instances", { outTrackId: "none", cardData: { cardParamMap: {} } }),
    ).rejects.toMatchObject({ code: "param.cardNotExist" });
    await expect(api.call("PUT", "/v1.0/card/instances", { outTrackId: "same" })).rejects.toMatchObject({
      code: "param.cardDataAndPrivateDataBothEmpty",
    });
    await api.call("PUT", "/v1.0/card/instances", {
      outTrackId: "same",
      cardData: { cardParamMap: { tags: "t" } },
      cardUpdateOptions: { updateCardDataByKey: true },
    });
    expect(emu.cards.get("same")!.cardParamMap).toMatchObject({ title: "a", tags: "t" });
    await api.call("PUT", "/v1.0/card/instances", {
      outTrackId: "same",
      cardData: { cardParamMap: { tags: "u" } },
    });
    expect(emu.cards.get("same")!.cardParamMap).toEqual({ tags: "u" });
  });

  it("robot sends: known msgKey, msgParam a JSON string with its fields, ≤ 20 users, a group the robot is in", async () => {
    const { api } = await setup();
    const send = (body: object) =>
      api.call("POST", "/v1.0/robot/oToMessages/batchSend", {
        robotCode: CLIENT.id,
        msgKey: "sampleText",
        msgParam: JSON.stringify({ content: "hi" }),
        userIds: ["u1"],
        ...body,
      });
    await expect(send({ msgKey: "sampleNope" })).rejects.toMatchObject({
      code: "invalidParameter.msgKey.invalid",
    });
    await expect(send({ msgParam: { content: "hi" } })).rejects.toMatchObject({
      code: "invalidParameter.msgParam.invalid",
    });
    await expect(send({ msgKey: "sampleMarkdown" })).rejects.toMatchObject({
      code: "invalidParameter.msgParam.invalid",
    });
    await expect(send({ userIds: Array.from({ length: 21 }, (_, i) => `u${i}`) })).rejects.toMatchObject({
      code: "invalidParameter.userIds.overMax",
    });
    await expect(send({ robotCode: "other" })).rejects.toMatchObject({
      code: "invalidParameter.robotCode.notExist",
    });
    expect(await send({ userIds: ["u1", "ghost"] })).toMatchObject({ invalidStaffIdList: ["ghost"] });
    await expect(
      api.call("POST", "/v1.0/robot/groupMessages/send", {
        robotCode: CLIENT.id,
        openConversationId: "cidUnknown",
        msgKey: "sampleText",
        msgParam: '{"content":"x"}',
      }),
    ).rejects.toMatchObject({ code: "invalid.openConversationId", kind: "config" });
  });

  it("session webhooks expire, and record whether an @ would notify (text and atUserIds both)", async () => {
    const { api, emu, clock } = await setup();
    const data = emu.robotMessageData({ conversationId: GROUP, senderUserId: "u1", text: "hi" });
    const url = String(data.sessionWebhook);
    await api.postWebhook(url, {
      msgtype: "markdown",
      markdown: { title: "t", text: "@u1 看一下" },
      at: { atUserIds: ["u1"] },
    });
    await api.postWebhook(url, { msgtype: "text", text: { content: "@boss 看一下" }, at: { atUserIds: [] } });
    expect(emu.messages.map((m) => [m.mentioned, m.halfMentions])).toEqual([
      [["u1"], []],
      [[], ["boss"]],
    ]);
    clock.advance(91 * 60_000);
    await expect(api.postWebhook(url, { msgtype: "text", text: { content: "late" } })).rejects.toMatchObject({
      code: "300001",
    });
  });

  it("DING: remindType 1–3, receiver caps, quota for SMS, and the paid-edition refusal", async () => {
    const { api, emu } = await setup();
    const ding = (body: object) =>
      api.call("POST", "/v1.0/robot/ding/send", {
        robotCode: CLIENT.id,
        remindType: 1,
        receiverUserIdList: ["u1"],
        content: "快",
        ...body,
      });
    await expect(ding({ remindType: 4 })).rejects.toMatchObject({ code: "invalidParameter.remindType" });
    await expect(
      ding({ remindType: 2, receiverUserIdList: Array.from({ length: 21 }, (_, i) => `u${i}`) }),
    ).rejects.toMatchObject({ code: "ding.receivercount.limit" });
    await ding({ remindType: 2 });
    await expect(ding({ remindType: 2 })).rejects.toMatchObject({ code: "ding.serverquota.insufficient" });
    emu.dingEdition = false;
    await expect(ding({})).rejects.toMatchObject({
      status: 403,
      code: "Forbidden.AccessDenied.AccessTokenPermissionDenied",
    });
  });

  it("throttling and 5xx switches; QPS errors are retried by the client with backoff", async () => {
    const { emu, clock } = await setup();
    const config = readDingTalkConfig({
      DINGTALK_CLIENT_ID: CLIENT.id,
      DINGTALK_CLIENT_SECRET: CLIENT.secret,
      DINGTALK_API_BASE: emu.url,
      DINGTALK_OAPI_BASE: emu.url,
    });
    const api = new DingTalkApi({ config, clock, logger, throttleBackoffMs: 1, attempts: 3 });
    emu.fail("robot.o2o", "throttle", 2);
    await api.call("POST", "/v1.0/robot/oToMessages/batchSend", {
      robotCode: CLIENT.id,
      msgKey: "sampleText",
      msgParam: '{"content":"x"}',
      userIds: ["u1"],
    });
    expect(emu.calls["POST /v1.0/robot/oToMessages/batchSend"]).toBe(3);
    emu.fail("org", "throttle", 1);
    expect(await api.oapi("/topapi/v2/department/get", { dept_id: 1 })).toMatchObject({ errcode: 0 });
    emu.fail("card.update", "server", 1);
    await expect(api.call("PUT", "/v1.0/card/instances", { outTrackId: "x" })).rejects.toMatchObject({
      kind: "server",
      status: 500,
    });
    emu.fail("robot.o2o", "throttle-global", 5);
    await expect(api.call("POST", "/v1.0/robot/oToMessages/batchSend", {})).rejects.toMatchObject({
      kind: "throttle",
      code: "Forbidden.AccessDenied.QpsLimitForApi",
    });
  });

  it("department heads: dept_manager_userid_list, climbing to the parent when a department has none, cached", async () => {
    const { api, clock } = await setup();
    const heads = new DepartmentHeads(api, clock);
    expect(await heads.headsOf("u1")).toEqual(["boss"]);
    const calls = heads.calls;
    expect(await heads.headsOf("u1")).toEqual(["boss"]);
    expect(heads.calls).toBe(calls);
    // A head is never their own head: the root's manager has none above.
    expect(await heads.headsOf("boss")).toEqual([]);
    clock.advance(2 * 3_600_000);
    await heads.headsOf("u1");
    expect(heads.calls).toBeGreaterThan(calls);
  });
});

describe("DingTalk configuration", () => {
  it("names each bad variable and defaults the rest", () => {
    expect(() => readDingTalkConfig({ DINGTALK_CLIENT_ID: "x" })).toThrow(/DINGTALK_CLIENT_SECRET/);
    expect(() =>
      readDingTalkConfig({ DINGTALK_CLIENT_ID: "x", DINGTALK_CLIENT_SECRET: "y", DINGTALK_DING: "loud" }),
    ).toThrow(/DINGTALK_DING/);
    const c = readDingTalkConfig({ DINGTALK_CLIENT_ID: "x", DINGTALK_CLIENT_SECRET: "y" });
    expect(c).toMatchObject({
      robotCode: "x",
      apiBase: "https://api.dingtalk.com",
      oapiBase: "https://oapi.dingtalk.com",
      ding: "off",
      mode: "stream",
    });
  });
});
