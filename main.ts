import { serve as serveNode } from "@hono/node-server";
import type { Logger } from "pino";
import {
  type Board,
  BoardAssets,
  BoardSessions,
  mountBoard,
  SignInRegistry,
} from "./adapters/board/index.ts";
import type { Environment } from "./adapters/config/environment.ts";
import { ConfigError } from "./adapters/config/load.ts";
import { resolveSecretKey } from "./adapters/config/secret-key.ts";
import { mountCustomerPages } from "./adapters/customer/index.ts";
import { createHttpApp } from "./adapters/http/app.ts";
import { API_ACTOR } from "./adapters/http/auth.ts";
import { cardGalleryRoutes } from "./adapters/http/cards-routes.ts";
import { exportRoutes } from "./adapters/http/exports-routes.ts";
import { kbRoutes } from "./adapters/http/kb-routes.ts";
import { customerRoutes } from "./adapters/http/profiles-routes.ts";
import { reviewRoutes } from "./adapters/http/review-routes.ts";
import { sandboxRoutes } from "./adapters/http/sandbox-routes.ts";
import { webhookRoutes } from "./adapters/http/webhooks-routes.ts";
import type { PlatformModule } from "./adapters/platform-module.ts";
import { PLATFORM_MODULES } from "./adapters/platforms.ts";
import { startPlayground } from "./adapters/playground/index.ts";
import { DEMO_ADMIN, DEMO_DIRECTORY } from "./adapters/sandbox/demo-directory.ts";
import { SandboxInbox } from "./adapters/sandbox/inbox-sink.ts";
import { seedDemo } from "./adapters/sandbox/seed-demo.ts";
import { openStore, storageEnvironment } from "./adapters/storage/select.ts";
import { createWebhooks, type Webhooks } from "./adapters/webhooks/wiring.ts";
import type { ChatPlatform } from "./core/chat/platform.ts";
import type { Config } from "./core/config/schema.ts";
import { Directory } from "./core/directory/directory.ts";
import type { DirectoryData } from "./core/directory/schema.ts";
import { knowledgeClicks } from "./core/kb/clicks.ts";
import { KnowledgeBase } from "./core/kb/knowledge-base.ts";
import type { TicketText } from "./core/kb/views.ts";
import { OutboxDispatcher } from "./core/notify/dispatcher.ts";
import type { OutboxDispatcherOptions } from "./core/notify/dispatcher-options.ts";
import { planNotifications } from "./core/notify/intents.ts";
import { OnceCalls } from "./core/notify/once-calls.ts";
import { NotificationRouter } from "./core/notify/router.ts";
import type { NotificationSink } from "./core/ports.ts";
import { type Clock, systemClock, type TicketStore } from "./core/ports.ts";
import { FieldCipher } from "./core/privacy/cipher.ts";
import { withSealedInbox } from "./core/privacy/sealed-inbox.ts";
import { CustomerProfiles } from "./core/profiles/service.ts";
import { WeeklyReviews } from "./core/review/reviews.ts";
import { WeeklyReviewScheduler } from "./core/review/scheduler.ts";
import { routingPlanner } from "./core/routing/planner.ts";
import { unknownDepartmentIssues } from "./core/routing/rules-schema.ts";
import { parseDuration } from "./core/sla/duration.ts";
import { SlaPlanner } from "./core/sla/planner.ts";
import { SlaScheduler } from "./core/sla/scheduler.ts";
import { TicketService } from "./core/ticket/service.ts";

export interface Runtime {
  readonly config: Config;
  readonly env: Environment;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Where notifications go; the sandbox inbox when no platform adapter is configured. */
  readonly sink?: NotificationSink;
  /** Platform adapters to run (default: every module whose credentials are in the environment). */
  readonly platformModules?: readonly PlatformModule[];
  /** The environment platform adapters read their settings from (default: process.env). */
  readonly processEnv?: NodeJS.ProcessEnv;
  /** Overrides of the outbox dispatcher's defaults (tests: short backoffs). */
  readonly dispatcherOptions?: OutboxDispatcherOptions;
}

