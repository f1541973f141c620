import type { Inline } from "../../model/types.ts";
import { inertMarkdown, safeUrl } from "../../text/markup.ts";
import type { TeamsMention } from "./types.ts";

/**
 * TextBlock markdown from inlines, collecting the mention entities it uses. Typed text is inert, so it can
 * neither form markdown nor spell an <at> that matches an entity.
 */
export class TeamsText {
  readonly #mentions = new Map<string, TeamsMention>();

  markdown(runs: readonly Inline[]): string {
    return runs.map((r) => this.#run(r)).join("");
  }

  get entities(): TeamsMention[] {
    return [...this.#mentions.values()];
  }

  #run(r: Inline): string {
    switch (r.kind) {
      case "text":
        return inertMarkdown(r.text);
      case "strong":
        return `**${inertMarkdown(r.text)}**`;
      case "mention": {
        const name = inertMarkdown(r.person.name);
        const id = r.person.teams?.aadObjectId;
        if (!id) return name;
        const text = `<at>${name}</at>`;
        if (!this.#mentions.has(text))
          this.#mentions.set(text, { type: "mention", text, mentioned: { id, name } });
        return text;
      }
      case "link": {
        const url = safeUrl(r.url);
        return url ? `[${inertMarkdown(r.text)}](${url})` : inertMarkdown(r.text);
      }
    }
  }
}
