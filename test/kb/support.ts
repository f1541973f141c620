import { LowdbTicketStore } from "../../adapters/storage/lowdb/index.ts";
import type { Directory } from "../../core/directory/directory.ts";
import { KnowledgeBase } from "../../core/kb/knowledge-base.ts";
import type { TicketRecord } from "../../core/ports.ts";
import type { CreatedEvent } from "../../core/ticket/events.ts";
import { demoCreated, demoDirectory } from "../support/directory.ts";
import { ManualClock } from "../support/manual-clock.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";
import type { CorpusArticle } from "./corpus.ts";

export const START = "2026-11-23T02:00:00.000Z";

/** A knowledge base over a real embedded store, the demo directory and a manual clock. */
export interface KbWorld {
  readonly kb: KnowledgeBase;
  readonly store: LowdbTicketStore;
  readonly clock: ManualClock;
  readonly directory: Directory;
  /** A second knowledge base on the same store, loaded from it (a restart). */
  reload(): Promise<KnowledgeBase>;
  /** A ticket written straight to the store (created by agent-li, department support unless said). */
  ticket(over?: Partial<CreatedEvent>): Promise<TicketRecord>;
  /** Articles written by the admin with fixed ids (the corpus' ids). */
  seed(corpus: readonly CorpusArticle[]): Promise<void>;
  dispose(): Promise<void>;
}

export async function kbWorld(opts: { staleAfterDays?: number } = {}): Promise<KbWorld> {
  const dir = await makeTmpDir("kb");
  const clock = new ManualClock(START);
  const store = new LowdbTicketStore({ dir, clock });
  await store.open();
  const directory = demoDirectory();
  let nextId: string | undefined;
  const make = () =>
    new KnowledgeBase({
      store,
      directory,
      clock,
      staleAfterDays: opts.staleAfterDays ?? 180,
      newId: () => nextId ?? `kb-${Math.random().toString(16).slice(2, 10)}`,
    });
  const kb = make();
  let seq = 0;
  return {
    kb,
    store,
    clock,
    directory,
    async reload() {
      const fresh = make();
      await fresh.load();
      return fresh;
    },
    async ticket(over = {}) {
      seq += 1;
      const number = `CS202611${String(seq).padStart(4, "0")}`;
      return store.create("202611", () => ({
        events: [
          demoCreated({
            number,
            department: "support",
            origin: { platform: "feishu", chatId: "oc_group", messageId: `om_${seq}` },
            ...over,
          }),
        ],
      }));
    },
    async seed(corpus) {
      for (const a of corpus) {
        nextId = a.id;
        await kb.create(
          { actor: "admin", via: "api" },
          { title: a.title, body: a.body, tags: [...a.tags], problemType: a.problemType },
        );
      }
      nextId = undefined;
    },
    async dispose() {
      await store.close();
      await removeDir(dir);
    },
  };
}

export const as = (actor: string) => ({ actor, via: "web" as const });
