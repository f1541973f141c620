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
    /**
     * Feishu / Lark: the open_id this app sees (per app), or the tenant-wide user_id (the "User ID" of the
     * admin console, the same for every app); either one, or both.
     */
    feishu: z
      .object({ openId: z.string().min(1).optional(), userId: z.string().min(1).optional() })
      .strict()
      .refine((f) => f.openId !== undefined || f.userId !== undefined, "expected openId or userId")
      .optional(),
    /** DingTalk: the org's userId (staffId). */
    dingtalk: z
      .object({ userId: z.string().min(1) })
      .strict()
      .optional(),
    /** Microsoft Teams: the person's Entra (Azure AD) object id. */
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

/** The chat platforms a person may have an identity on, each under its own key of the person's entry. */
export const IDENTITY_PLATFORMS = ["feishu", "dingtalk", "teams"] as const;
export type IdentityPlatform = (typeof IDENTITY_PLATFORMS)[number];
export type Department = z.infer<typeof departmentSchema>;
export type DirectoryData = z.infer<typeof directorySchema>;
