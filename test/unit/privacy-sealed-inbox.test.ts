import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LowdbTicketStore } from "../../adapters/storage/lowdb/store.ts";
import { FieldCipher } from "../../core/privacy/cipher.ts";
import { openInbound, withSealedInbox } from "../../core/privacy/sealed-inbox.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";

const PHONE = "13912345678";
const event = {
  message: { chat_id: "oc_1", content: JSON.stringify({ text: `客户电话 ${PHONE} 无法开机` }) },
};
const inbound = {
  key: "feishu:event:ev_1",
  kind: "inbound",
  recipient: "inbound:feishu:oc_1",
  ticket: "",
  payload: { event },
};
const cipher = new FieldCipher(Buffer.alloc(32, 7));
const filesText = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => readFileSync(join(f.parentPath, f.name), "utf8"))
    .join("\n");

describe("inbound events sealed while they wait in the outbox", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await removeDir(dir);
    dir = undefined;
  });

  it("stores no raw text of a queued chat message, and hands the adapter the event as queued", async () => {
    dir = await makeTmpDir("sealed-inbox");
    const raw = new LowdbTicketStore({ dir });
    await raw.open();
    const store = withSealedInbox(raw, cipher);
    try {
      expect(await store.enqueue([inbound])).toBe(1);
      expect(await store.enqueue([inbound])).toBe(0);
      const [row] = await store.dueOutbox("9999-12-31T00:00:00.000Z", 10);
      expect(row?.payload).toEqual({ event });
      // The store itself holds only ciphertext.
      const [stored] = await raw.dueOutbox("9999-12-31T00:00:00.000Z", 10);
      expect(JSON.stringify(stored?.payload)).not.toContain(PHONE);
      expect(JSON.stringify(stored?.payload)).not.toContain("无法开机");
    } finally {
      await raw.close();
    }
    expect(filesText(dir)).not.toContain(PHONE);
  });

  it("leaves rows for people alone, and a row sealed under another key unopened", async () => {
    dir = await makeTmpDir("sealed-inbox");
    const raw = new LowdbTicketStore({ dir });
    await raw.open();
    const store = withSealedInbox(raw, cipher);
    try {
      const nudge = { key: "n1", kind: "nudge", recipient: "eng-1", ticket: "T1", payload: { by: "agent" } };
      await store.enqueue([nudge]);
      const [row] = await raw.dueOutbox("9999-12-31T00:00:00.000Z", 10);
      expect(row?.payload).toEqual({ by: "agent" });

      await withSealedInbox(raw, new FieldCipher(Buffer.alloc(32, 9))).enqueue([
        { ...inbound, key: "other" },
      ]);
      const other = (await raw.dueOutbox("9999-12-31T00:00:00.000Z", 10)).find((r) => r.key === "other")!;
      expect(openInbound(cipher, other).payload).toEqual(other.payload);
    } finally {
      await raw.close();
    }
  });
});
