import type { Logger } from "pino";
import type { DingTalkApiError } from "./api.ts";

interface Fix {
  readonly en: string;
  readonly "zh-CN": string;
}

const FIXES: readonly [RegExp, Fix][] = [
  [
    /PermissionDenied|^60011$/,
    {
      en: "the app lacks a permission: add it under 权限管理 in the developer console (see docs/setup/dingtalk.md) and publish a new version",
      "zh-CN": "应用缺少接口权限：在开发者后台「权限管理」中申请（见 docs/setup/dingtalk.md），并发布新版本",
    },
  ],
  [
    /templateNotExist/,
    {
      en: "DINGTALK_CARD_TEMPLATE_ID names no published card template: import manifests/dingtalk/closeloop-card.template.json in the card builder, publish it and copy its id",
      "zh-CN":
        "DINGTALK_CARD_TEMPLATE_ID 不是已发布的卡片模板：在卡片平台按 manifests/dingtalk/closeloop-card.template.json 搭建并发布，复制模板 ID",
    },
  ],
  [
    /robotCode/,
    {
      en: "the robot code is wrong: set DINGTALK_ROBOT_CODE to the app robot's code (by default the app key)",
      "zh-CN": "机器人编码错误：将 DINGTALK_ROBOT_CODE 设为应用机器人的 RobotCode（默认与 AppKey 相同）",
    },
  ],
  [
    /openConversationId|notInGroup/,
    {
      en: "the robot is not in that group: add the closeloop robot to the group (群设置 → 机器人)",
      "zh-CN": "机器人不在该群：在群设置 → 机器人中添加 closeloop 机器人",
    },
  ],
  [
    /ApiCountLimitForOrg|^90020$/,
    {
      en: "the organisation's monthly API quota is used up: upgrade the edition or wait for next month",
      "zh-CN": "组织本月接口调用量已用尽：升级版本或等待下月",
    },
  ],
];

/** Setup problems (a missing permission, an unknown template...) are logged once each, with the fix. */
export class ProblemLog {
  readonly #seen = new Map<string, string>();
  constructor(readonly logger: Logger) {}

  report(e: DingTalkApiError, during: string): void {
    if (this.#seen.has(e.code)) return;
    const fix = FIXES.find(([re]) => re.test(e.code))?.[1];
    const detail = fix ? fix.en : e.message;
    this.#seen.set(e.code, detail);
    this.logger.error(
      { code: e.code, during, fix: fix?.en, fixZh: fix?.["zh-CN"] },
      `DingTalk setup problem (${e.code}) during ${during}: ${detail}`,
    );
  }

  /** Problems seen since start, one per error code. */
  list(): { code: string; fix: string }[] {
    return [...this.#seen].map(([code, fix]) => ({ code, fix }));
  }
}
