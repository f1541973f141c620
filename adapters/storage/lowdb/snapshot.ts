import type { OutboxItem, StoredDoc } from "../../../core/ports.ts";
import type { TicketEvent } from "../../../core/ticket/events.ts";
import { jsonChunks } from "./json-chunks.ts";
import { OutboxRows } from "./outbox.ts";
import { HotState, recordOf } from "./state.ts";

/** The hot snapshot file: the hot state as of journal entry `lastSeq`. Tickets are stored as events only. */
export interface SnapshotData {
  readonly format: 1;
  readonly lastSeq: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly tickets: Readonly<Record<string, readonly TicketEvent[]>>;
  readonly archived: Readonly<Record<string, string>>;
  readonly outbox: readonly OutboxItem[];
  /** Absent in snapshots written before docs existed. */
  readonly docs?: readonly StoredDoc[];
}

export const emptySnapshot = (): SnapshotData => ({
  format: 1,
  lastSeq: 0,
  counters: {},
  tickets: {},
  archived: {},
  outbox: [],
  docs: [],
});

/** A copy of the state's shape at this instant; records are immutable, so their events are shared, not copied. */
export function captureSnapshot(state: HotState): SnapshotData {
  const tickets: Record<string, readonly TicketEvent[]> = {};
  for (const [number, record] of state.tickets) tickets[number] = record.events;
  return {
    format: 1,
    lastSeq: state.seq,
    counters: Object.fromEntries(state.counters),
    tickets,
    archived: Object.fromEntries(state.archived),
    outbox: state.outbox.rows(),
    docs: [...state.docs.values()].flatMap((docs) => [...docs.values()]),
  };
}

export function stateFromSnapshot(data: SnapshotData): HotState {
  if (data.format !== 1) throw new Error(`unknown snapshot format ${String(data.format)}`);
  const state = new HotState();
  state.seq = data.lastSeq;
  for (const [period, value] of Object.entries(data.counters)) state.counters.set(period, value);
  for (const events of Object.values(data.tickets)) state.put(recordOf(events));
  for (const [number, month] of Object.entries(data.archived)) state.archived.set(number, month);
  state.outbox = OutboxRows.from(data.outbox);
  for (const doc of data.docs ?? []) state.putDoc(doc.collection, doc.id, doc);
  return state;
}

/** One piece per ticket and per outbox row, so writing a large snapshot yields to the event loop. */
export const serializeSnapshot = (data: SnapshotData): Iterable<string> => jsonChunks(data, 2);
