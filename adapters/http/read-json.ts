import type { Context } from "hono";
import { DomainError } from "../../core/errors.ts";
import { HTTP_TEXT } from "./errors.ts";

/** The request body as JSON; an empty body is an empty object, anything unparsable a 400. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError("validation", HTTP_TEXT.badJson, {
      malformed: true,
      issues: [{ field: "(body)", message: "invalid JSON" }],
    });
  }
}
