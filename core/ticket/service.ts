import type { Directory } from "../directory/directory.ts";
import { mayCreate } from "../directory/permissions.ts";
import type { Person } from "../directory/schema.ts";
import { DomainError, validationError } from "../errors.ts";
import type { Clock, OutboxIntent, TicketPage, TicketQuery, TicketRecord, TicketStore } from "../ports.ts";
import { DuplicateOriginError, StaleWriteError } from "../ports.ts";
import type { FieldCipher } from "../privacy/cipher.ts";
import { sealText } from "../privacy/seal.ts";
import type { SlaPlanner } from "../sla/planner.ts";
import { dueStageEvents } from "../sla/sweep.ts";
import { parseInput } from "../validate.ts";
import type { CommandName, TicketCommand } from "./commands.ts";
import { commandSchemas, isCommandName } from "./commands.ts";
import { buildCreated, type CreatePlanner, checkCreate, escalationEvents } from "./create.ts";
import type { CustomerHook } from "./customer-hook.ts";
import { decide } from "./decide.ts";
import type { EventMeta, Placement, TicketEvent } from "./events.ts";
import { formatNumber, periodOf } from "./numbering.ts";
import { forbidden, notFound } from "./refusals.ts";
import { createTicketSchema, type Platform } from "./schema.ts";
import { evolve, fold, type TicketState } from "./state.ts";

export interface TicketSettings {
  readonly numberPrefix: string;
  readonly timeZone: string;
  readonly nudgeWindowMs: number;
}

/** Notifications a change causes, written with it in one store write. */
export type NotificationPlanner = (
  before: TicketState | undefined,
  after: TicketState,
  events: readonly TicketEvent[],
) => OutboxIntent[];

export interface TicketServiceDeps {
  readonly store: TicketStore;
  readonly directory: Directory;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  readonly settings: TicketSettings;
  readonly planner: CreatePlanner;
  readonly sla: SlaPlanner;
  /** A survey score below this opens a remedy task. */
  readonly lowScore: number;
  readonly notifications?: NotificationPlanner;
  /** Customer profiles: matched before routing, updated after the ticket is stored. */
  readonly customers?: CustomerHook;
}

export interface Caller {
  readonly actor: string;
  readonly via: Platform;
  /** The platform's delivery id of this request, when it has one (see EventMeta.request). */
  readonly request?: string;
}

export interface CommandResult {
  readonly record: TicketRecord;
  /** True when the caller asked to see the contact in clear and was allowed to. */
  readonly revealed: boolean;
  /** True when the same delivery (Caller.request) had already made its change: nothing was written. */
  readonly replayed?: boolean;
}

const MAX_RETRIES = 8;

export class TicketService {
  readonly #d: TicketServiceDeps;
  /** Per ticket, the tail of the writes from this process waiting their turn (see #inTurn). */
  readonly #turns = new Map<string, Promise<void>>();

  constructor(deps: TicketServiceDeps) {
    this.#d = deps;
  }

  get directory(): Directory {
    return this.#d.directory;
  }

  person(id: string): Person {
    const p = this.#d.directory.person(id);
    if (!p) {
      throw new DomainError(
        "unauthenticated",
        { "zh-CN": `通讯录中没有用户「${id}」`, en: `No person "${id}" in the directory` },
        { actor: id },
      );
    }
    return p;
  }

