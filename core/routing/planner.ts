import type { Directory } from "../directory/directory.ts";
import type { CreatePlan, CreatePlanner } from "../ticket/create.ts";
import type { CreateTicketInput } from "../ticket/schema.ts";
import { pickOwner } from "./assign.ts";
import { classify } from "./classify.ts";
import { escalationReasons } from "./escalation.ts";
import type { RoutingConfig } from "./rules-schema.ts";

/** Open tickets per owner in a department, as the store counts them now. */
export type DepartmentLoad = (department: string) => Promise<Readonly<Record<string, number>>>;

/**
 * Routing for a new ticket: rules classify the text, a member of the department is picked, and
 * escalation criteria are checked. Explicit input always wins over what the rules proposed.
 */
export function routingPlanner(
  config: RoutingConfig,
  defaultDepartment: string,
  load: DepartmentLoad,
): CreatePlanner {
  const lastAssigned = new Map<string, string>();
  return async (input: CreateTicketInput, dir: Directory): Promise<CreatePlan> => {
    const c = classify(
      { text: input.description, customerType: input.customer?.type, customerTags: input.customer?.tags },
      config.rules,
      { problemType: "other", department: defaultDepartment },
    );
    const ruled = dir.department(c.department) ? c.department : defaultDepartment;
    const department = input.department ?? ruled;
    const mood = input.mood ?? c.mood;
    let owner: string | undefined;
    if (input.owner === undefined) {
      const candidates = dir
        .members(department)
        .filter((p) => p.roles.includes("engineer"))
        .map((p) => ({ id: p.id, away: p.away }));
      if (candidates.length > 0) {
        const openCounts = config.assignment.strategy === "least-open" ? await load(department) : {};
        owner = pickOwner(candidates, config.assignment.strategy, {
          lastAssigned: lastAssigned.get(department),
          openCounts,
        });
        if (owner) lastAssigned.set(department, owner);
      }
    }
    const reasons = escalationReasons(
      { mood, text: input.description, demand: input.demand, moodWords: c.moodWords },
      config.escalation,
    );
    return {
      problemType: c.problemType,
      department,
      priority: c.priority,
      mood,
      owner,
      rules: c.hits.filter((h) => h.field !== "department" || ruled === c.department),
      escalations: reasons.map((r) => ({ kind: r.kind, text: r.text })),
      extracted: { orderNo: c.extracted.orderNo, product: c.extracted.model },
    };
  };
}
