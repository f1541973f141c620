import { randomBytes } from "node:crypto";
import type { Person } from "../directory/schema.ts";
import { DomainError } from "../errors.ts";
import {
  type Clock,
  DocConflictError,
  type StoredDoc,
  type TicketRecord,
  type TicketStore,
} from "../ports.ts";
import type { FieldCipher } from "../privacy/cipher.ts";
import type { CustomerHistory } from "../ticket/customer-history.ts";
import type { CustomerHook } from "../ticket/customer-hook.ts";
import type { CreateTicketInput, CustomerType } from "../ticket/schema.ts";
import type { TicketState } from "../ticket/state.ts";
import { parseInput } from "../validate.ts";
import { FIRST_CONTACT, HISTORY_READ, summariseHistory } from "./history.ts";
import { customerIdKey, inputKeys, phoneKey, recordKeys } from "./keys.ts";
import { mayReadProfile } from "./permissions.ts";
import {
  appendBounded,
  type CustomerProfile,
  keyDataSchema,
  PROFILE_IDS_MAX,
  PROFILE_KEYS,
  PROFILE_PHONES_MAX,
  PROFILE_TICKETS_MAX,
  PROFILES,
  type ProfileData,
  profileDataSchema,
} from "./profile.ts";
import { normaliseTags } from "./tags.ts";
import { applyUpdate, profileUpdateSchema } from "./update.ts";

export type ProfileStore = Pick<TicketStore, "getDoc" | "putDoc" | "get">;

export interface CustomerProfilesDeps {
  readonly store: ProfileStore;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  /** A survey score below this counts as low (sla.followUp.lowScore). */
  readonly lowScore: number;
  /** Where a failure to update a profile after a ticket was stored is reported (the ticket stands). */
  readonly onError?: (err: unknown, ticket: string) => void;
  readonly newId?: () => string;
}

const MAX_RETRIES = 8;
const randomId = () => `cu-${randomBytes(8).toString("hex")}`;

function toProfile(doc: StoredDoc): CustomerProfile {
  const data = profileDataSchema.parse(doc.data);
  return { ...data, id: doc.id, rev: doc.rev, updatedAt: doc.updatedAt };
}

function dataOf(profile: CustomerProfile): ProfileData {
  const { id: _id, rev: _rev, updatedAt: _at, ...data } = profile;
  return data;
}

const notFound = (id: string) =>
  new DomainError("not_found", { "zh-CN": `找不到客户档案 ${id}`, en: `No customer profile ${id}` }, { id });

/** The profile after one more ticket: listed, counted, and a customer seen before becomes returning (pure). */
export function withTicket(current: ProfileData | undefined, t: TicketState): ProfileData {
  const c = t.customer;
  const known = current?.tickets.includes(t.number) ?? false;
  const ticketCount = (current?.ticketCount ?? 0) + (known ? 0 : 1);
  const vip = c.type === "vip" || current?.type === "vip";
  const returning = ticketCount > 1 || c.type === "returning" || current?.type === "returning";
  const phones = [...(current?.phones ?? [])];
  if (c.phone && !phones.some((p) => p.hash === c.phone!.hash)) phones.push(c.phone);
  const id = c.id?.trim();
  return {
    name: current?.name ?? c.name,
    organisation: current?.organisation ?? c.organisation,
    type: vip ? "vip" : returning ? "returning" : "new",
    tags: normaliseTags([...(current?.tags ?? []), ...c.tags]),
    phones: phones.slice(-PROFILE_PHONES_MAX),
    customerIds: id
      ? appendBounded(current?.customerIds ?? [], id, PROFILE_IDS_MAX)
      : [...(current?.customerIds ?? [])],
    tickets: appendBounded(current?.tickets ?? [], t.number, PROFILE_TICKETS_MAX),
    ticketCount,
    createdAt: current?.createdAt ?? t.createdAt,
    ...(current?.updatedBy ? { updatedBy: current.updatedBy } : {}),
  };
}

/**
 * Customer profiles kept in the store's keyed docs. A ticket finds its customer's profile through an index
 * of keyed hashes (the phone's lookup hash, a hashed customer id): nothing is ever decrypted to match.
 */
export class CustomerProfiles implements CustomerHook {
  readonly #d: CustomerProfilesDeps;
  readonly #newId: () => string;

  constructor(deps: CustomerProfilesDeps) {
    this.#d = deps;
    this.#newId = deps.newId ?? randomId;
  }

