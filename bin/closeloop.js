#!/usr/bin/env node
import { register } from "tsx/esm/api";

register();
const { main } = await import("../adapters/cli/index.ts");
const code = await main(process.argv.slice(2));
if (code !== undefined && code !== 0) process.exitCode = code;
