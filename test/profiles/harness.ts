import { LowdbTicketStore } from "../../adapters/storage/lowdb/index.ts";
import { configSchema } from "../../core/config/schema.ts";
import { FieldCipher } from "../../core/privacy/cipher.ts";
import { CustomerProfiles } from "../../core/profiles/service.ts";
import { routingPlanner } from "../../core/routing/planner.ts";
import { SlaPlanner } from "../../core/sla/planner.ts";
import { TicketService } from "../../core/ticket/service.ts";
import { demoDirectory } from "../support/directory.ts";
import { ManualClock } from "../support/manual-clock.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";

/** Monday 2026-11-23 10:00 in Shanghai. */
export const MONDAY_10 = "2026-11-23T02:00:00.000Z";

/** The ticket service on an embedded store, with routing rules and customer profiles, as main.ts wires it. */
export async function profileHarness() {
  const dir = await makeTmpDir("profiles");
  const store = new LowdbTicketStore({ dir });
  await store.open();
  const config = configSchema.parse({});
  const directory = demoDirectory();
  const clock = new ManualClock(MONDAY_10);
  const cipher = new FieldCipher(Buffer.alloc(32, 9));
  const errors: unknown[] = [];
  let ids = 0;
  const customers = new CustomerProfiles({
    store,
    cipher,
    clock,
    lowScore: 3,
    onError: (err) => errors.push(err),
    newId: () => `cu-test-${++ids}`,
  });
  const service = new TicketService({
    store,
    directory,
    cipher,
    clock,
    settings: { numberPrefix: "CS", timeZone: "Asia/Shanghai", nudgeWindowMs: 1_800_000 },
    planner: routingPlanner(config.routing, "support", async () => ({})),
    sla: new SlaPlanner(config.sla, directory),
    lowScore: 3,
    customers,
  });
  return {
    store,
    cipher,
    clock,
    directory,
    customers,
    service,
    errors,
    create: (body: Record<string, unknown>, actor = "agent-li") =>
      service.create({ actor, via: "api" }, body),
    async close() {
      await store.close();
      await removeDir(dir);
    },
  };
}
