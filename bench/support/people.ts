import type { DirectoryData, Person } from "../../core/directory/schema.ts";

/** Departments of the benchmark company; each has a head and ENGINEERS engineers. */
export const DEPARTMENTS = ["tech", "returns", "complaints", "logistics", "billing"] as const;
export const ENGINEERS = 6;
export const AGENTS = 6;

/** A fixed 32-byte field-encryption key: the seeder and the server must agree on it. */
export const SECRET_KEY = Buffer.alloc(32, 11).toString("base64");
export const FEISHU = {
  appId: "cli_b0a1b2c3d4e5f607",
  appSecret: "bench-app-secret",
  verificationToken: "bench-verification-token",
  encryptKey: "bench-encrypt-key",
} as const;

const hex12 = (n: number) => n.toString(16).padStart(12, "0");
/** Deterministic identities on both platforms, so the driver can sign as anyone without asking the server. */
export const openIdOf = (personId: string) => `ou_bench_${personId}`;
export const aadOf = (index: number) => `0b0e0c0d-0000-4000-8000-${hex12(index)}`;

const engineerId = (dep: string, n: number) => `eng-${dep}-${n}`;

export interface BenchDirectory {
  readonly data: DirectoryData;
  /** Every person with a platform identity, in a fixed order (the index gives the Teams id). */
  readonly people: readonly Person[];
  readonly agents: readonly string[];
  /** The fan-out recipients (when asked for): on Feishu, on Teams. */
  readonly fanout: { readonly feishu: readonly string[]; readonly teams: readonly string[] };
}

/**
 * The company the benchmarks run against: a support department of agents, five departments of engineers
 * with a head each, all reachable on Feishu and Teams; optionally `fanout` extra people who only receive
 * notifications (a `feishuShare` of them on Feishu, the others on Teams).
 */
export function benchDirectory(fanout = 0, feishuShare = 0.5): BenchDirectory {
  const people: Omit<Person, "feishu" | "teams">[] = [
    { id: "admin", name: "陈静", roles: ["admin"], departments: [] },
    { id: "head-support", name: "王芳", roles: ["head", "agent"], departments: ["support"] },
  ];
  const agents = Array.from({ length: AGENTS }, (_, i) => `agent-${i + 1}`);
  for (const id of agents) people.push({ id, name: `客服${id}`, roles: ["agent"], departments: ["support"] });
  const departments: DirectoryData["departments"] = [
    { id: "support", name: "客服中心", head: "head-support", members: agents },
  ];
  for (const dep of DEPARTMENTS) {
    const members = Array.from({ length: ENGINEERS }, (_, i) => engineerId(dep, i + 1));
    departments.push({ id: dep, name: `${dep} 组`, head: `head-${dep}`, parent: "support", members });
    people.push({ id: `head-${dep}`, name: `${dep} 主管`, roles: ["head"], departments: [dep] });
    for (const id of members)
      people.push({ id, name: `工程师${id}`, roles: ["engineer"], departments: [dep] });
  }
  const feishuFan: string[] = [];
  const teamsFan: string[] = [];
  for (let i = 0; i < fanout; i++) {
    const id = `fan-${i}`;
    const onFeishu = Math.floor((i + 1) * feishuShare) > Math.floor(i * feishuShare);
    (onFeishu ? feishuFan : teamsFan).push(id);
    people.push({ id, name: `收件人${i}`, roles: ["engineer"], departments: [] });
  }
  const onFeishu = new Set(feishuFan);
  const onTeams = new Set(teamsFan);
  const full: Person[] = people.map((p, i) => {
    const fan = p.id.startsWith("fan-");
    return {
      ...p,
      ...(!fan || onFeishu.has(p.id) ? { feishu: { openId: openIdOf(p.id) } } : {}),
      ...(!fan || onTeams.has(p.id) ? { teams: { aadObjectId: aadOf(i) } } : {}),
    } as Person;
  });
  return {
    data: { people: full, departments },
    people: full,
    agents,
    fanout: { feishu: feishuFan, teams: teamsFan },
  };
}
