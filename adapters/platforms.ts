import { DINGTALK_MODULE } from "./dingtalk/index.ts";
import { feishuModule } from "./feishu/module.ts";
import type { PlatformModule } from "./platform-module.ts";
import { TEAMS_MODULE } from "./teams/index.ts";

/** Every chat platform closeloop speaks; each is switched on by its credentials in the environment. */
export const PLATFORM_MODULES: readonly PlatformModule[] = [TEAMS_MODULE, feishuModule, DINGTALK_MODULE];