  /** The profile one of the keys leads to (the first that leads anywhere). */
  async #byKeys(keys: readonly string[]): Promise<CustomerProfile | undefined> {
    for (const key of keys) {
      const doc = await this.#d.store.getDoc(PROFILE_KEYS, key);
      if (!doc) continue;
      const profile = await this.#d.store.getDoc(PROFILES, keyDataSchema.parse(doc.data).profile);
      if (profile) return toProfile(profile);
    }
    return undefined;
  }

  /** Finds a customer by phone (through its keyed hash) or by their id in another system. */
  find(query: {
    readonly phone?: string;
    readonly customerId?: string;
  }): Promise<CustomerProfile | undefined> {
    const keys: string[] = [];
    if (query.phone) keys.push(phoneKey(this.#d.cipher.lookupHash(query.phone)));
    if (query.customerId?.trim()) keys.push(customerIdKey(query.customerId));
    return this.#byKeys(keys);
  }

  async get(id: string): Promise<CustomerProfile> {
    if (!/^[A-Za-z0-9._:-]{1,200}$/.test(id)) throw notFound(id.slice(0, 200));
    const doc = await this.#d.store.getDoc(PROFILES, id);
    if (!doc) throw notFound(id);
    return toProfile(doc);
  }

  /** The profile of a ticket's customer: through the index, else the one matched at intake. */
  async forTicket(record: TicketRecord): Promise<CustomerProfile | undefined> {
    const found = await this.#byKeys(recordKeys(record.state.customer));
    if (found) return found;
    const id = record.state.customer.history?.profileId;
    const doc = id ? await this.#d.store.getDoc(PROFILES, id) : undefined;
    return doc ? toProfile(doc) : undefined;
  }

  /** The profile's newest tickets (up to HISTORY_READ), newest first, leaving out `except`. */
  async recentTickets(profile: CustomerProfile, except?: string): Promise<TicketRecord[]> {
    const numbers = profile.tickets.filter((n) => n !== except).slice(-HISTORY_READ);
    const records = await Promise.all(numbers.map((n) => this.#d.store.get(n)));
    return records
      .filter((r): r is TicketRecord => r !== undefined)
      .sort((a, b) => b.state.createdAt.localeCompare(a.state.createdAt));
  }

  /** The history of a profile, leaving out `except` (the ticket being looked at). */
  async history(profile: CustomerProfile, except?: string): Promise<CustomerHistory> {
    const earlier = await this.recentTickets(profile, except);
    const total = profile.ticketCount - (except && profile.tickets.includes(except) ? 1 : 0);
    return summariseHistory(profile.id, total, earlier, this.#d.lowScore);
  }

  async prepare(
    input: CreateTicketInput,
  ): Promise<{ readonly input: CreateTicketInput; readonly history?: CustomerHistory }> {
    const keys = inputKeys(input, this.#d.cipher);
    if (keys.length === 0) return { input };
    const profile = await this.#byKeys(keys);
    if (!profile) return { input, history: FIRST_CONTACT };
    const c = input.customer ?? {};
    const type: CustomerType =
      c.type === "vip" || profile.type === "vip"
        ? "vip"
        : profile.ticketCount > 0
          ? "returning"
          : (c.type ?? profile.type);
    const tags = normaliseTags([...profile.tags, ...(c.tags ?? [])]);
    const customer = {
      ...c,
      type,
      tags,
      ...(c.name || !profile.name ? {} : { name: profile.name }),
      ...(c.organisation || !profile.organisation ? {} : { organisation: profile.organisation }),
    };
    return { input: { ...input, customer }, history: await this.history(profile) };
  }

  async recorded(record: TicketRecord): Promise<void> {
    try {
      await this.#attach(record.state);
    } catch (err) {
      this.#d.onError?.(err, record.state.number);
    }
  }

  async #attach(t: TicketState): Promise<void> {
    const keys = recordKeys(t.customer);
    if (keys.length === 0) return;
    const { store } = this.#d;
    for (let attempt = 0; ; attempt++) {
      try {
        let id = (await this.#byKeys(keys))?.id ?? (await this.#indexedId(keys));
        if (!id) {
          // Claim the first key for a new profile; a concurrent first ticket of the same customer loses the
          // claim, re-reads, and joins the profile that won.
          id = this.#newId();
          await store.putDoc(PROFILE_KEYS, keys[0]!, 0, { profile: id });
        }
        const current = await store.getDoc(PROFILES, id);
        const data = current ? profileDataSchema.parse(current.data) : undefined;
        if (!data?.tickets.includes(t.number))
          await store.putDoc(PROFILES, id, current?.rev ?? 0, withTicket(data, t));
        for (const key of keys) {
          if (await store.getDoc(PROFILE_KEYS, key)) continue;
          await store.putDoc(PROFILE_KEYS, key, 0, { profile: id }).catch((e: unknown) => {
            // Another ticket indexed it meanwhile: the first profile to claim a key keeps it.
            if (!(e instanceof DocConflictError)) throw e;
          });
        }
        return;
      } catch (e) {
        if (!(e instanceof DocConflictError) || attempt >= MAX_RETRIES) throw e;
      }
    }
  }

  /** A key claimed for a profile whose doc was never written (a crash in between). */
  async #indexedId(keys: readonly string[]): Promise<string | undefined> {
    for (const key of keys) {
      const doc = await this.#d.store.getDoc(PROFILE_KEYS, key);
      if (doc) return keyDataSchema.parse(doc.data).profile;
    }
    return undefined;
  }

  /** A person's change to a profile, at the revision they saw. */
  async update(actor: Person, id: string, body: unknown): Promise<CustomerProfile> {
    const update = parseInput(profileUpdateSchema, body);
    const current = await this.get(id);
    if (current.rev !== update.version) throw stale(current);
    const next = applyUpdate(dataOf(current), update, actor);
    try {
      return toProfile(await this.#d.store.putDoc(PROFILES, id, current.rev, next));
    } catch (e) {
      if (e instanceof DocConflictError) throw stale(e.current ? toProfile(e.current) : current);
      throw e;
    }
  }

  /** Refuses a person who may not read profiles. */
  checkRead(actor: Person): void {
    if (!mayReadProfile(actor))
      throw new DomainError(
        "forbidden",
        { "zh-CN": "你没有权限查看客户档案", en: "You are not allowed to read customer profiles" },
        { actor: actor.id },
      );
  }
}

function stale(current: CustomerProfile): DomainError {
  return new DomainError(
    "conflict",
    {
      "zh-CN": `客户档案 ${current.id} 已被修改（当前版本 ${current.rev}），请刷新后再试`,
      en: `Customer profile ${current.id} changed (now at version ${current.rev}); reload and try again`,
    },
    { id: current.id, version: current.rev, updatedBy: current.updatedBy },
  );
}
