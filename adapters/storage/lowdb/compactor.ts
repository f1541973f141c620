import { rm } from "node:fs/promises";
import type { Low } from "lowdb";
import type { DurableJsonFile } from "./durable-file.ts";
import { fsyncDir } from "./durable-file.ts";
import type { Journal } from "./journal.ts";
import type { SnapshotData } from "./snapshot.ts";
import { captureSnapshot } from "./snapshot.ts";
import type { HotState } from "./state.ts";

export interface CompactionPolicy {
  /** The journal must outgrow this... */
  readonly floorBytes: number;
  /** ...and this fraction of the last snapshot, so rewriting the snapshot stays amortised O(1) per write. */
  readonly ratio: number;
}

/**
 * Folds the journal into a new hot snapshot. Order: rotate the journal at a batch boundary (capturing the
 * state as of its last entry), write the snapshot durably, and only then delete the journal files it covers.
 * A crash anywhere leaves the old snapshot with the full journal, or the new one with some redundant journal.
 */
export class Compactor {
  readonly #dir: string;
  readonly #state: HotState;
  readonly #journal: Journal;
  readonly #snapshot: Low<SnapshotData>;
  readonly #snapshotFile: DurableJsonFile<SnapshotData>;
  readonly #policy: CompactionPolicy;
  readonly #onError: (error: unknown) => void;
  #running: Promise<void> | undefined;
  /** Journal files a snapshot covers (or will, once written) that are not deleted yet. */
  #retired: string[] = [];
  count = 0;

  constructor(
    dir: string,
    parts: {
      state: HotState;
      journal: Journal;
      snapshot: Low<SnapshotData>;
      snapshotFile: DurableJsonFile<SnapshotData>;
    },
    policy: CompactionPolicy,
    onError: (error: unknown) => void,
  ) {
    this.#dir = dir;
    this.#state = parts.state;
    this.#journal = parts.journal;
    this.#snapshot = parts.snapshot;
    this.#snapshotFile = parts.snapshotFile;
    this.#policy = policy;
    this.#onError = onError;
  }

  get running(): boolean {
    return this.#running !== undefined;
  }

  /** Starts a compaction in the background if the journal has outgrown the policy (or `force`). */
  maybe(force = false): void {
    if (this.#running || this.#journal.failure !== undefined) return;
    const limit = Math.max(this.#policy.floorBytes, this.#policy.ratio * this.#snapshotFile.bytes);
    if (!force && this.#journal.bytes <= limit) return;
    this.#running = this.#compact()
      .catch((e) => this.#onError(e))
      .finally(() => {
        this.#running = undefined;
      });
  }

  /** Waits for a running compaction. */
  async idle(): Promise<void> {
    await this.#running;
  }

  async #compact(): Promise<void> {
    const { value, retired } = await this.#journal.rotate(() => captureSnapshot(this.#state));
    this.#retired.push(...retired);
    this.#snapshot.data = value;
    await this.#snapshot.write();
    const obsolete = this.#retired;
    this.#retired = [];
    await Promise.all(obsolete.map((f) => rm(f, { force: true })));
    await fsyncDir(this.#dir);
    this.count += 1;
  }
}