export interface Closeloop {
  readonly app: ReturnType<typeof createHttpApp>;
  readonly service: TicketService;
  /** The same service on another clock (the demo seeder back-dates its tickets). */
  readonly serviceAt: (clock: Clock) => TicketService;
  readonly store: TicketStore;
  readonly directory: Directory;
  readonly scheduler: SlaScheduler;
  readonly reviews: WeeklyReviews;
  readonly reviewScheduler: WeeklyReviewScheduler;
  readonly dispatcher: OutboxDispatcher;
  readonly inbox?: SandboxInbox;
  /** The board's sign-in providers: platform adapters register their login-code exchange here. */
  readonly signIn: SignInRegistry;
  readonly board: Board;
  readonly platforms: readonly ChatPlatform[];
  /** Outbound webhooks: the subscriptions and their delivery through the outbox. */
  readonly webhooks: Webhooks;
  readonly knowledge: KnowledgeBase;
  /** Starts the SLA clock and the outbox dispatcher (serve does; one-shot CLI commands do not). */
  startBackground(): void;
  close(): Promise<void>;
}

const API_PERSON = { id: API_ACTOR, name: "API", roles: ["admin" as const], departments: [] };

const elapsedMs = (iso: string) => {
  const d = parseDuration(iso);
  return d.days * 86_400_000 + d.ms;
};

function directoryData(config: Config, sandbox: boolean): DirectoryData {
  const data = config.directory ?? (sandbox ? DEMO_DIRECTORY : undefined);
  if (!data) throw new ConfigError("directory: required outside sandbox mode (people and departments)");
  const hasApi = data.people.some((p) => p.id === API_ACTOR);
  return hasApi ? data : { ...data, people: [...data.people, API_PERSON] };
}

function defaultDepartment(config: Config, directory: Directory): string {
  const wanted = config.defaultDepartment ?? "support";
  if (directory.department(wanted)) return wanted;
  if (config.defaultDepartment)
    throw new ConfigError(`defaultDepartment: no department "${wanted}" in the directory`);
  const first = directory.departments()[0];
  if (!first) throw new ConfigError("directory.departments: at least one department is required");
  return first.id;
}

