import { serve } from "../../main.ts";
import { cliRuntime } from "./runtime.ts";

interface ServeOptions {
  config?: string;
  port?: string;
  host?: string;
  "no-demo"?: boolean;
}

export async function serveCommand(opts: ServeOptions): Promise<number> {
  const rt = cliRuntime(opts, "stdout");
  const served = await serve(rt, { seedDemo: !opts["no-demo"], hostname: opts.host });
  if (rt.env.sandbox) {
    process.stderr.write(
      `closeloop: sandbox mode (no FEISHU_APP_ID / DINGTALK_CLIENT_ID / TEAMS_APP_ID) — demo directory, embedded storage in ${rt.env.dataDir}, API at ${served.url}/api/v1 (from this machine, X-Closeloop-As: <person id> picks who you are) / 沙盒模式：未配置任何聊天平台凭据\n`,
    );
  }
  rt.logger.info(
    { url: served.url, mode: rt.env.sandbox ? "sandbox" : "live", platforms: rt.env.platforms },
    "listening",
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      rt.logger.info({ signal }, "shutting down");
      served.close().then(resolve, (err) => {
        rt.logger.error({ err }, "shutdown failed");
        resolve();
      });
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}
