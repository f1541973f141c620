import type { z } from "zod";
import { validationError } from "./errors.ts";

/** Parses untrusted input with a schema, or throws a validation error naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, root = ""): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(
    result.error.issues.map((issue) => {
      const path = issue.path.map(String).join(".");
      return { field: [root, path].filter(Boolean).join(".") || "(body)", message: issue.message };
    }),
  );
}
