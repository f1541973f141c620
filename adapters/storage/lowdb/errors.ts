/** A durable write failed: memory may now hold changes the disk does not, so the store refuses to write on. */
export class StoreFailedError extends Error {
  constructor(dir: string, cause: unknown) {
    super(
      `the store at ${dir} could not make a write durable (${cause instanceof Error ? cause.message : String(cause)}); ` +
        "it refuses further writes because memory may hold changes that are not on disk. Restart to recover from the data directory.",
      { cause },
    );
    this.name = "StoreFailedError";
  }
}

export class StoreClosedError extends Error {
  constructor(dir: string, phase: string) {
    super(`the store at ${dir} is ${phase}`);
    this.name = "StoreClosedError";
  }
}

/** Another live process (or another store object in this one) has the data directory open. */
export class StoreLockedError extends Error {
  readonly pid: number;
  constructor(dir: string, pid: number) {
    super(
      pid === process.pid
        ? `the store at ${dir} is already open in this process; close it before opening it again`
        : `the store at ${dir} is in use by process ${pid}; stop it first (the lock file is ${dir}/LOCK)`,
    );
    this.name = "StoreLockedError";
    this.pid = pid;
  }
}

/** The files on disk do not describe a consistent history. */
export class StoreCorruptError extends Error {
  constructor(message: string) {
    super(`store data is inconsistent: ${message}`);
    this.name = "StoreCorruptError";
  }
}
