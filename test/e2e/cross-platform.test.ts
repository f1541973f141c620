import { afterEach, describe, expect, it } from "vitest";
import { configSchema } from "../../core/config/schema.ts";
import { Directory } from "../../core/directory/directory.ts";
import { answerOf, buttonValue } from "../feishu/harness.ts";
import {
  AAD,
  crossPlatformDirectory,
  GROUP,
  startThreePlatforms,
  type ThreePlatforms,
  waitFor,
} from "../support/three-platforms.ts";
import { cardOf, textOf } from "../teams/cards.ts";

const PHONE = "13800138000";
let w: ThreePlatforms | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

const personalOf = (aad: string) => `a:1${aad.replace(/-/g, "")}`;
const ticketCards = (w: ThreePlatforms, number: string) =>
  [...w.dingtalk.emu.cards.values()].filter((c) => c.cardParamMap.ticket === number);
/** Everything a platform recorded receiving, as one text: what a person there could ever see. */
const seenOn = (w: ThreePlatforms) => ({
  feishu: JSON.stringify([...w.feishu.emu.messages.values()].filter((m) => m.sender === "bot")),
  dingtalk: JSON.stringify({
    cards: [...w.dingtalk.emu.cards.values()],
    messages: w.dingtalk.emu.messages,
    dings: w.dingtalk.emu.dings,
  }),
  teams: JSON.stringify(
    [...w.teams.emu.connector.conversations.values()].flatMap((c) =>
      [...c.activities.values()].filter((a) => a.by === "bot"),
    ),
  ),
});

