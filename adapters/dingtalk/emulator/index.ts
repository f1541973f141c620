export type { ApiName, FailureKind } from "./errors.ts";
export type { EmuCard, EmuDepartment, EmuGroup, EmuUser, SentMessage } from "./openapi.ts";
export { type ClickOutcome, DingTalkEmulator, type EmulatorOptions } from "./server.ts";
