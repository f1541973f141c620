import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DomainError } from "../../core/errors.ts";
import { FieldCipher } from "../../core/privacy/cipher.ts";
import { phoneKey } from "../../core/profiles/keys.ts";
import { PROFILE_KEYS, PROFILES } from "../../core/profiles/profile.ts";
import { profileHarness } from "./harness.ts";

type Harness = Awaited<ReturnType<typeof profileHarness>>;

let h: Harness;
beforeEach(async () => {
  h = await profileHarness();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await h.close();
});

const docs = async (collection: string) => (await h.store.listDocs(collection, { limit: 100 })).items;

describe("customer profiles: matching by keyed hash", () => {
  it("attaches a ticket from the same phone written differently to one profile, without decrypting anything", async () => {
    const decrypt = vi.spyOn(FieldCipher.prototype, "decrypt");
    const first = await h.create({
      description: "咨询一下 X200 的保修期",
      customer: { name: "张先生", phone: "13800138000" },
    });
    expect(first.state.customer.type).toBe("new");
    expect(first.state.customer.history).toEqual({
      tickets: 0,
      open: 0,
      complaints: 0,
      surveys: 0,
      lowScores: 0,
    });

    const second = await h.create({
      description: "咨询配件价格",
      customer: { name: "张先生", phone: "+86 138-0013-8000" },
    });
    const third = await h.create({ description: "请问寄修地址？客户电话 138 0013 8000" });

    expect(decrypt).not.toHaveBeenCalled();
    const profiles = await docs(PROFILES);
    expect(profiles.map((d) => d.id)).toEqual(["cu-test-1"]);
    expect(profiles[0]!.data).toMatchObject({
      type: "returning",
      ticketCount: 3,
      tickets: [first.state.number, second.state.number, third.state.number],
    });
    expect(second.state.customer.history).toMatchObject({ profileId: "cu-test-1", tickets: 1, open: 1 });
    expect(second.state.customer.type).toBe("returning");
    expect(third.state.customer.history).toMatchObject({ profileId: "cu-test-1", tickets: 2 });
    // The third ticket named no customer: the profile filled the name in.
    expect(third.state.customer.name).toBe("张先生");

    // The index is keyed by the ticket's own lookup hash and holds no phone; nothing stored shows it in clear.
    expect((await docs(PROFILE_KEYS)).map((d) => d.id)).toEqual([phoneKey(first.state.customer.phone!.hash)]);
    const stored = JSON.stringify([...(await docs(PROFILES)), ...(await docs(PROFILE_KEYS))]);
    expect(stored).not.toMatch(/13800138000|138-0013|0013 8000/);
    expect(stored).toContain("138****8000");
    expect(h.errors).toEqual([]);
  });

  it("matches by the customer's id in another system, and a different phone is a different customer", async () => {
    const a = await h.create({ description: "咨询会员积分", customer: { id: "CRM/0042", name: "李女士" } });
    const b = await h.create({
      description: "咨询积分兑换",
      customer: { id: "CRM/0042", phone: "13900139000" },
    });
    const other = await h.create({ description: "咨询发票", customer: { phone: "13700137000" } });
    expect(b.state.customer.history?.profileId).toBe("cu-test-1");
    expect(other.state.customer.history).toMatchObject({ tickets: 0 });
    expect(other.state.customer.history?.profileId).toBeUndefined();
    const profiles = await docs(PROFILES);
    expect(profiles.map((d) => [d.id, d.data.tickets])).toEqual([
      ["cu-test-1", [a.state.number, b.state.number]],
      ["cu-test-2", [other.state.number]],
    ]);
    // The second ticket brought a phone: the profile is now found by it too.
    expect((await h.customers.find({ phone: "139 0013 9000" }))?.id).toBe("cu-test-1");
  });

  it("does not take a placeholder for a phone: two customers who left none stay apart", async () => {
    const a = await h.create({ description: "咨询", customer: { name: "甲", phone: "无" } });
    const b = await h.create({ description: "咨询", customer: { name: "乙", phone: "n/a" } });
    expect(a.state.customer.phone?.hash).toBe(b.state.customer.phone?.hash);
    expect(b.state.customer.history).toBeUndefined();
    expect(await docs(PROFILES)).toEqual([]);
  });

  it("makes one profile when a new customer's first two tickets arrive at once", async () => {
    const body = (n: number) => ({ description: `咨询 ${n}`, customer: { phone: "13600136000" } });
    const made = await Promise.all([h.create(body(1)), h.create(body(2)), h.create(body(3))]);
    const profiles = await docs(PROFILES);
    expect(profiles).toHaveLength(1);
    expect([...(profiles[0]!.data.tickets as string[])].sort()).toEqual(
      made.map((r) => r.state.number).sort(),
    );
    expect(profiles[0]!.data.ticketCount).toBe(3);
  });

  it("summarises the earlier tickets: complaints, open ones and survey scores", async () => {
    const phone = "13500135000";
    const complaint = await h.create({
      description: "客户投诉门店店员态度差",
      customer: { phone },
      department: "complaints",
      problemType: "service_complaint",
      owner: "eng-xu",
    });
    const n = complaint.state.number;
    const run = (name: string, actor: string, body: Record<string, unknown>) =>
      h.service.execute(n, name, body, { actor, via: "api" });
    let r = await run("start", "eng-xu", { version: 1 });
    r = await run("resolve", "eng-xu", { version: r.record.state.version, solution: "已致歉" });
    r = await run("confirm", "agent-li", { version: r.record.state.version, result: "confirmed" });
    await run("survey", "agent-li", {
      version: r.record.state.version,
      resolutionScore: 2,
      attitudeScore: 3,
      method: "phone",
    });
    await h.create({ description: "咨询退货流程", customer: { phone } });

    const third = await h.create({ description: "再咨询一下", customer: { phone } });
    expect(third.state.customer.history).toEqual({
      profileId: "cu-test-1",
      tickets: 2,
      open: 1,
      complaints: 1,
      surveys: 1,
      averageScore: 2.5,
      lowScores: 1,
      lastTicket: { number: expect.any(String), at: expect.any(String) },
    });
  });
});