describe("one ticket across DingTalk, Feishu and Teams (three local platforms, one server)", () => {
  it("born on DingTalk, worked on Feishu, escalated on Teams, nudged from DingTalk", async () => {
    w = await startThreePlatforms();
    const { dingtalk, feishu, teams } = w;
    const owner = feishu.users.owner.open_id;

    // 1. 李娜 (support, DingTalk) @mentions the robot in the support group.
    const said = dingtalk.emu.robotMessage({
      conversationId: GROUP,
      senderUserId: "u_li",
      text: `新工单 客户张先生 ${PHONE}，X200 无法开机`,
    });
    await waitFor("the ack", () => said.frame.acked);
    await w.drain();
    const [record] = (await w.cl.store.list({ limit: 10 })).items;
    const number = record!.state.number;
    expect(record!.state).toMatchObject({
      origin: { platform: "dingtalk", chatId: GROUP },
      firstContact: "agent-li",
      owner: "eng-liu",
      status: "pending",
    });
    // The card is posted where the ticket was born, and nowhere else on DingTalk (the owner is not there).
    const [groupCard, ...otherDingTalkCards] = ticketCards(w, number);
    expect(groupCard!.spaces).toEqual([`IM_GROUP.${GROUP}`]);
    expect(otherDingTalkCards).toEqual([]);
    expect(groupCard!.cardParamMap.tags).toContain("待处理");

    // 2. The owner, only on Feishu (configured by user_id), gets the ticket card one to one there,
    //    mentioning them by the open_id Feishu gave for that user_id.
    const ownerChat = feishu.emu.p2pChat(owner).chat_id;
    const [ownerCard, ...moreOwnerCards] = feishu.emu.messagesIn(ownerChat);
    expect(moreOwnerCards).toEqual([]);
    expect(ownerCard!.msg_type).toBe("interactive");
    expect(ownerCard!.content).toContain(number);
    expect(ownerCard!.content).toContain(`<at id=${owner}></at>`);
    // Recorded as one of the ticket's placements, so changes made elsewhere reach it.
    expect((await w.cl.service.get(number)).state.placements).toContainEqual({
      platform: "feishu",
      chatId: ownerChat,
      messageId: ownerCard!.message_id,
      extra: { viewer: "eng-liu" },
    });
    expect(teams.emu.connector.calls).toEqual([]);

    // 3. The owner presses Start on that card (a signed Feishu card callback).
    const start = await feishu.emu.clickCard({
      messageId: ownerCard!.message_id,
      operator: owner,
      value: buttonValue(feishu.emu.cardOf(ownerCard!.message_id), "start")!,
    });
    expect(start.status).toBe(200);
    expect(answerOf(start).toast.type).toBe("success");
    expect((await w.cl.service.get(number)).state.status).toBe("in_progress");
    // The answer is the card for its viewer: no Nudge button for the owner on their own card.
    expect(buttonValue(feishu.emu.cardOf(ownerCard!.message_id), "nudge")).toBeUndefined();
    await w.drain();
    // The DingTalk card where the ticket was born shows it; the Feishu card is not patched a second time.
    const started = (await w.cl.service.get(number)).state;
    expect(dingtalk.emu.cards.get(groupCard!.outTrackId)!.cardParamMap).toMatchObject({
      version: String(started.version),
    });
    expect(dingtalk.emu.cards.get(groupCard!.outTrackId)!.cardParamMap.tags).toContain("处理中");
    expect(feishu.emu.messages.get(ownerCard!.message_id)!.updates).toBe(1);
    expect(feishu.emu.requests.filter((r) => r.method === "PATCH")).toEqual([]);

    // 4. The progress-update deadline passes: the department head, only on Teams, gets the overdue alert
    //    one to one through the connector (a proactive 1:1 chat); the owner gets the warning on Feishu.
    const overdue = started.schedule.find((s) => s.stage !== "warn" && !started.fired.includes(s.key))!;
    w.clock.set(Date.parse(overdue.at) + 60_000);
    expect(await w.cl.scheduler.sweep()).toBeGreaterThan(0);
    await w.drain();
    const headChat = teams.emu.connector.botActivities(personalOf(AAD.head));
    expect(headChat).toHaveLength(1);
    expect(teams.emu.connector.conversations.get(personalOf(AAD.head))?.type).toBe("personal");
    const alert = textOf(cardOf(headChat[0]));
    expect(alert).toContain(number);
    expect(alert).toContain("超时");
    // Proactive: the bot opened the 1:1 chat itself (the head never wrote to it), then posted once.
    expect(teams.emu.connector.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      "POST /v3/conversations 201",
      `POST /v3/conversations/${encodeURIComponent(personalOf(AAD.head))}/activities 201`,
    ]);
    // Teams is the only place the head hears of it; the Feishu account that spells "head-tech" hears nothing.
    expect(feishu.emu.messagesIn(feishu.emu.p2pChat(feishu.users.outsider.open_id).chat_id)).toEqual([]);
    // The group where the ticket was born sees it too: overdue, escalated to the head.
    const escalated = dingtalk.emu.cards.get(groupCard!.outTrackId)!.cardParamMap;
    expect(escalated.tags).toContain("已超时");
    expect(JSON.stringify(escalated)).toContain("升级至 张伟");
    const warning = feishu.emu.messagesIn(ownerChat).at(-1)!;
    expect(warning.message_id).not.toBe(ownerCard!.message_id);
    expect(warning.content).toContain(number);

    // 5. 李娜 nudges from the DingTalk card: the owner is mentioned on Feishu and buzzed (nudge.urgent).
    const nudged = await dingtalk.emu.clickCard({
      outTrackId: groupCard!.outTrackId,
      userId: "u_li",
      params: { action: "nudge", ticket: number, version: started.version },
    });
    expect(nudged.answered).toBe(true);
    await w.drain();
    const nudges = feishu.emu.messagesIn(ownerChat).filter((m) => m.content.includes("催办："));
    expect(nudges).toHaveLength(1);
    expect(nudges[0]!.content).toContain(`<at id=${owner}></at>`);
    expect(nudges[0]!.content).toContain("李娜");
    expect(feishu.emu.urgent).toEqual([
      { message_id: nudges[0]!.message_id, kind: "app", user_ids: [owner], invalid: [] },
    ]);
    // Nothing rang on DingTalk: the owner has no DingTalk account.
    expect(dingtalk.emu.dings).toEqual([]);
    expect(dingtalk.emu.messages).toEqual([]);

    // 6. The owner resolves on their Feishu card; the group card follows, and the customer's confirmation
    //    goes to 李娜 where the ticket was born (DingTalk), although she has a Feishu account too.
    await feishu.emu.clickCard({
      messageId: ownerCard!.message_id,
      operator: owner,
      value: buttonValue(feishu.emu.cardOf(ownerCard!.message_id), "resolve")!,
    });
    const resolved = await feishu.emu.clickCard({
      messageId: ownerCard!.message_id,
      operator: owner,
      value: buttonValue(feishu.emu.cardOf(ownerCard!.message_id), "resolve")!,
      formValue: { solution: "更换电源适配器后正常开机" },
    });
    expect(answerOf(resolved).toast.type).toBe("success");
    await w.drain();
    expect(dingtalk.emu.cards.get(groupCard!.outTrackId)!.cardParamMap.tags).toContain("已解决");
    const confirmCards = [...dingtalk.emu.cards.values()].filter((c) => c.spaces.includes("IM_ROBOT.u_li"));
    expect(confirmCards).toHaveLength(1);
    expect(feishu.emu.messagesIn(feishu.emu.p2pChat(feishu.users.agent.open_id).chat_id)).toEqual([]);

    // 7. The customer disputes the result: 李娜 records it on her DingTalk confirmation card; the ticket
    //    reopens, the group card shows it, and so does the owner's Feishu card (a change made on another
    //    platform reaching a Feishu placement), besides the owner's reopened notice.
    const version = (await w.cl.service.get(number)).state.version;
    const disputed = await dingtalk.emu.clickCard({
      outTrackId: confirmCards[0]!.outTrackId,
      userId: "u_li",
      params: { action: "dispute", ticket: number, version, reason: `客户说仍无法开机，回电 ${PHONE}` },
    });
    expect(disputed.answered).toBe(true);
    await w.drain();
    const reopened = (await w.cl.service.get(number)).state;
    expect(reopened.status).toBe("in_progress");
    expect(reopened.reopenedAt).toBeDefined();
    const ownerCardNow = feishu.emu.cardOf(ownerCard!.message_id) as { header: { text_tag_list: unknown } };
    expect(textOf(ownerCardNow.header.text_tag_list)).toContain("处理中");
    expect(textOf(ownerCardNow.header.text_tag_list)).not.toContain("已解决");
    expect(JSON.stringify(ownerCardNow)).toContain("客户说仍无法开机");
    expect(feishu.emu.messagesIn(ownerChat).filter((m) => m.content.includes("重新打开"))).not.toEqual([]);

    // The DingTalk card where the ticket was born went through every status, in order, once each.
    const statuses = dingtalk.emu.cards
      .get(groupCard!.outTrackId)!
      .history.map((h) => ["待处理", "处理中", "已解决"].find((s) => h.cardParamMap.tags?.includes(s)));
    expect(statuses.filter((s, i) => s !== statuses[i - 1])).toEqual([
      "待处理",
      "处理中",
      "已解决",
      "处理中",
    ]);
    const writes = dingtalk.emu.cards.get(groupCard!.outTrackId)!.history.map((h) => JSON.stringify(h));
    expect(writes.filter((h, i) => h === writes[i - 1])).toEqual([]);

    // Nothing lost, nothing twice: every notification delivered, each where it belongs, once.
    expect(await w.undelivered()).toEqual([]);
    expect(teams.emu.connector.botActivities(personalOf(AAD.head))).toHaveLength(1);
    expect([...teams.emu.connector.conversations.keys()]).toEqual([personalOf(AAD.head)]);
    expect(ticketCards(w, number).map((c) => c.spaces[0])).toEqual([`IM_GROUP.${GROUP}`, "IM_ROBOT.u_li"]);
    expect(feishu.emu.urgent).toHaveLength(1);
    const botChats = new Set(feishu.emu.botMessages().map((m) => m.chat_id));
    expect([...botChats]).toEqual([ownerChat]);

    // Nothing leaks: the customer's phone is masked everywhere, and no platform is shown another's ids.
    const seen = seenOn(w);
    for (const text of [...Object.values(seen), w.logs.join("\n")]) expect(text).not.toContain(PHONE);
    for (const id of [owner, feishu.users.agent.open_id, feishu.users.admin.open_id, "fs_liu"]) {
      expect(seen.dingtalk).not.toContain(id);
      expect(seen.teams).not.toContain(id);
    }
    for (const id of ["u_li", "u_chen", AAD.head, AAD.admin]) expect(seen.feishu).not.toContain(id);
    for (const id of ["u_li", "u_chen"]) expect(seen.teams).not.toContain(id);
    for (const id of [AAD.head, AAD.admin]) expect(seen.dingtalk).not.toContain(id);
  });

  it("matches one person across platforms by the directory, and no one by a look-alike id", async () => {
    w = await startThreePlatforms();
    const { dingtalk, feishu } = w;

    // 陈静 (admin) is one person with three accounts: she opens a ticket one to one on Feishu...
    const chen = feishu.emu.p2pChat(feishu.users.admin.open_id).chat_id;
    await feishu.emu.userSends({
      chatId: chen,
      from: feishu.users.admin.open_id,
      text: "新工单 收银机无法联网",
    });
    await w.drain();
    const [record] = (await w.cl.store.list({ limit: 10 })).items;
    const number = record!.state.number;
    expect(record!.state).toMatchObject({
      origin: { platform: "feishu", chatId: chen },
      firstContact: "admin",
    });
    const feishuCard = feishu.emu
      .messagesIn(chen)
      .find((m) => m.sender === "bot" && m.msg_type === "interactive")!;

    // ...looks it up on DingTalk and starts it there, as herself.
    const look = dingtalk.emu.robotMessage({
      conversationId: "cid1on1_chen",
      conversationType: "1",
      senderUserId: "u_chen",
      text: `工单 ${number}`,
    });
    await waitFor("the ack", () => look.frame.acked);
    await w.drain();
    const dingCard = ticketCards(w, number).find((c) => c.spaces.includes("IM_ROBOT.u_chen"))!;
    expect(dingCard).toBeDefined();
    const started = await dingtalk.emu.clickCard({
      outTrackId: dingCard.outTrackId,
      userId: "u_chen",
      params: { action: "start", ticket: number, version: record!.state.version },
    });
    expect(started.answered).toBe(true);
    await w.drain();
    const after = await w.cl.service.get(number);
    expect(after.state.status).toBe("in_progress");
    expect(after.events.find((e) => e.type === "started")).toMatchObject({ actor: "admin", via: "dingtalk" });
    // The card she opened it from on Feishu shows it; the DingTalk card, already answered with the new
    // card, is not written a second time.
    const onFeishu = feishu.emu.cardOf(feishuCard.message_id) as { header: { text_tag_list: unknown } };
    expect(textOf(onFeishu.header.text_tag_list)).toContain("处理中");
    expect(dingtalk.emu.cards.get(dingCard.outTrackId)!.history.map((h) => h.via)).toEqual([
      "create",
      "answer",
    ]);

    // A Feishu account the directory does not list, whose user_id happens to be "head-tech", is a
    // stranger: told how to get in, and able to open nothing.
    const outsider = feishu.emu.p2pChat(feishu.users.outsider.open_id).chat_id;
    await feishu.emu.userSends({
      chatId: outsider,
      from: feishu.users.outsider.open_id,
      text: "新工单 冒名",
    });
    await w.drain();
    expect((await w.cl.store.list({ limit: 10 })).items).toHaveLength(1);
    const [answer] = feishu.emu.messagesIn(outsider).filter((m) => m.sender === "bot");
    expect(answer!.content).toContain("通讯录中没有你");
    // Nor can they press a button as the head on a card they got hold of.
    const click = await feishu.emu.clickCard({
      messageId: feishuCard.message_id,
      operator: feishu.users.outsider.open_id,
      value: { action: "assign", ticket: number, version: after.state.version, owner: "head-tech" },
    });
    expect(answerOf(click).toast.type).toBe("error");
    expect((await w.cl.service.get(number)).state.owner).toBe("eng-liu");
    expect(await w.undelivered()).toEqual([]);
  });

  it("with FEISHU_MATCH_USER_ID, a ticket born on Feishu still alerts the Teams-only head on Teams", async () => {
    w = await startThreePlatforms({ env: { FEISHU_MATCH_USER_ID: "1" }, feishuOutsider: false });
    const { feishu, teams } = w;
    const agentChat = feishu.emu.p2pChat(feishu.users.agent.open_id).chat_id;
    await feishu.emu.userSends({
      chatId: agentChat,
      from: feishu.users.agent.open_id,
      text: "新工单 X300 屏幕闪烁",
    });
    await w.drain();
    const [record] = (await w.cl.store.list({ limit: 10 })).items;
    const t = record!.state;
    expect(t).toMatchObject({ origin: { platform: "feishu" }, owner: "eng-liu" });
    const overdue = t.schedule.find((s) => s.stage !== "warn")!;
    w.clock.set(Date.parse(overdue.at) + 60_000);
    await w.cl.scheduler.sweep();
    await w.drain();
    // Not sent to a Feishu user_id "head-tech" that no one has (the head would never be told).
    expect(await w.undelivered()).toEqual([]);
    expect(textOf(cardOf(teams.emu.connector.botActivities(personalOf(AAD.head))[0]))).toContain(t.number);
    expect(feishu.emu.requests.filter((r) => r.code === 230001)).toEqual([]);
  });
});

