import { z } from "zod";

export const STATUSES = ["pending", "in_progress", "resolved"] as const;
export const PRIORITIES = ["urgent", "normal", "low"] as const;
export const MOODS = ["calm", "anxious", "angry"] as const;
export const CUSTOMER_TYPES = ["new", "returning", "vip"] as const;
export const PLATFORMS = ["feishu", "dingtalk", "teams", "web", "api"] as const;
export const CHANNELS = ["phone", "online_chat", "email", "social", "on_site"] as const;
export const DEMANDS = ["refund", "repair", "replace", "apology", "compensation", "other"] as const;
export const DEFAULT_PROBLEM_TYPES = [
  "product_inquiry",
  "quality_complaint",
  "service_complaint",
  "after_sales",
  "logistics",
  "billing",
  "other",
] as const;

export type Status = (typeof STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Mood = (typeof MOODS)[number];
export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export type Platform = (typeof PLATFORMS)[number];
export type Channel = (typeof CHANNELS)[number];
export type Demand = (typeof DEMANDS)[number];

/** Limits that keep one hostile request from bloating the store. */
export const LIMITS = {
  description: 4000,
  shortText: 200,
  solution: 4000,
  comment: 4000,
  tags: 20,
  evidence: 20,
  url: 2000,
} as const;

const short = z.string().trim().max(LIMITS.shortText);

export const customerInputSchema = z
  .object({
    name: short.optional(),
    phone: z.string().trim().max(40).optional(),
    id: short.optional(),
    type: z.enum(CUSTOMER_TYPES).optional(),
    organisation: short.optional(),
    tags: z.array(short).max(LIMITS.tags).optional(),
  })
  .strict();

export const originInputSchema = z
  .object({
    platform: z.enum(PLATFORMS).optional(),
    chatId: short.optional(),
    messageId: short.optional(),
  })
  .strict();

export const createTicketSchema = z
  .object({
    description: z.string().trim().min(1).max(LIMITS.description),
    customer: customerInputSchema.optional(),
    origin: originInputSchema.optional(),
    channel: z.enum(CHANNELS).optional(),
    problemType: short.optional(),
    problemTag: short.optional(),
    priority: z.enum(PRIORITIES).optional(),
    mood: z.enum(MOODS).optional(),
    department: short.optional(),
    owner: short.optional(),
    product: short.optional(),
    orderNo: short.optional(),
    occurredAt: short.optional(),
    occurredWhere: short.optional(),
    demand: z.array(z.enum(DEMANDS)).max(DEMANDS.length).optional(),
    evidence: z.array(z.string().trim().min(1).max(LIMITS.url)).max(LIMITS.evidence).optional(),
    watchers: z.array(short).max(50).optional(),
  })
  .strict();

export type CreateTicketInput = z.infer<typeof createTicketSchema>;
