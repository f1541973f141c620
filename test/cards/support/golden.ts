import { CARD_CASES, OUTPUT_NAMES, PLATFORM_OUTPUTS } from "../../../cards/preview/cases.ts";
import { LOCALES } from "../../../core/i18n/locale.ts";

/** Every golden file by its path under test/cards/golden: <case>/<output>.<locale>.golden.(json|txt). */
export function goldenFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const c of CARD_CASES) {
    for (const locale of LOCALES) {
      const card = c.build(locale);
      for (const output of OUTPUT_NAMES) {
        const rendered = PLATFORM_OUTPUTS[output](card);
        const text = typeof rendered === "string";
        files.set(
          `${c.name}/${output}.${locale}.golden.${text ? "txt" : "json"}`,
          text ? `${rendered}\n` : `${JSON.stringify(rendered, null, 2)}\n`,
        );
      }
    }
  }
  return files;
}