describe("the multi-platform directory", () => {
  const ids = { agent: "ou_agent", owner: "ou_owner", admin: "ou_admin" };

  it("keeps the old keys, takes a Feishu user_id, and refuses an empty Feishu identity", () => {
    const data = crossPlatformDirectory(ids);
    const parsed = configSchema.parse({ directory: data });
    const dir = new Directory(parsed.directory!);
    expect(dir.findByIdentity("feishu", "ou_agent")?.id).toBe("agent-li");
    expect(dir.findByIdentity("dingtalk", "u_li")?.id).toBe("agent-li");
    expect(dir.findByIdentity("feishu", "fs_liu", "userId")?.id).toBe("eng-liu");
    expect(dir.findByIdentity("feishu", "fs_liu", "openId")).toBeUndefined();
    expect(dir.findByIdentity("teams", AAD.head)?.id).toBe("head-tech");
    const empty = configSchema.safeParse({
      directory: { ...data, people: [...data.people, { id: "x", name: "X", roles: ["agent"], feishu: {} }] },
    });
    expect(empty.success).toBe(false);
    expect(JSON.stringify(empty.error?.issues)).toContain("expected openId or userId");
  });

  it("refuses one platform account claimed by two people, naming both", () => {
    const data = crossPlatformDirectory(ids);
    const twin = {
      id: "agent-li2",
      name: "李娜",
      roles: ["agent" as const],
      departments: [],
      dingtalk: { userId: "u_li" },
    };
    expect(() => new Directory({ ...data, people: [...data.people, twin] })).toThrow(
      /agent-li2\]\.dingtalk\.userId: "u_li" is already person "agent-li"'s/,
    );
  });
});
