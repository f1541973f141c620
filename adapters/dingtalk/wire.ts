import { z } from "zod";

/** Stream topics closeloop subscribes to (shared/platforms/dingtalk.md §2). */
export const TOPIC_ROBOT = "/v1.0/im/bot/messages/get";
export const TOPIC_CARD = "/v1.0/card/instances/callback";

/** A frame the stream gateway sends; anything else is dropped before the SDK sees it. */
export const downstreamSchema = z
  .object({
    specVersion: z.string().optional(),
    type: z.enum(["SYSTEM", "EVENT", "CALLBACK"]),
    headers: z.object({ topic: z.string(), messageId: z.string().optional() }).loose(),
    data: z.string().optional(),
  })
  .loose();

/** A robot message (topic /v1.0/im/bot/messages/get, or the HTTP-mode robot callback body). */
export const robotMessageSchema = z
  .object({
    msgId: z.string().min(1),
    conversationId: z.string().min(1),
    conversationType: z.enum(["1", "2"]),
    conversationTitle: z.string().optional(),
    msgtype: z.string(),
    text: z.object({ content: z.string() }).loose().optional(),
    senderStaffId: z.string().optional(),
    senderNick: z.string().optional(),
    senderId: z.string().optional(),
    isInAtList: z.boolean().optional(),
    atUsers: z
      .array(z.object({ dingtalkId: z.string().optional(), staffId: z.string().optional() }))
      .optional(),
    robotCode: z.string().optional(),
    sessionWebhook: z.string().optional(),
    sessionWebhookExpiredTime: z.number().optional(),
    createAt: z.number().optional(),
  })
  .loose();
export type RobotMessage = z.infer<typeof robotMessageSchema>;

/** A card button click (topic /v1.0/card/instances/callback). `content` is itself a JSON text. */
export const cardCallbackSchema = z
  .object({
    type: z.string().optional(),
    outTrackId: z.string().min(1),
    userId: z.string().min(1),
    spaceType: z.string().optional(),
    spaceId: z.string().optional(),
    content: z.string(),
  })
  .loose();
export type CardCallback = z.infer<typeof cardCallbackSchema>;

export const cardContentSchema = z
  .object({
    cardPrivateData: z
      .object({ actionIds: z.array(z.string()).optional(), params: z.record(z.string(), z.unknown()) })
      .loose(),
  })
  .loose();

/** The new-API error envelope; old-API errors are errcode/errmsg (+ sub_code) with HTTP 200. */
export const apiErrorSchema = z.object({ code: z.string(), message: z.string().optional() }).loose();
