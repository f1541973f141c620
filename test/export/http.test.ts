import ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
const PHONES = ["13912340001", "13912340002", "13912340003"];

async function download(path: string, headers: Record<string, string>) {
  const res = await fetch(server.url + path, { headers });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function sheetOf(bytes: Buffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: string[][] = [];
  book.worksheets[0]!.eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ""))),
  );
  return rows;
}

beforeAll(async () => {
  server = await startTestServer();
  const tickets = [
    { department: "tech", phone: PHONES[0], description: "X200 无法开机" },
    { department: "tech", phone: PHONES[1], description: '=HYPERLINK("http://x") 屏幕碎了' },
    { department: "returns", phone: PHONES[2], description: "要求退货，电话 13912340003" },
  ];
  for (const t of tickets) {
    const res = await server.call("POST", "/api/v1/tickets", {
      as: "agent-li",
      body: {
        description: t.description,
        department: t.department,
        customer: { name: "张先生", phone: t.phone },
      },
    });
    expect(res.status).toBe(201);
  }
});
afterAll(() => server.stop());

describe("GET /api/v1/exports/:table", () => {
  it("gives a head their departments' records as XLSX, contacts masked, nothing raw in the file", async () => {
    const { res, bytes } = await download("/api/v1/exports/records", { "x-closeloop-as": "head-tech" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="closeloop-records\.xlsx"; filename\*=UTF-8''/,
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    const rows = await sheetOf(bytes);
    expect(rows[0]![0]).toBe("工单号");
    expect(rows).toHaveLength(3);
    expect(
      rows
        .slice(1)
        .map((r) => r[2])
        .sort(),
    ).toEqual(["139****0001", "139****0002"]);
    expect(rows.slice(1).every((r) => r[6]!.startsWith("技术支持组"))).toBe(true);
    expect(rows.some((r) => r[4]!.startsWith("'=HYPERLINK"))).toBe(true);
    const text = Object.values(unzipSync(bytes))
      .map((p) => strFromU8(p))
      .join("");
    for (const p of PHONES) expect(text).not.toContain(p);
  });

  it("lets an admin pick a department, a date range, CSV and English", async () => {
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const { res, bytes } = await download(
      `/api/v1/exports/records?format=csv&department=returns&from=${today}&to=${today}&locale=en`,
      { "x-closeloop-as": "admin" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain(
      `closeloop-records-returns-${today}_${today}.csv`,
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString("utf8").trim().split("\r\n");
    expect(lines[0]).toBe(
      "Number,Customer,Contact,Product,Description,Priority,Department,Owner,Created,Due,Resolved,Solution,Confirmation,Status",
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("139****0003");
    expect(lines[1]).not.toContain("13912340003");

    const yesterday = await download(`/api/v1/exports/records?format=csv&from=2000-01-01&to=2000-01-02`, {
      "x-closeloop-as": "admin",
    });
    expect(yesterday.bytes.toString("utf8").trim().split("\r\n")).toHaveLength(1);
  });

  it("answers the board's session cookie (a plain GET download)", async () => {
    const signIn = await fetch(`${server.url}/board/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ provider: "sandbox", code: "head-returns" }),
    });
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const { res, bytes } = await download("/api/v1/exports/follow-ups?format=csv&department=returns", {
      cookie,
    });
    expect(res.status).toBe(200);
    expect(bytes.toString("utf8").split("\r\n")[0]).toContain("回访编号");
    const refused = await download("/api/v1/exports/records?department=tech", { cookie });
    expect(refused.res.status).toBe(403);
  });

  it("refuses people who may not export, and bad input by name, before writing anything", async () => {
    const agent = await server.call("GET", "/api/v1/exports/records", { as: "agent-li" });
    expect(agent.status).toBe(403);
    expect(agent.body.error.messages["zh-CN"]).toContain("部门负责人和管理员");
    const other = await server.call("GET", "/api/v1/exports/records?department=returns", { as: "head-tech" });
    expect(other.status).toBe(403);
    const bad = await server.call("GET", "/api/v1/exports/records?from=2026-02-30", { as: "admin" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].field).toBe("from");
    const extra = await server.call("GET", "/api/v1/exports/records?owner=eng-liu", { as: "admin" });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain("owner");
    const format = await server.call("GET", "/api/v1/exports/records?format=pdf", { as: "admin" });
    expect(format.status).toBe(400);
    expect(format.body.error.message).toContain("format");
    const table = await server.call("GET", "/api/v1/exports/customers", { as: "admin" });
    expect(table.status).toBe(400);
    const unknown = await server.call("GET", "/api/v1/exports/records?department=nope", { as: "admin" });
    expect(unknown.status).toBe(400);
    const anonymous = await fetch(`${server.url}/api/v1/exports/records`, {
      headers: { authorization: "Bearer wrong-token-wrong-token" },
    });
    expect(anonymous.status).toBe(401);
  });
});
