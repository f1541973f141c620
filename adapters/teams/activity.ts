import { z } from "zod";

/** The parts of a Bot Framework activity closeloop reads (shared/platforms/teams.md §3); the rest is kept. */
const account = z.looseObject({
  id: z.string().min(1).max(500),
  name: z.string().max(500).optional(),
  aadObjectId: z.string().max(100).optional(),
});

export const mentionEntitySchema = z.looseObject({
  type: z.literal("mention"),
  mentioned: account,
  text: z.string().max(1000).optional(),
});

export const activitySchema = z.looseObject({
  type: z.string().min(1).max(100),
  id: z.string().max(500).optional(),
  name: z.string().max(200).optional(),
  serviceUrl: z.string().url().max(2000),
  channelId: z.string().min(1).max(100),
  timestamp: z.string().optional(),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: z.string().min(1).max(500),
    conversationType: z.string().max(50).optional(),
    tenantId: z.string().max(100).optional(),
    isGroup: z.boolean().optional(),
  }),
  text: z.string().max(28_000).optional(),
  textFormat: z.string().optional(),
  locale: z.string().max(50).optional(),
  replyToId: z.string().max(500).optional(),
  value: z.unknown().optional(),
  action: z.string().max(100).optional(),
  entities: z
    .array(z.looseObject({ type: z.string() }))
    .max(100)
    .optional(),
  channelData: z
    .looseObject({
      tenant: z.looseObject({ id: z.string() }).optional(),
      team: z.looseObject({ id: z.string() }).optional(),
      channel: z.looseObject({ id: z.string() }).optional(),
      eventType: z.string().optional(),
    })
    .optional(),
  membersAdded: z.array(account).max(1000).optional(),
});

export type Activity = z.infer<typeof activitySchema>;
export type MentionEntity = z.infer<typeof mentionEntitySchema>;

/** The Action.Execute invoke's value (adaptiveCard/action). */
export const executeValueSchema = z.looseObject({
  action: z.looseObject({
    type: z.literal("Action.Execute"),
    verb: z.string().min(1).max(100),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
  trigger: z.enum(["manual", "automatic"]).optional(),
});

export const tenantOf = (a: Activity): string | undefined =>
  a.channelData?.tenant?.id ?? a.conversation.tenantId;

export const isGroupConversation = (a: Activity): boolean =>
  a.conversation.conversationType === "channel" ||
  a.conversation.conversationType === "groupChat" ||
  a.conversation.isGroup === true;

/** The mention entities of an activity (malformed ones dropped). */
export const mentionsOf = (a: Activity): MentionEntity[] =>
  (a.entities ?? []).flatMap((e) => {
    const m = mentionEntitySchema.safeParse(e);
    return m.success ? [m.data] : [];
  });

/**
 * The durable de-duplication key of an activity. Message ids are only unique within a conversation (they
 * are timestamps), so the conversation is part of the key.
 */
export const activityKey = (a: Activity): string => `teams:activity:${a.conversation.id}:${a.id ?? ""}`;
