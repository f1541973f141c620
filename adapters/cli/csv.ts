/** The CSV encoding exports use; kept here for the callers that import it from the CLI. */
export { csvField, csvLine } from "../export/csv.ts";
