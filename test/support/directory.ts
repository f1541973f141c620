import { DEMO_DIRECTORY } from "../../adapters/sandbox/demo-directory.ts";
import { Directory } from "../../core/directory/directory.ts";
import type { CreatedEvent } from "../../core/ticket/events.ts";

export const demoDirectory = () =>
  new Directory({
    ...DEMO_DIRECTORY,
    people: [...DEMO_DIRECTORY.people, { id: "api", name: "API", roles: ["admin"], departments: [] }],
  });

/** A created event for a demo-directory ticket: Monday 2026-11-23 10:00 in Shanghai, tech, normal, unowned. */
export function demoCreated(over: Partial<CreatedEvent> = {}): CreatedEvent {
  return {
    type: "created",
    at: "2026-11-23T02:00:00.000Z",
    actor: "agent-li",
    via: "api",
    number: "CS2026110001",
    description: "无法开机",
    customer: { type: "new", tags: [] },
    contacts: [],
    origin: { platform: "api" },
    problemType: "quality_complaint",
    priority: "normal",
    mood: "calm",
    department: "tech",
    firstContact: "agent-li",
    watchers: [],
    demand: [],
    evidence: [],
    rules: [],
    ...over,
  };
}
