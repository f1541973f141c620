import { z } from "zod";
import type { Person } from "../directory/schema.ts";
import { DomainError } from "../errors.ts";
import { scanPhones } from "../privacy/detect.ts";
import { CUSTOMER_TYPES, LIMITS } from "../ticket/schema.ts";
import { mayEditProfile, mayGrantPriority } from "./permissions.ts";
import type { ProfileData } from "./profile.ts";
import { normaliseTags, PRIORITY_TAGS, TAG_MAX_LENGTH, TAGS_MAX } from "./tags.ts";

// Control, zero-width and bidi characters: no name or tag needs them, and they can hide or reorder text.
const INVISIBLE = new RegExp(
  `[${["\u0000-\u001f", "\u007f-\u009f", "\u00ad", "\u200b-\u200f", "\u202a-\u202e", "\u2060-\u206f", "\ufeff"].join("")}]`,
);
const visible = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !INVISIBLE.test(s), "must not contain control or invisible characters");

/** PATCH /api/v1/customers/:id: the fields a person may change, and the revision they saw. */
export const profileUpdateSchema = z
  .object({
    version: z.number().int().positive(),
    name: visible(LIMITS.shortText).optional(),
    organisation: visible(LIMITS.shortText).optional(),
    type: z.enum(CUSTOMER_TYPES).optional(),
    tags: z
      .array(visible(TAG_MAX_LENGTH).pipe(z.string().min(1)))
      .max(TAGS_MAX)
      .optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== "version"), {
    message: "nothing to change: give name, organisation, type or tags",
  });

export type ProfileUpdate = z.infer<typeof profileUpdateSchema>;

const refused = (actor: string, what: { "zh-CN": string; en: string }) =>
  new DomainError(
    "forbidden",
    { "zh-CN": `你没有权限${what["zh-CN"]}`, en: `You are not allowed to ${what.en}` },
    { actor },
  );

const prioritySignature = (d: Pick<ProfileData, "type" | "tags">) =>
  [d.type === "vip", ...PRIORITY_TAGS.map((t) => d.tags.includes(t))].join();

/** A phone typed into a name is masked, as on tickets. Empty text clears the field. */
const cleanText = (value: string | undefined, current: string | undefined) => {
  if (value === undefined) return current;
  const masked = scanPhones(value).text;
  return masked === "" ? undefined : masked;
};

/** The profile after a person's change, or a refusal that names what they may not do (pure). */
export function applyUpdate(current: ProfileData, update: ProfileUpdate, actor: Person): ProfileData {
  if (!mayEditProfile(actor))
    throw refused(actor.id, { "zh-CN": "修改客户档案", en: "change customer profiles" });
  const next: ProfileData = {
    ...current,
    name: cleanText(update.name, current.name),
    organisation: cleanText(update.organisation, current.organisation),
    type: update.type ?? current.type,
    tags: update.tags ? normaliseTags(update.tags) : current.tags,
    updatedBy: actor.id,
  };
  if (prioritySignature(next) !== prioritySignature(current) && !mayGrantPriority(actor))
    throw refused(actor.id, {
      "zh-CN": "设置或取消 VIP / 高价值（会提高工单优先级，仅部门负责人和管理员可操作）",
      en: "set or remove VIP / high-value (it raises ticket priority; heads and admins only)",
    });
  return next;
}