/** The composition root: config -> store -> core -> adapters -> hono app. */
export async function buildCloseloop(rt: Runtime): Promise<Closeloop> {
  const { config, env, logger } = rt;
  const clock = rt.clock ?? systemClock;
  const directory = new Directory(directoryData(config, env.sandbox));
  const keySource = resolveSecretKey(env.secretKey, env.sandbox, env.dataDir);
  if (keySource.generatedFile) {
    logger.warn(
      { file: keySource.generatedFile },
      "sandbox: using a generated field-encryption key; set CLOSELOOP_SECRET_KEY in production",
    );
  }
  const cipher = new FieldCipher(keySource.key);
  // DATABASE_URL selects PostgreSQL (several instances on one database); unset, the embedded store
  const openedStore = await openStore({
    ...storageEnvironment(process.env),
    dataDir: env.dataDir,
    clock,
    onBackgroundError: (err) => logger.error({ err }, "storage background work failed"),
  });
  const store = withSealedInbox(openedStore, cipher);

  const webhooks = createWebhooks({
    config: config.webhooks,
    env: rt.processEnv ?? process.env,
    store,
    cipher,
    clock,
  });
  const knowledge = new KnowledgeBase({
    store,
    directory,
    clock,
    staleAfterDays: config.knowledge.staleAfterDays,
    onInvalid: (collection, id, problem) =>
      logger.warn({ collection, id, problem }, "knowledge base: a stored doc does not parse; left out"),
  });
  const articles = await knowledge.load();
  if (articles > 0) logger.info({ articles }, "knowledge base loaded");
  const kbCards = {
    knowledge: (view: TicketText) => knowledge.suggestionsFor(view),
    clickExtension: knowledgeClicks(knowledge),
  };

  const sla = new SlaPlanner(config.sla, directory);
  const fallbackDepartment = defaultDepartment(config, directory);
  for (const issue of unknownDepartmentIssues(
    config.routing,
    directory.departments().map((d) => d.id),
  )) {
    logger.warn(
      { issue },
      "routing rule names a department the directory lacks; such tickets go to the default department",
    );
  }
  const openLoad = async (department: string) => {
    // From the store's index where it has one: paging costs a scan of the active set per page
    if (store.openCountsByOwner) return store.openCountsByOwner(department);
    const counts: Record<string, number> = {};
    let cursor: string | undefined;
    do {
      const page = await store.list({ department, status: ["pending", "in_progress"], limit: 200, cursor });
      for (const r of page.items) if (r.state.owner) counts[r.state.owner] = (counts[r.state.owner] ?? 0) + 1;
      cursor = page.nextCursor;
    } while (cursor);
    return counts;
  };
  const planner = routingPlanner(config.routing, fallbackDepartment, openLoad);
  const notifications = (
    before: Parameters<typeof planNotifications>[0],
    after: Parameters<typeof planNotifications>[1],
    events: Parameters<typeof planNotifications>[2],
  ) => [
    ...planNotifications(before, after, events, { directory, nudgeUrgent: config.nudge.urgent }),
    ...webhooks.plan(before, events),
  ];
  const customers = new CustomerProfiles({
    store,
    cipher,
    clock,
    lowScore: config.sla.followUp.lowScore,
    onError: (err, ticket) => logger.error({ err, ticket }, "customer profile update failed"),
  });
  const serviceAt = (c: Clock) =>
    new TicketService({
      store,
      directory,
      cipher,
      clock: c,
      settings: {
        numberPrefix: config.numberPrefix,
        timeZone: config.timezone,
        nudgeWindowMs: elapsedMs(config.nudge.window),
      },
      planner,
      notifications,
      sla,
      lowScore: config.sla.followUp.lowScore,
      customers,
    });
  const service = serviceAt(clock);

  const boardSessions = new BoardSessions({ secret: keySource.key, clock });
  const signIn = new SignInRegistry();
  const app = createHttpApp({
    service,
    clock,
    logger,
    bodyLimit: config.server.bodyLimit,
    auth: {
      apiToken: env.apiToken,
      sandbox: env.sandbox,
      sandboxDefaultActor: DEMO_ADMIN,
      session: boardSessions.resolve,
    },
    health: () => ({ mode: env.sandbox ? "sandbox" : "live", platforms: env.platforms }),
  });

  app.route("/api/v1/customers", customerRoutes(customers, service));
  const scheduler = new SlaScheduler({
    store,
    clock,
    fire: (number) => service.fireDueStages(number),
    onError: (err, number) => logger.error({ err, ticket: number }, "SLA sweep failed"),
  });
  const reviewSlot = { day: config.review.weekly.day, at: config.review.weekly.at };
  const reviewZone = config.sla.calendar === "24x7" ? config.timezone : config.sla.calendar.timezone;
  const reviews = new WeeklyReviews({
    store,
    directory,
    clock,
    timeZone: reviewZone,
    slot: reviewSlot,
    lowScore: config.sla.followUp.lowScore,
    businessMs: (t, from, to) => sla.businessMsBetween(t, from, to),
  });
  const reviewScheduler = new WeeklyReviewScheduler({
    sendDue: () => reviews.sendDue(),
    slot: reviewSlot,
    timeZone: reviewZone,
    clock,
    onError: (err) => logger.error({ err }, "weekly review failed"),
  });
  app.route("/api/v1/reviews", reviewRoutes(reviews, directory));
  const processEnv = rt.processEnv ?? process.env;
  const platforms: ChatPlatform[] = [];
  for (const module of rt.platformModules ?? PLATFORM_MODULES.filter((m) => m.enabled(processEnv))) {
    platforms.push(
      await module.create({
        service,
        store,
        directory,
        sla,
        config,
        env: processEnv,
        clock,
        logger,
        app,
        signIn,
        ...kbCards,
      }),
    );
  }
  const inbox = rt.sink || !env.sandbox ? undefined : new SandboxInbox(logger, () => clock.now());
  // Sandbox: the local Feishu runs in-process behind /playground, through the real adapter.
  if (inbox && !rt.platformModules && platforms.length === 0) {
    const ctx = { service, store, directory, sla, config, env: processEnv, clock, logger, app, signIn };
    platforms.push(...(await startPlayground({ ...ctx, ...kbCards }, inbox)).platforms);
  }
  const dispatcher = new OutboxDispatcher({
    store,
    sink: webhooks.sink(rt.sink ?? new NotificationRouter(directory, platforms, inbox)),
    clock,
    options: {
      digestWindowMs: elapsedMs(config.notify.digestWindow),
      deliveryTimeoutMs: elapsedMs(config.notify.deliveryTimeout),
      concurrency: config.notify.concurrency,
      // Enough rows per run to keep every delivery slot busy until the run's last few.
      batch: Math.max(100, config.notify.concurrency * 12),
      onError: (err) => logger.error({ err }, "notification dispatch failed"),
      ...rt.dispatcherOptions,
    },
  });

  if (inbox && env.sandbox) app.route("/api/v1/sandbox", sandboxRoutes(inbox));
  if (env.sandbox) app.route("/cards", cardGalleryRoutes());
  app.route("/api/v1/exports", exportRoutes({ service, timeZone: config.timezone, logger }));
  app.route("/api/v1/webhooks", webhookRoutes({ service, webhooks }));
  app.route("/api/v1/kb", kbRoutes(knowledge, service));
  const board = mountBoard(app, {
    service,
    store,
    clock,
    sla,
    sessions: boardSessions,
    signIn,
    assets: new BoardAssets(),
    logger,
    sandbox: env.sandbox,
    timeZone: config.timezone,
    defaultLocale: config.locale,
    nudgeWindowMs: elapsedMs(config.nudge.window),
  });
  mountCustomerPages(app, {
    service,
    store,
    clock,
    logger,
    secret: keySource.key,
    config: config.customerLinks,
    timeZone: config.timezone,
    defaultLocale: config.locale,
  });

  const archiveAfter = elapsedMs(config.storage.archiveAfter);
  const onceCalls = new OnceCalls(store, () => clock.now());
  const rotate = async () => {
    const moved = await store.archive(new Date(clock.now().getTime() - archiveAfter).toISOString());
    if (moved > 0) logger.info({ moved }, "archived resolved tickets");
    // Buzz and DING claims outlive any retry of their rows by far after a month.
    const pruned = await onceCalls.prune(new Date(clock.now().getTime() - 30 * 86_400_000));
    if (pruned > 0) logger.debug({ pruned }, "dropped old once-only call claims");
  };
  await rotate();
  const rotation = setInterval(
    () => rotate().catch((err) => logger.error({ err }, "archive rotation failed")),
    3_600_000,
  );
  rotation.unref();

  return {
    app,
    service,
    serviceAt,
    store,
    directory,
    scheduler,
    reviews,
    reviewScheduler,
    dispatcher,
    inbox,
    signIn,
    board,
    platforms,
    webhooks,
    knowledge,
    startBackground() {
      service
        .replanAll()
        .then(
          (n) => n > 0 && logger.info({ tickets: n }, "re-planned deadlines after a configuration change"),
        )
        .catch((err) => logger.error({ err }, "re-planning deadlines failed"));
      scheduler.start();
      if (config.review.weekly.enabled) reviewScheduler.start();
      dispatcher.start();
      for (const p of platforms) {
        p.start?.().catch((err) => logger.error({ err, platform: p.id }, "platform adapter failed to start"));
      }
    },
    async close() {
      clearInterval(rotation);
      for (const p of platforms) await p.stop?.();
      await scheduler.stop();
      await reviewScheduler.stop();
      await dispatcher.stop();
      await store.close();
    },
  };
}

