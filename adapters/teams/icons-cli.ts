import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { colorIcon, outlineIcon } from "./icons.ts";

// Regenerates manifests/teams/color.png and outline.png: node --import tsx adapters/teams/icons-cli.ts
const dir = fileURLToPath(new URL("../../manifests/teams/", import.meta.url));
writeFileSync(`${dir}color.png`, colorIcon());
writeFileSync(`${dir}outline.png`, outlineIcon());
process.stdout.write(`wrote ${dir}color.png and ${dir}outline.png\n`);
