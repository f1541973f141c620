import type { Hono } from "hono";
import type { HttpEnv } from "../http/env.ts";
import { boardApi, statsApi, tileContextOf } from "./api.ts";
import type { BoardDeps } from "./deps.ts";
import { LiveBoard } from "./live.ts";
import { boardPages } from "./routes.ts";

export { BoardAssets } from "./assets.ts";
export type { BoardDeps } from "./deps.ts";
export { BoardSessions } from "./session.ts";
export { type SignInProvider, SignInRegistry } from "./sign-in.ts";

export interface Board {
  readonly live: LiveBoard;
  /** Ends the live streams: call before closing the HTTP server. */
  close(): void;
}

/** The sandbox's sign-in: pick a demo person (only registered in sandbox mode). */
export function sandboxSignIn(deps: Pick<BoardDeps, "service">) {
  return {
    id: "sandbox",
    label: { "zh-CN": "演示用户", en: "Demo person" },
    exchange: async ({ code }: { code: string }) =>
      code !== "api" && deps.service.directory.person(code) ? code : undefined,
  };
}

/** Mounts the board: pages under /board, data under /api/v1/board and /api/v1/stats. */
export function mountBoard(app: Hono<HttpEnv>, deps: BoardDeps): Board {
  const live = new LiveBoard({
    store: deps.store,
    clock: deps.clock,
    tileContext: tileContextOf(deps),
    onError: (err) => deps.logger.error({ err }, "board live update failed"),
  });
  if (deps.sandbox && !deps.signIn.get("sandbox")) deps.signIn.register(sandboxSignIn(deps));
  app.route("/board", boardPages(deps));
  app.route("/api/v1/board", boardApi(deps, live));
  app.route("/api/v1/stats", statsApi(deps));
  deps.assets.warm((err) => deps.logger.error({ err }, "board client bundle failed"));
  return { live, close: () => live.close() };
}