/** Seeds the demo tickets into an empty store (sandbox with the demo directory only). */
export async function seedIfEmpty(cl: Closeloop, rt: Runtime): Promise<number> {
  const page = await cl.store.list({ limit: 1, includeArchived: true });
  if (page.items.length > 0) return 0;
  const created = await seedDemo(cl.serviceAt, (rt.clock ?? systemClock).now());
  return created.length;
}

export interface Served {
  readonly url: string;
  readonly closeloop: Closeloop;
  close(): Promise<void>;
}

export async function serve(rt: Runtime, opts: { seedDemo: boolean; hostname?: string }): Promise<Served> {
  const cl = await buildCloseloop(rt);
  if (rt.env.sandbox && opts.seedDemo && !rt.config.directory) {
    const seeded = await seedIfEmpty(cl, rt);
    if (seeded) rt.logger.info({ tickets: seeded }, "sandbox: seeded demo tickets");
  }
  cl.startBackground();
  const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
    const s = serveNode({ fetch: cl.app.fetch, port: rt.env.port, hostname: opts.hostname }, () =>
      resolve(s),
    );
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : rt.env.port;
  const url = `http://${opts.hostname && opts.hostname !== "0.0.0.0" ? opts.hostname : "127.0.0.1"}:${port}`;
  return {
    url,
    closeloop: cl,
    async close() {
      cl.board.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await cl.close();
    },
  };
}
