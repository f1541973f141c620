/// <reference lib="dom" />
import type { TicketView } from "../../../core/ticket/view.ts";
import { api } from "./api.ts";
import { customerLinksSection } from "./customer-links.ts";
import { h, safeLink } from "./dom.ts";
import type { Fmt } from "./format.ts";
import { kbSection } from "./kb-drawer.ts";
import type { Viewer } from "./meta.ts";
import { customerPanel } from "./profile-panel.ts";

type Field = [string, Node | string | undefined | null];

function dl(rows: Field[]): HTMLElement {
  return h(
    "dl",
    { class: "fields" },
    rows
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v!)]),
  );
}

export interface DrawerHooks {
  readonly onClose: () => void;
  readonly onError: (err: unknown) => void;
  readonly act: (number: string, action: string) => void;
  readonly personName: (id: string | undefined) => string;
  readonly departmentName: (id: string) => string;
}

/** The ticket's detail drawer. Refreshing keeps its scroll position and any comment being typed. */
export class Drawer {
  readonly el: HTMLElement;
  readonly #body: HTMLElement;
  readonly #title: HTMLElement;
  readonly #comment: HTMLFormElement;
  #f: Fmt;
  readonly #viewer: Viewer;
  readonly #hooks: DrawerHooks;
  #number: string | undefined;
  #revealed: string | undefined;
  #opener: HTMLElement | null = null;

