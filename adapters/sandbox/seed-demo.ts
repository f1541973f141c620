import type { Clock } from "../../core/ports.ts";
import type { TicketService } from "../../core/ticket/service.ts";
import { DEMO_TICKETS } from "./demo-tickets.ts";

const HOUR = 3_600_000;

/** A clock the seeder moves by hand, so demo tickets carry realistic past times. */
class SetClock implements Clock {
  at = new Date();
  now(): Date {
    return this.at;
  }
}

/** Creates the demo tickets through the real commands, so their timelines are what a person would have made. */
export async function seedDemo(serviceAt: (clock: Clock) => TicketService, now: Date): Promise<string[]> {
  const clock = new SetClock();
  const service = serviceAt(clock);
  const numbers: string[] = [];
  for (const demo of DEMO_TICKETS) {
    const createdAt = now.getTime() - demo.ago * HOUR;
    clock.at = new Date(createdAt);
    let record = await service.create({ actor: demo.by, via: "web" }, demo.input);
    for (const step of demo.steps) {
      // Routing may already have given the ticket to the person the story has claim it.
      if (step.command === "claim" && record.state.owner === step.actor) continue;
      clock.at = new Date(Math.min(createdAt + step.after * HOUR, now.getTime()));
      const body = { version: record.state.version, ...step.body };
      ({ record } = await service.execute(record.state.number, step.command, body, {
        actor: step.actor,
        via: "web",
      }));
    }
    numbers.push(record.state.number);
  }
  return numbers;
}
