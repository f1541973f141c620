import type { Directory } from "../directory/directory.ts";
import type { Person } from "../directory/schema.ts";
import { DomainError } from "../errors.ts";

/**
 * Who may export what. Exports are bulk data, so they belong to the people who answer for a department:
 * admins export everything; a head exports the departments whose escalation chain they are on (their own
 * and those below); anyone else is refused.
 */
export function exportScope(dir: Directory, actor: Person): ReadonlySet<string> | "all" {
  if (actor.roles.includes("admin")) return "all";
  const mine = dir
    .departments()
    .map((d) => d.id)
    .filter((id) => dir.escalationChain(id).includes(actor.id));
  if (mine.length === 0) {
    throw new DomainError(
      "forbidden",
      {
        "zh-CN": "只有部门负责人和管理员可以导出记录表",
        en: "Only department heads and admins may export record tables",
      },
      { actor: actor.id },
    );
  }
  return new Set(mine);
}

/** The department filter checked against the scope: the departments to export (undefined: all). */
export function exportDepartments(
  dir: Directory,
  scope: ReadonlySet<string> | "all",
  department: string | undefined,
): { department?: string; allowed?: ReadonlySet<string> } {
  if (department === undefined) return scope === "all" ? {} : { allowed: scope };
  if (!dir.department(department)) {
    throw new DomainError(
      "validation",
      { "zh-CN": `没有部门「${department}」`, en: `No department "${department}"` },
      { issues: [{ field: "department", message: "unknown department" }] },
    );
  }
  if (scope !== "all" && !scope.has(department)) {
    throw new DomainError(
      "forbidden",
      {
        "zh-CN": `你不能导出部门「${department}」的记录`,
        en: `You may not export the records of department "${department}"`,
      },
      { department },
    );
  }
  return { department };
}
