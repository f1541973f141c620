import { isDeepStrictEqual } from "node:util";
import type { TicketRecord } from "../../../core/ports.ts";
import { isMaterial } from "../../../core/ticket/events.ts";
import { fold } from "../../../core/ticket/state.ts";

/**
 * What must hold of any stored ticket: the state is the fold of its events, seq counts the events, the
 * version counts the material ones (so versions strictly increase along the timeline, one per material
 * change), and no SLA stage is in the timeline twice.
 */
export function timelineProblems(record: TicketRecord): string[] {
  const { state, events } = record;
  const n = state.number;
  const problems: string[] = [];
  if (!isDeepStrictEqual(fold(events), state))
    problems.push(`${n}: stored state is not the fold of its events`);
  if (state.seq !== events.length) problems.push(`${n}: seq ${state.seq} but ${events.length} events`);
  let version = 0;
  for (const e of events) if (isMaterial(e)) version += 1;
  if (state.version !== version)
    problems.push(`${n}: version ${state.version} but ${version} material events`);
  const stages = events.flatMap((e) => (e.type === "sla_stage" ? [e.key] : []));
  const twice = stages.filter((k, i) => stages.indexOf(k) !== i);
  if (twice.length) problems.push(`${n}: SLA stages fired twice: ${[...new Set(twice)].join(", ")}`);
  return problems;
}

/** The version after each material event, in timeline order: 1, 2, 3... */
export function materialVersions(record: TicketRecord): number[] {
  const out: number[] = [];
  let v = 0;
  for (const e of record.events) if (isMaterial(e)) out.push(++v);
  return out;
}
