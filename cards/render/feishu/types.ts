/** The parts of Feishu card JSON 2.0 that closeloop produces (shared/platforms/feishu.md, "Cards"). */

export interface PlainText {
  readonly tag: "plain_text";
  readonly content: string;
}

export type FeishuColor =
  | "blue"
  | "wathet"
  | "turquoise"
  | "green"
  | "yellow"
  | "orange"
  | "red"
  | "carmine"
  | "violet"
  | "purple"
  | "indigo"
  | "grey"
  | "default";

export type FeishuBehavior =
  | { readonly type: "callback"; readonly value: Readonly<Record<string, unknown>> }
  | { readonly type: "open_url"; readonly default_url: string };

export interface FeishuButton {
  readonly tag: "button";
  readonly text: PlainText;
  readonly type: "primary" | "default" | "danger";
  readonly behaviors: readonly FeishuBehavior[];
  readonly name?: string;
  readonly form_action_type?: "submit";
}

export interface FeishuMarkdown {
  readonly tag: "markdown";
  readonly content: string;
}

export interface FeishuInput {
  readonly tag: "input";
  readonly name: string;
  readonly required: boolean;
  readonly placeholder?: PlainText;
  readonly default_value?: string;
  readonly max_length?: number;
  readonly input_type?: "multiline_text";
}

export interface FeishuSelect {
  readonly tag: "select_static";
  readonly name: string;
  readonly required: boolean;
  readonly placeholder?: PlainText;
  readonly initial_option?: string;
  readonly options: readonly { readonly text: PlainText; readonly value: string }[];
}

export interface FeishuColumn {
  readonly tag: "column";
  readonly width: "auto" | "weighted";
  readonly weight?: number;
  readonly elements: readonly FeishuElement[];
}

export interface FeishuColumnSet {
  readonly tag: "column_set";
  readonly flex_mode?: "none" | "flow";
  readonly columns: readonly FeishuColumn[];
}

export interface FeishuForm {
  readonly tag: "form";
  readonly name: string;
  readonly elements: readonly FeishuElement[];
}

export type FeishuElement =
  | FeishuMarkdown
  | { readonly tag: "hr" }
  | FeishuColumnSet
  | FeishuButton
  | FeishuForm
  | FeishuInput
  | FeishuSelect;

export interface FeishuCard {
  readonly schema: "2.0";
  readonly config: { readonly update_multi: true };
  readonly header: {
    readonly title: PlainText;
    readonly subtitle?: PlainText;
    readonly template: FeishuColor;
    readonly text_tag_list?: readonly {
      readonly tag: "text_tag";
      readonly text: PlainText;
      readonly color: "neutral" | "blue" | "orange" | "red" | "green";
    }[];
  };
  readonly body: { readonly elements: readonly FeishuElement[] };
}
