import { PassThrough, Readable } from "node:stream";
import { Hono } from "hono";
import type { Logger } from "pino";
import { z } from "zod";
import { exportDepartments, exportScope } from "../../core/export/access.ts";
import { parseDayRange } from "../../core/export/range.ts";
import { EXPORT_FORMATS, EXPORT_TABLE_NAMES, EXPORT_TABLES } from "../../core/export/tables.ts";
import { LOCALES } from "../../core/i18n/locale.ts";
import type { TicketService } from "../../core/ticket/service.ts";
import { parseInput } from "../../core/validate.ts";
import {
  EXPORT_CONTENT_TYPES,
  type ExportRequest,
  exportFileName,
  writeExport,
} from "../export/run-export.ts";
import type { HttpEnv } from "./env.ts";

export interface ExportRouteDeps {
  readonly service: TicketService;
  readonly timeZone: string;
  readonly logger: Logger;
}

const exportQuery = z
  .object({
    format: z.enum(EXPORT_FORMATS).default("xlsx"),
    department: z.string().trim().min(1).max(100).optional(),
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
    locale: z.enum(LOCALES).optional(),
  })
  .strict();

const tableParam = z.enum(EXPORT_TABLE_NAMES as [string, ...string[]]);

/** `filename*` for the localised name (RFC 6266 / 5987). */
const encodeRfc5987 = (s: string) =>
  encodeURIComponent(s).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * GET /api/v1/exports/records and /api/v1/exports/follow-ups: the record tables as a streamed download.
 * Checks everything before the first byte (a refusal is a JSON error); after that, a failure cuts the
 * download short instead of passing a partial file off as complete.
 */
export function exportRoutes(deps: ExportRouteDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const { service, logger } = deps;
  const directory = service.directory;

  app.get("/:table", async (c) => {
    const table = parseInput(tableParam, c.req.param("table"), "table") as ExportRequest["table"];
    const query = parseInput(exportQuery, c.req.query(), "query");
    const actor = service.person(c.get("actor"));
    const scope = exportScope(directory, actor);
    const departments = exportDepartments(directory, scope, query.department);
    const range = parseDayRange(query, deps.timeZone);
    const locale = query.locale ?? c.get("locale");
    const req: ExportRequest = {
      table,
      format: query.format,
      locale,
      timeZone: deps.timeZone,
      filter: { range, ...departments, includeArchived: true },
    };
    const body = new PassThrough();
    const started = Date.now();
    writeExport({ store: service, directory }, req, body).then(
      (rows) => {
        body.end();
        logger.info(
          { actor: actor.id, table, format: req.format, department: query.department, ...range.days, rows },
          "export downloaded",
        );
      },
      (err: unknown) => {
        logger.warn(
          {
            actor: actor.id,
            table,
            err: err instanceof Error ? err.message : String(err),
            ms: Date.now() - started,
          },
          "export cut short",
        );
        body.destroy(err instanceof Error ? err : new Error(String(err)));
      },
    );
    const name = exportFileName(req);
    const title = `${EXPORT_TABLES[table].title[locale]}${name.slice(`closeloop-${table}`.length)}`;
    return c.body(Readable.toWeb(body) as ReadableStream<Uint8Array>, 200, {
      "Content-Type": EXPORT_CONTENT_TYPES[req.format],
      "Content-Disposition": `attachment; filename="${name}"; filename*=UTF-8''${encodeRfc5987(title)}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
  });

  return app;
}
