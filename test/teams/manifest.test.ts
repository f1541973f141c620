import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, describe, expect, it, vi } from "vitest";
import { manifestCommand } from "../../adapters/cli/manifest.ts";
import { colorIcon, outlineIcon } from "../../adapters/teams/icons.ts";
import { buildTeamsManifest, iconFile, validateTeamsManifest } from "../../adapters/teams/manifest.ts";
import { readPngHeader } from "../../adapters/teams/png.ts";

const APP_ID = "6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab";
const dir = mkdtempSync(join(tmpdir(), "closeloop-manifest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The alpha of pixel (x, y) of an 8-bit RGBA PNG with one IDAT and filter 0 rows (what encodePng writes). */
function alphaAt(png: Uint8Array, x: number, y: number): number {
  const b = Buffer.from(png);
  const { width } = readPngHeader(b);
  let offset = 8;
  const idat: Buffer[] = [];
  while (offset < b.length) {
    const length = b.readUInt32BE(offset);
    if (b.toString("ascii", offset + 4, offset + 8) === "IDAT")
      idat.push(b.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return raw[y * (width * 4 + 1) + 1 + x * 4 + 3]!;
}

describe("Teams app package", () => {
  it("`closeloop manifest teams` writes a zip with a schema-valid manifest and both icons at the right sizes", async () => {
    const out = join(dir, "closeloop-teams.zip");
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const code = await manifestCommand(
      "teams",
      { out },
      { TEAMS_APP_ID: APP_ID, TEAMS_PUBLIC_URL: "https://tickets.example.com/" },
    );
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const files = unzipSync(readFileSync(out));
    expect(Object.keys(files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);

    const manifest = JSON.parse(strFromU8(files["manifest.json"]!));
    expect(await validateTeamsManifest(manifest)).toEqual([]);
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.bots[0].scopes).toEqual(["personal", "team", "groupChat"]);
    expect(manifest.bots[0].commandLists[0].commands.length).toBeGreaterThan(0);
    expect(manifest.staticTabs[0].contentUrl).toBe("https://tickets.example.com/board?host=teams");
    expect(manifest.configurableTabs[0].configurationUrl).toBe(
      "https://tickets.example.com/teams/tab/configure",
    );
    expect(manifest.validDomains).toEqual(["tickets.example.com"]);
    expect(manifest.webApplicationInfo).toEqual({
      id: APP_ID,
      resource: `api://tickets.example.com/${APP_ID}`,
    });
    expect(Number(manifest.manifestVersion.split(".")[1])).toBeGreaterThanOrEqual(22);

    const color = readPngHeader(files["color.png"]!);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPngHeader(files["outline.png"]!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.colorType).toBe(6); // RGBA: the outline has transparency
    expect(alphaAt(files["outline.png"]!, 0, 0)).toBe(0);
    expect(alphaAt(files["color.png"]!, 0, 0)).toBe(255);
  });

  it("the schema check catches a broken manifest", async () => {
    const manifest = buildTeamsManifest({ appId: APP_ID, publicUrl: "https://tickets.example.com" });
    const { accentColor: _drop, ...broken } = manifest;
    expect((await validateTeamsManifest(broken)).join()).toContain("accentColor");
    expect(
      (await validateTeamsManifest({ ...manifest, bots: [{ botId: "not-a-guid", scopes: ["personal"] }] }))
        .length,
    ).toBeGreaterThan(0);
  });

  it("refuses settings Teams would refuse, naming the variable", async () => {
    expect(() => buildTeamsManifest({ appId: "bot", publicUrl: "https://x.example.com" })).toThrow(
      /TEAMS_APP_ID/,
    );
    expect(() => buildTeamsManifest({ appId: APP_ID, publicUrl: "http://x.example.com" })).toThrow(/https/);
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(await manifestCommand("teams", { out: join(dir, "x.zip") }, { TEAMS_APP_ID: APP_ID })).toBe(78);
    expect(await manifestCommand("slack", {}, {})).toBe(2);
    vi.restoreAllMocks();
  });

  it("the icons in manifests/teams are the ones the project draws", () => {
    expect(iconFile("color.png").equals(colorIcon())).toBe(true);
    expect(iconFile("outline.png").equals(outlineIcon())).toBe(true);
  });
});