  constructor(f: Fmt, viewer: Viewer, hooks: DrawerHooks) {
    this.#f = f;
    this.#viewer = viewer;
    this.#hooks = hooks;
    this.#title = h("h2", { id: "drawer-title" });
    this.#body = h("div", { class: "drawer-body" });
    const text = h("textarea", {
      id: "comment-text",
      name: "text",
      rows: 2,
      maxlength: 4000,
      required: true,
    }) as HTMLTextAreaElement;
    this.#comment = h(
      "form",
      { class: "comment-form" },
      h("label", { for: "comment-text" }, f.t("prompt.comment")),
      text,
      h("button", { type: "submit", class: "secondary" }, f.t("action.comment")),
    ) as HTMLFormElement;
    this.#comment.addEventListener("submit", (e) => {
      e.preventDefault();
      const value = text.value.trim();
      if (!value || !this.#number) return;
      api("POST", `/api/v1/tickets/${encodeURIComponent(this.#number)}/comment`, { text: value })
        .then(() => {
          text.value = "";
          return this.refresh();
        })
        .catch(hooks.onError);
    });
    this.el = h(
      "aside",
      {
        class: "drawer",
        role: "dialog",
        "aria-modal": "false",
        "aria-labelledby": "drawer-title",
        hidden: true,
      },
      h(
        "header",
        {},
        this.#title,
        h(
          "button",
          { type: "button", class: "close", "aria-label": f.t("action.close"), onclick: () => this.close() },
          "✕",
        ),
      ),
      this.#body,
    );
    this.el.addEventListener("keydown", (e) => {
      if ((e as KeyboardEvent).key === "Escape") {
        e.stopPropagation();
        this.close();
      }
    });
  }

  get number(): string | undefined {
    return this.#number;
  }

  setFormatter(f: Fmt): void {
    this.#f = f;
    void this.refresh();
  }

  async open(number: string): Promise<void> {
    if (this.#number !== number) this.#revealed = undefined;
    this.#opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.#number = number;
    this.el.hidden = false;
    this.#title.textContent = this.#f.t("drawer.title", { number });
    this.#body.replaceChildren(h("p", { class: "loading" }, "…"));
    this.#body.scrollTop = 0;
    await this.refresh();
    (this.el.querySelector(".close") as HTMLElement | null)?.focus();
  }

  close(): void {
    if (!this.#number) return;
    this.#number = undefined;
    this.el.hidden = true;
    this.#hooks.onClose();
    this.#opener?.focus();
  }

  async refresh(): Promise<void> {
    const number = this.#number;
    if (!number) return;
    try {
      const view = await api<TicketView>("GET", `/api/v1/tickets/${encodeURIComponent(number)}`);
      if (this.#number !== number) return;
      const scroll = this.#body.scrollTop;
      this.#render(view);
      this.#body.scrollTop = scroll;
    } catch (err) {
      this.#hooks.onError(err);
    }
  }

  async #reveal(): Promise<void> {
    const number = this.#number!;
    const view = await api<TicketView>(
      "POST",
      `/api/v1/tickets/${encodeURIComponent(number)}/reveal-contact`,
      {},
    );
    this.#revealed = view.customer.phone;
    await this.refresh();
  }

  #render(v: TicketView): void {
    const f = this.#f;
    const { personName, departmentName } = this.#hooks;
    const me = this.#viewer;
    const mayReveal = me.roles.includes("admin") || me.id === v.owner || me.id === v.firstContact;
    const phone = this.#revealed ?? v.customer.phone;
    const phoneCell = h(
      "span",
      { class: "phone" },
      h("span", { "data-phone": "" }, phone ?? f.t("drawer.none")),
      this.#revealed
        ? h("small", { class: "revealed" }, ` ${f.t("drawer.revealed")}`)
        : mayReveal && v.customer.phone
          ? h(
              "button",
              {
                type: "button",
                class: "link",
                "data-action": "reveal",
                onclick: () => this.#reveal().catch(this.#hooks.onError),
              },
              f.t("action.reveal"),
            )
          : null,
    );
    const actions = h(
      "div",
      { class: "drawer-actions" },
      (["claim", "start", "resolve", "reopen", "nudge"] as const).map((a) =>
        h(
          "button",
          {
            type: "button",
            class: "secondary",
            "data-action": a,
            onclick: () => this.#hooks.act(v.number, a),
          },
          f.t(`action.${a}`),
        ),
      ),
    );
    const comments = (v.timeline ?? []).filter((e) => e.type === "commented");
    const timeline = (v.timeline ?? []).filter((e) => e.type !== "deadlines_set");
    const survey = v.survey
      ? `${f.t("drawer.surveyScores", { r: v.survey.resolutionScore, a: v.survey.attitudeScore })}${v.survey.suggestion ? ` · ${v.survey.suggestion}` : ""}`
      : undefined;
    const confirmation = v.confirmation
      ? v.confirmation.result === "confirmed"
        ? `${f.t("drawer.confirmed")} · ${f.time(v.confirmation.at)}`
        : f.t("drawer.disputed", { reason: v.confirmation.reason ?? "" })
      : undefined;
    const remedy = v.remedy
      ? v.remedy.doneAt
        ? f.t("drawer.remedyDone", { note: v.remedy.note ?? "" })
        : f.t("drawer.remedyOpen")
      : undefined;
    const due = Object.entries(v.due)
      .map(([k, at]) => `${f.t(`sla.target.${k}` as never)} ${f.time(at as string)}`)
      .join(" · ");
    const parts: (Node | null)[] = [
      actions,
      h(
        "section",
        {},
        h("h3", {}, f.t("drawer.description")),
        h("p", { class: "description" }, v.description),
      ),
      kbSection(v.number, f.locale, personName),
      customerPanel(v.number, f, this.#hooks.onError),
      dl([
        [
          f.t("drawer.customer"),
          [v.customer.name, v.customer.type === "vip" ? "★ VIP" : undefined].filter(Boolean).join(" "),
        ],
        [f.t("drawer.phone"), phoneCell],
        [f.t("drawer.otherContacts"), v.customer.otherContacts.join(", ")],
        [
          f.t("drawer.problemType"),
          f.problemType(v.problemType) + (v.problemTag ? ` · ${v.problemTag}` : ""),
        ],
        [f.t("drawer.priority"), f.priority(v.priority)],
        [f.t("drawer.department"), departmentName(v.department)],
        [f.t("drawer.owner"), v.owner ? personName(v.owner) : f.t("tile.unassigned")],
        [f.t("drawer.firstContact"), personName(v.firstContact)],
        [f.t("drawer.channel"), v.channel],
        [f.t("drawer.product"), v.product],
        [f.t("drawer.orderNo"), v.orderNo],
        [f.t("drawer.demand"), v.demand.join(", ")],
        [f.t("drawer.created"), f.time(v.createdAt)],
        [f.t("drawer.due"), due],
        [f.t("drawer.escalation"), v.escalation.level ? `L${v.escalation.level}` : undefined],
        [f.t("drawer.solution"), v.solution],
        [f.t("drawer.reopenReason"), v.reopenReason],
        [f.t("drawer.confirmation"), confirmation],
        [f.t("drawer.survey"), survey],
        [f.t("drawer.remedy"), remedy],
      ]),
      customerLinksSection(v, f, this.#hooks.onError),
      v.evidence.length
        ? h(
            "section",
            {},
            h("h3", {}, f.t("drawer.evidence")),
            h(
              "ul",
              { class: "evidence" },
              v.evidence.map((url) => h("li", {}, safeLink(url))),
            ),
          )
        : null,
      h(
        "section",
        { class: "comments" },
        h("h3", {}, f.t("drawer.comments")),
        comments.length
          ? h(
              "ul",
              {},
              comments.map((c) =>
                h(
                  "li",
                  {},
                  h("strong", {}, c.actorName),
                  ` · ${f.time(c.at)}`,
                  h("p", {}, String(c.text ?? "")),
                ),
              ),
            )
          : h("p", { class: "muted" }, f.t("drawer.noComments")),
        this.#comment,
      ),
      h(
        "section",
        { class: "timeline" },
        h("h3", {}, f.t("drawer.timeline")),
        h(
          "ol",
          {},
          timeline.map((e) =>
            h(
              "li",
              {},
              h("time", { datetime: e.at }, f.time(e.at)),
              " ",
              h("strong", {}, e.actorName),
              ` · ${e.type}${e.via ? ` (${e.via})` : ""}`,
              typeof e.text === "string" || typeof e.solution === "string" || typeof e.reason === "string"
                ? h("p", {}, String(e.text ?? e.solution ?? e.reason))
                : null,
            ),
          ),
        ),
      ),
    ];
    this.#body.replaceChildren(...parts.filter((p): p is Node => p !== null));
  }
}
