import type { OutboxIntent, OutboxItem, TicketStore } from "../ports.ts";
import type { FieldCipher } from "./cipher.ts";

const SEALED = "sealed";

/** Inbound events wait in the outbox as platforms sent them: a customer's words, a phone number typed in chat. */
const isInbound = (row: { readonly recipient: string }): boolean => row.recipient.startsWith("inbound:");

export function sealInbound<T extends OutboxIntent>(cipher: FieldCipher, row: T): T {
  if (!isInbound(row)) return row;
  return { ...row, payload: { [SEALED]: cipher.encrypt(JSON.stringify(row.payload)) } };
}

/** The payload as queued; a row that cannot be opened (another key) keeps its sealed form and fails to parse. */
export function openInbound(cipher: FieldCipher, row: OutboxItem): OutboxItem {
  const sealed = row.payload[SEALED];
  if (!isInbound(row) || typeof sealed !== "string") return row;
  try {
    return { ...row, payload: JSON.parse(cipher.decrypt(sealed)) as Record<string, unknown> };
  } catch {
    return row;
  }
}

/**
 * The store with inbound rows encrypted at rest: sealed as they are queued, opened as they are read for
 * processing. Everything else passes through unchanged.
 */
export function withSealedInbox(store: TicketStore, cipher: FieldCipher): TicketStore {
  const open = (rows: readonly OutboxItem[]) => rows.map((r) => openInbound(cipher, r));
  const overrides: Partial<TicketStore> = {
    enqueue: (intents) => store.enqueue(intents.map((i) => sealInbound(cipher, i))),
    dueOutbox: async (now, limit) => open(await store.dueOutbox(now, limit)),
    ...(store.claimOutbox
      ? { claimOutbox: async (now: string, limit: number) => open(await store.claimOutbox!(now, limit)) }
      : {}),
  };
  const bound = new WeakMap<object, unknown>();
  // A method replaced on the wrapper later (a test's spy, say) is kept here and wins over everything.
  const replaced = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      if (replaced.has(prop)) return replaced.get(prop);
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof TicketStore];
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      // The store keeps its state in private fields: its methods run with the store itself as `this`.
      let fn = bound.get(value);
      if (!fn) {
        fn = value.bind(target);
        bound.set(value, fn);
      }
      return fn;
    },
    set(_target, prop, value) {
      replaced.set(prop, value);
      return true;
    },
  });
}