describe("customer profiles: tags feed routing", () => {
  const ask = (phone: string) => ({ description: "咨询一下保修政策", customer: { phone } });

  it("raises the priority of a customer a head tagged high-value or VIP, and says why", async () => {
    const before = await h.create(ask("13800138111"));
    expect(before.state.priority).toBe("normal");
    const profile = (await h.customers.find({ phone: "13800138111" }))!;
    await h.customers.update(h.directory.person("head-support")!, profile.id, {
      version: profile.rev,
      tags: ["高价值", "technical"],
    });
    const after = await h.create(ask("138 0013 8111"));
    expect(after.state.priority).toBe("urgent");
    expect(after.state.rules).toContainEqual({ rule: "vip-customer", field: "priority", value: "urgent" });
    expect(after.state.customer.tags).toEqual(["high_value", "technical"]);

    const low = await h.create({ description: "不急，慢慢来，咨询一下", customer: { phone: "13800138111" } });
    expect(low.state.priority).toBe("normal");
  });

  it("keeps a VIP profile VIP on later tickets, which are raised too", async () => {
    await h.create({ description: "咨询", customer: { phone: "13800138222", type: "vip" } });
    const again = await h.create(ask("13800138222"));
    expect(again.state.customer.type).toBe("vip");
    expect(again.state.priority).toBe("urgent");
    expect((await docs(PROFILES))[0]!.data.type).toBe("vip");
  });
});

describe("customer profiles: who may change them", () => {
  const refusal = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  };

  it("refuses engineers, and agents granting VIP; a refusal writes nothing", async () => {
    await h.create({ description: "咨询", customer: { phone: "13800138333" } });
    const p = (await h.customers.find({ phone: "13800138333" }))!;
    const person = (id: string) => h.directory.person(id)!;

    expect((await refusal(h.customers.update(person("eng-liu"), p.id, { version: 1, name: "x" }))).code).toBe(
      "forbidden",
    );
    const vip = await refusal(h.customers.update(person("agent-li"), p.id, { version: 1, type: "vip" }));
    expect(vip.code).toBe("forbidden");
    expect(vip.text.en).toContain("VIP");
    expect(
      (await refusal(h.customers.update(person("agent-li"), p.id, { version: 1, tags: ["VIP"] }))).code,
    ).toBe("forbidden");
    expect((await h.customers.get(p.id)).rev).toBe(1);

    const ok = await h.customers.update(person("agent-li"), p.id, {
      version: 1,
      tags: ["price-sensitive"],
      organisation: "华东贸易 13800138333",
    });
    expect(ok).toMatchObject({ rev: 2, tags: ["price_sensitive"], organisation: "华东贸易 138****8333" });
    expect((await refusal(h.customers.update(person("admin"), p.id, { version: 1, name: "x" }))).code).toBe(
      "conflict",
    );
    const bad = await refusal(h.customers.update(person("admin"), p.id, { version: 2, tags: ["a\u202eb"] }));
    expect(bad.code).toBe("validation");
    expect(bad.text.en).toContain("tags.0");
    expect((await h.customers.get(p.id)).rev).toBe(2);
  });
});
