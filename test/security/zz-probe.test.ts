import { it } from "vitest";
import { startWorld } from "./support/world.ts";

it("probe", async () => {
  const w = await startWorld();
  await w.ticket("pending");
  for (const q of ["cursor=", "cursor=%20", "cursor=abc", "limit=1&cursor="]) {
    const r = await w.call("GET", `/api/v1/tickets?${q}`, { as: "admin" });
    console.log(q, r.status, r.text.slice(0, 300));
  }
  console.log(w.logs.filter((l) => l.includes("unhandled")).map((l) => l.slice(0, 600)));
  await w.stop();
});
