import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AssignmentState, type Candidate, pickOwner } from "../../core/routing/assign.ts";

const team: Candidate[] = [{ id: "a" }, { id: "b" }, { id: "c" }];
const none: AssignmentState = { openCounts: {} };

describe("round-robin", () => {
  it("starts at the top and takes the one after the last assigned, wrapping round", () => {
    expect(pickOwner(team, "round-robin", none)).toBe("a");
    expect(pickOwner(team, "round-robin", { lastAssigned: "a", openCounts: {} })).toBe("b");
    expect(pickOwner(team, "round-robin", { lastAssigned: "c", openCounts: {} })).toBe("a");
  });

  it("cycles through everyone when the caller keeps the state", () => {
    let last: string | undefined;
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      last = pickOwner(team, "round-robin", {
        ...(last !== undefined && { lastAssigned: last }),
        openCounts: {},
      });
      order.push(last!);
    }
    expect(order).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  it("skips people who are away", () => {
    const withAway = [{ id: "a" }, { id: "b", away: true }, { id: "c" }];
    expect(pickOwner(withAway, "round-robin", { lastAssigned: "a", openCounts: {} })).toBe("c");
    expect(pickOwner(withAway, "round-robin", { lastAssigned: "c", openCounts: {} })).toBe("a");
  });

  it("gives it back to the last one when they are the only one present", () => {
    const one = [{ id: "a", away: true }, { id: "b" }, { id: "c", away: true }];
    expect(pickOwner(one, "round-robin", { lastAssigned: "b", openCounts: {} })).toBe("b");
  });

  it("starts at the top when the last assigned has left the list", () => {
    expect(pickOwner(team, "round-robin", { lastAssigned: "gone", openCounts: {} })).toBe("a");
  });
});

describe("least open tickets", () => {
  it("takes the one with the fewest open tickets", () => {
    expect(pickOwner(team, "least-open", { openCounts: { a: 3, b: 1, c: 2 } })).toBe("b");
    expect(pickOwner(team, "least-open", { openCounts: { a: 3, b: 1 } })).toBe("c");
  });

  it("breaks ties by list order, then by turn after the last assigned", () => {
    expect(pickOwner(team, "least-open", { openCounts: { a: 2, b: 1, c: 1 } })).toBe("b");
    expect(pickOwner(team, "least-open", { lastAssigned: "b", openCounts: { a: 2, b: 1, c: 1 } })).toBe("c");
    expect(pickOwner(team, "least-open", { lastAssigned: "c", openCounts: { a: 1, b: 1, c: 1 } })).toBe("a");
  });

  it("skips people who are away even when they are least loaded", () => {
    const withAway = [{ id: "a" }, { id: "b", away: true }, { id: "c" }];
    expect(pickOwner(withAway, "least-open", { openCounts: { a: 5, b: 0, c: 4 } })).toBe("c");
  });
});

describe("nobody to take it", () => {
  it.each(["round-robin", "least-open"] as const)(
    "%s returns undefined when everyone is away",
    (strategy) => {
      const away = team.map((c) => ({ ...c, away: true }));
      expect(pickOwner(away, strategy, { lastAssigned: "a", openCounts: { a: 0 } })).toBeUndefined();
      expect(pickOwner([], strategy, none)).toBeUndefined();
    },
  );
});

it("is pure: the state and list are left as they were", () => {
  const state = Object.freeze({ lastAssigned: "a", openCounts: Object.freeze({ a: 1, b: 1 }) });
  const list = Object.freeze(team.map((c) => Object.freeze({ ...c })));
  expect(pickOwner(list, "least-open", state)).toBe("c");
  expect(pickOwner(list, "round-robin", state)).toBe("b");
  expect(state).toEqual({ lastAssigned: "a", openCounts: { a: 1, b: 1 } });
});

it("always picks someone present, and someone whenever anyone is present (property)", () => {
  const candidates = fc.uniqueArray(
    fc.record({ id: fc.constantFrom("a", "b", "c", "d", "e"), away: fc.boolean() }),
    { selector: (c) => c.id, maxLength: 5 },
  );
  fc.assert(
    fc.property(
      candidates,
      fc.constantFrom("round-robin" as const, "least-open" as const),
      fc.option(fc.constantFrom("a", "b", "c", "x"), { nil: undefined }),
      fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e"), fc.nat(20)),
      (list, strategy, last, openCounts) => {
        const picked = pickOwner(list, strategy, {
          ...(last !== undefined && { lastAssigned: last }),
          openCounts,
        });
        const present = list.filter((c) => !c.away);
        if (present.length === 0) return picked === undefined;
        if (!present.some((c) => c.id === picked)) return false;
        if (strategy === "least-open") {
          const min = Math.min(...present.map((c) => openCounts[c.id] ?? 0));
          return (openCounts[picked!] ?? 0) === min;
        }
        return true;
      },
    ),
  );
});
