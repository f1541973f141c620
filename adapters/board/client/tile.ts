/// <reference lib="dom" />
import type { Tile } from "../tiles.ts";
import { h } from "./dom.ts";
import type { Fmt } from "./format.ts";

const initials = (name: string) =>
  [...name.trim()]
    .slice(0, name.match(/[\u4e00-\u9fff]/) ? 1 : 2)
    .join("")
    .toUpperCase();

/** Whether a nudge would be refused now (inside the rate-limit window). */
export const nudgeWaiting = (tile: Tile, now: number) =>
  tile.nudges.nextAt !== undefined && Date.parse(tile.nudges.nextAt) > now;

/**
 * One tile. Priority, SLA state and VIP are each shown as a word or icon and a colour, never colour alone.
 * All ticket text goes in as text.
 */
export function renderTile(tile: Tile, f: Fmt, now: number, index: number, size: number): HTMLElement {
  const slaText = f.sla(tile.sla);
  const label = f.t("tile.label", {
    number: tile.number,
    title: tile.title,
    status: f.status(tile.status),
    priority: f.priority(tile.priority),
    sla: slaText,
  });
  const nudge = tile.actions.includes("nudge")
    ? (() => {
        const waiting = nudgeWaiting(tile, now);
        const last = tile.nudges.lastAt
          ? f.t("nudge.last", { who: tile.nudges.lastByName ?? "", at: f.time(tile.nudges.lastAt) })
          : undefined;
        const text = waiting ? f.t("nudge.wait", { at: f.time(tile.nudges.nextAt) }) : f.t("action.nudge");
        return h(
          "button",
          {
            type: "button",
            class: "nudge",
            "data-action": "nudge",
            disabled: waiting,
            "aria-disabled": waiting ? "true" : undefined,
            title: [last, waiting ? text : undefined].filter(Boolean).join(" · ") || undefined,
            "aria-label": `${f.t("action.nudge")} ${tile.ownerName ?? ""} (${tile.number})${last ? ` · ${last}` : ""}${waiting ? ` · ${text}` : ""}`,
          },
          text,
        );
      })()
    : undefined;
  return h(
    "article",
    {
      class: `tile prio-${tile.priority} sla-${tile.sla.state}${tile.mine ? " mine" : ""}`,
      role: "listitem",
      tabindex: "0",
      draggable: "true",
      "data-number": tile.number,
      "data-status": tile.status,
      "data-version": tile.version,
      "aria-label": label,
      "aria-posinset": index + 1,
      "aria-setsize": size,
    },
    h(
      "div",
      { class: "tile-top" },
      h("span", { class: "prio", title: f.priority(tile.priority) }, f.priority(tile.priority)),
      h("span", { class: "num" }, tile.number),
      tile.customerType === "vip"
        ? h("span", { class: "badge vip", title: "VIP" }, `★ ${f.t("tile.vip")}`)
        : null,
      tile.paused ? h("span", { class: "badge paused" }, `⏸ ${f.t("tile.paused")}`) : null,
      tile.escalation > 0
        ? h("span", { class: "badge esc" }, `⬆ ${f.t("tile.escalated", { n: tile.escalation })}`)
        : null,
    ),
    h("p", { class: "title" }, tile.title),
    h(
      "div",
      { class: "tile-meta" },
      h("span", { class: "dept" }, tile.departmentName),
      h(
        "span",
        { class: "owner" },
        h("span", { class: "avatar", "aria-hidden": "true" }, initials(tile.ownerName ?? "?")),
        tile.ownerName ?? f.t("tile.unassigned"),
      ),
    ),
    h(
      "div",
      { class: "tile-bottom" },
      h(
        "span",
        { class: `sla sla-${tile.sla.state}`, "data-sla": tile.sla.state },
        tile.sla.state === "overdue" ? "⚠ " : tile.sla.state === "soon" ? "◔ " : "",
        slaText,
      ),
      tile.nudges.count > 0
        ? h("span", { class: "nudges" }, f.t("tile.nudges", { n: tile.nudges.count }))
        : null,
      nudge,
    ),
  );
}
