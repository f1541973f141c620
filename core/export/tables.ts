import { FOLLOW_UP_TABLE } from "./follow-up-table.ts";
import { RECORD_TABLE } from "./record-table.ts";
import type { ExportTable } from "./table.ts";

export const EXPORT_TABLES = { records: RECORD_TABLE, "follow-ups": FOLLOW_UP_TABLE } as const;
export type ExportTableName = keyof typeof EXPORT_TABLES;
export const EXPORT_TABLE_NAMES = Object.keys(EXPORT_TABLES) as ExportTableName[];

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportTable = (name: ExportTableName): ExportTable => EXPORT_TABLES[name];
