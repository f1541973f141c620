import { z } from "zod";
import { LOCALES } from "../i18n/locale.ts";

export const ROLES = ["agent", "engineer", "head", "admin", "editor"] as const;
export type Role = (typeof ROLES)[number];

const id = z.string().trim().min(1).max(100);

export const personSchema = z
  .object({
    id,
    name: z.string().trim().min(1).max(100),
    locale: z.enum(LOCALES).optional(),
    roles: z.array(z.enum(ROLES)).min(1),
    departments: z.array(id).default([]),
    away: z.boolean().optional(),
    feishu: z
      .object({ openId: z.string().min(1) })
      .strict()
      .optional(),
    dingtalk: z
      .object({ userId: z.string().min(1) })
      .strict()
      .optional(),
    teams: z
      .object({ aadObjectId: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict();

export const departmentSchema = z
  .object({
    id,
    name: z.string().trim().min(1).max(100),
    head: id,
    parent: id.optional(),
    members: z.array(id).default([]),
    keywords: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const directorySchema = z
  .object({
    people: z.array(personSchema).default([]),
    departments: z.array(departmentSchema).default([]),
  })
  .strict();

export type Person = z.infer<typeof personSchema>;
export type Department = z.infer<typeof departmentSchema>;
export type DirectoryData = z.infer<typeof directorySchema>;