  #meta(caller: Caller, now: Date): EventMeta {
    return { at: now.toISOString(), actor: caller.actor, via: caller.via };
  }

  /** Deadlines follow the state: a change of priority, department or status re-plans them. */
  #withDeadlines(before: TicketState | undefined, events: TicketEvent[], now: Date): TicketEvent[] {
    let after = before;
    for (const e of events) after = evolve(after, e);
    if (!after) return events;
    const plan = this.#d.sla.plan(after);
    if (
      JSON.stringify(plan.due) === JSON.stringify(after.due) &&
      JSON.stringify(plan.schedule) === JSON.stringify(after.schedule)
    ) {
      return events;
    }
    return [
      ...events,
      {
        at: now.toISOString(),
        actor: "system",
        via: "system",
        type: "deadlines_set",
        due: plan.due,
        schedule: plan.schedule,
      },
    ];
  }

  #outbox(before: TicketState | undefined, events: readonly TicketEvent[]): OutboxIntent[] {
    if (!this.#d.notifications) return [];
    const after = before ? events.reduce(evolve, before) : fold(events);
    return this.#d.notifications(before, after, events);
  }

  async create(caller: Caller, body: unknown): Promise<TicketRecord> {
    return (await this.createOnce(caller, body)).record;
  }

  /** Creates a ticket, or finds the one the same chat message already made (a redelivery). */
  async createOnce(caller: Caller, body: unknown): Promise<{ record: TicketRecord; duplicate: boolean }> {
    try {
      return { record: await this.#create(caller, body), duplicate: false };
    } catch (e) {
      if (e instanceof DuplicateOriginError) return { record: e.existing, duplicate: true };
      throw e;
    }
  }

  async #create(caller: Caller, body: unknown): Promise<TicketRecord> {
    const parsed = parseInput(createTicketSchema, body);
    const actor = this.person(caller.actor);
    if (!mayCreate(actor)) throw forbidden("-", actor.id, { "zh-CN": "创建工单", en: "create tickets" });
    const { input, history } = (await this.#d.customers?.prepare(parsed)) ?? { input: parsed };
    // The chat a ticket came from is where its nudges and replies go: only that platform's adapter names it.
    const from = input.origin?.platform;
    if (from !== undefined && from !== caller.via)
      throw validationError([
        { field: "origin.platform", message: `only the ${from} adapter may say a ticket came from ${from}` },
      ]);
    const plan = await this.#d.planner(input, this.#d.directory);
    checkCreate(input, plan, this.#d.directory);
    const now = this.#d.clock.now();
    const period = periodOf(now, this.#d.settings.timeZone);
    const meta = this.#meta(caller, now);
    const record = await this.#d.store.create(period, (seq) => {
      const number = formatNumber(this.#d.settings.numberPrefix, period, seq);
      const built = buildCreated(number, input, {
        actor,
        directory: this.#d.directory,
        cipher: this.#d.cipher,
        meta,
        plan,
      });
      const created = history ? { ...built, customer: { ...built.customer, history } } : built;
      const escalated = escalationEvents(created, plan, this.#d.sla, meta);
      const events = this.#withDeadlines(undefined, [created, ...escalated], now);
      return { events, outbox: this.#outbox(undefined, events) };
    });
    await this.#d.customers?.recorded(record);
    return record;
  }

  async get(number: string): Promise<TicketRecord> {
    const record = await this.#d.store.get(number);
    if (!record) throw notFound(number);
    return record;
  }

  list(query: TicketQuery): Promise<TicketPage> {
    return this.#d.store.list(query);
  }

  phoneHash(phone: string): string {
    return this.#d.cipher.lookupHash(phone);
  }

  /** Runs a named command with an untrusted body. Re-reads and decides again if another write slipped in. */
  async execute(number: string, name: string, body: unknown, caller: Caller): Promise<CommandResult> {
    if (!isCommandName(name)) {
      throw new DomainError(
        "not_found",
        { "zh-CN": `没有「${name}」这个操作`, en: `No command "${name}"` },
        { command: name },
      );
    }
    const fields = parseInput(commandSchemas[name as CommandName], body ?? {});
    const command = { ...fields, name } as TicketCommand;
    const actor = this.person(caller.actor);
    return this.#inTurn(number, () => this.#execute(number, name, command, actor, caller));
  }

  async #execute(
    number: string,
    name: string,
    command: TicketCommand,
    actor: Person,
    caller: Caller,
  ): Promise<CommandResult> {
    for (let attempt = 0; ; attempt++) {
      const record = await this.get(number);
      if (caller.request !== undefined && record.events.some((e) => e.request === caller.request))
        return { record, revealed: false, replayed: true };
      const now = this.#d.clock.now();
      const decided = decide(record, command, {
        actor,
        directory: this.#d.directory,
        now: now.toISOString(),
        via: caller.via,
        request: caller.request,
        nudgeWindowMs: this.#d.settings.nudgeWindowMs,
        sealText: (text) => sealText(this.#d.cipher, text),
        businessMsSince: (from) => this.#d.sla.businessMsBetween(record.state, new Date(from), now),
        lowScore: this.#d.lowScore,
      });
      const events = this.#withDeadlines(record.state, decided, now);
      try {
        const saved = await this.#d.store.append(
          number,
          record.state.seq,
          events,
          this.#outbox(record.state, events),
        );
        return { record: saved, revealed: name === "reveal-contact" };
      } catch (e) {
        if (!(e instanceof StaleWriteError) || attempt >= MAX_RETRIES) throw e;
      }
    }
  }

  /**
   * Re-plans the deadlines of every active ticket whose stored plan no longer matches the configuration
   * (a changed calendar, policy or escalation chain). Returns how many tickets changed.
   */
  async replanAll(): Promise<number> {
    let changed = 0;
    let cursor: string | undefined;
    do {
      const page = await this.#d.store.list({ limit: 200, cursor });
      for (const r of page.items) {
        const now = this.#d.clock.now();
        const events = this.#withDeadlines(r.state, [], now);
        if (events.length === 0) continue;
        try {
          await this.#d.store.append(r.state.number, r.state.seq, events);
          changed++;
        } catch (e) {
          // Changed meanwhile: that write re-planned it already.
          if (!(e instanceof StaleWriteError)) throw e;
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    return changed;
  }

  /**
   * Writes to one ticket from this process take turns: each reads, decides and appends after the previous
   * one is stored. Racing instead, a crowd on one hot ticket (a hundred people pressing at once, comments,
   * card placements, the SLA clock) made each writer lose to the others until it ran out of retries and
   * failed a valid command; now only other instances sharing the store can make a write stale.
   */
  async #inTurn<T>(number: string, run: () => Promise<T>): Promise<T> {
    const before = this.#turns.get(number) ?? Promise.resolve();
    let done!: () => void;
    const tail = before.then(() => new Promise<void>((resolve) => (done = resolve)));
    this.#turns.set(number, tail);
    await before;
    try {
      return await run();
    } finally {
      done();
      if (this.#turns.get(number) === tail) this.#turns.delete(number);
    }
  }

  /** Records where a card for the ticket was posted, so later changes update it there too. */
  recordPlacement(number: string, placement: Placement): Promise<TicketRecord> {
    return this.#inTurn(number, () => this.#recordPlacement(number, placement));
  }

  async #recordPlacement(number: string, placement: Placement): Promise<TicketRecord> {
    for (let attempt = 0; ; attempt++) {
      const record = await this.get(number);
      const known = record.state.placements.some(
        (p) =>
          p.platform === placement.platform &&
          p.messageId === placement.messageId &&
          JSON.stringify(p.extra ?? {}) === JSON.stringify(placement.extra ?? {}),
      );
      if (known) return record;
      const event: TicketEvent = {
        at: this.#d.clock.now().toISOString(),
        actor: "system",
        via: "system",
        type: "card_posted",
        placement,
      };
      try {
        return await this.#d.store.append(number, record.state.seq, [event]);
      } catch (e) {
        if (!(e instanceof StaleWriteError) || attempt >= MAX_RETRIES) throw e;
      }
    }
  }

  /** Fires the SLA stages of a ticket that are due now; returns how many fired. */
  fireDueStages(number: string): Promise<number> {
    return this.#inTurn(number, () => this.#fireDueStages(number));
  }

  async #fireDueStages(number: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const record = await this.#d.store.get(number);
      if (!record) return 0;
      const now = this.#d.clock.now();
      const fired = dueStageEvents(record.state, now, this.#d.sla);
      if (fired.length === 0) return 0;
      try {
        await this.#d.store.append(number, record.state.seq, fired, this.#outbox(record.state, fired));
        return fired.filter((e) => e.type === "sla_stage").length;
      } catch (e) {
        if (!(e instanceof StaleWriteError) || attempt >= MAX_RETRIES) throw e;
      }
    }
  }

  revealPhone(record: TicketRecord): string | undefined {
    const sealed = record.state.customer.phone;
    return sealed ? this.#d.cipher.decrypt(sealed.cipher) : undefined;
  }
}
