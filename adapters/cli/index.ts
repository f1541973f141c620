import { parseArgs } from "node:util";
import { ConfigError } from "../config/load.ts";
import { doctor } from "./doctor.ts";
import { exportCsv } from "./export.ts";
import { manifestCommand } from "./manifest.ts";
import { migrateCommand } from "./migrate.ts";
import { seedDemoCommand } from "./seed.ts";
import { serveCommand } from "./serve.ts";

const USAGE = `closeloop <command> [options]

Commands / 命令:
  serve       start the server (API, board, platform adapters) / 启动服务
  seed-demo   create realistic demo tickets / 生成演示工单
  export      write the service record table or the follow-up table as CSV or XLSX
              / 导出服务记录表或回访记录表 (CSV / XLSX)
  doctor      check config, storage and configured platforms / 检查配置、存储与平台
  manifest    manifest teams --out closeloop-teams.zip: the Teams app package / 生成 Teams 应用包
  migrate     apply the PostgreSQL schema (DATABASE_URL or --to); with --from lowdb also copy the
              embedded store in, verified / 升级 PostgreSQL 结构；加 --from lowdb 复制内置存储并校验

Options / 选项:
  --config <file>   config file (closeloop.config.json or .yaml; env CLOSELOOP_CONFIG)
  --port <n>        serve: port (env PORT, default 8787)
  --host <addr>     serve: listen address (default all interfaces)
  --no-demo         serve: do not seed demo tickets into an empty sandbox store
  --out <file>      export: write to a file instead of stdout; manifest: the zip to write
  --locale <l>      export: zh-CN (default) or en column headings
  --archived        export: include archived tickets (always when --from or --to is given)
  --table <t>       export: records (service record table, default) or follow-ups / 回访记录表
  --format <f>      export: csv or xlsx (default: the --out extension, else csv)
  --from <date>     export: from this day on, YYYY-MM-DD in the configured time zone / 开始日期
  --to <date>       export: up to and including this day (YYYY-MM-DD) / 结束日期（含）
  --department <id> export: one department only / 仅导出该部门
  --to <url>        migrate: the PostgreSQL database (default DATABASE_URL)
  --from lowdb      migrate: copy the embedded store (CLOSELOOP_DATA_DIR or --data-dir) into it
  --data-dir <dir>  migrate: the embedded store to copy
`;

export async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      "no-demo": { type: "boolean", default: false },
      out: { type: "string" },
      locale: { type: "string" },
      archived: { type: "boolean", default: false },
      table: { type: "string" },
      format: { type: "string" },
      department: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      "data-dir": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  try {
    switch (command) {
      case "serve":
        return await serveCommand(values);
      case "seed-demo":
        return await seedDemoCommand(values);
      case "export":
        return await exportCsv(values);
      case "doctor":
        return await doctor(values);
      case "migrate":
        return await migrateCommand(values);
      case "manifest":
        return await manifestCommand(positionals[1], values);
      default:
        process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`closeloop: configuration error / 配置错误\n  ${e.message}\n`);
      return 78;
    }
    throw e;
  }
}
