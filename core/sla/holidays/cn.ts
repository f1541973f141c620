import type { Text } from "../../i18n/locale.ts";

/**
 * Mainland China public holidays (放假) and make-up working days (调休上班) by year.
 *
 * Source: the State Council General Office's yearly notice on holiday arrangements
 * (国务院办公厅关于 N 年部分节假日安排的通知). 2026 follows the notice of 2025-11-04 and matches the data of the
 * npm packages chinese-days 1.5.7 and chinese-workday 1.16.1 day for day.
 *
 * 2027: no notice is in this data yet (neither package has 2027). Until it is added, 2027 lists only the days
 * off fixed by law (《全国年节及纪念日放假办法》, as amended in 2024: 1 Jan; Spring Festival eve to the 3rd day;
 * Qingming; 1-2 May; Dragon Boat; Mid-Autumn; 1-3 Oct), with no make-up working days and without the weekdays
 * off in lieu that the notice will add for statutory days falling on a weekend. Lunar dates were computed with
 * chinese-days' lunar calendar. Replace the 2027 entry with the notice's arrangement and set status "official".
 */
export interface CnHolidayYear {
  readonly year: number;
  /** "official": the State Council notice; "statutory": only the days off fixed by law, notice pending. */
  readonly status: "official" | "statutory";
  readonly festivals: readonly CnFestival[];
}

export interface CnFestival {
  readonly name: Text;
  /** First and last day off, inclusive. */
  readonly off: readonly [string, string];
  /** Saturdays or Sundays worked to make up for the break. */
  readonly work: readonly string[];
}

const NEW_YEAR: Text = { "zh-CN": "元旦", en: "New Year's Day" };
const SPRING: Text = { "zh-CN": "春节", en: "Spring Festival" };
const QINGMING: Text = { "zh-CN": "清明节", en: "Qingming Festival" };
const LABOUR: Text = { "zh-CN": "劳动节", en: "Labour Day" };
const DRAGON_BOAT: Text = { "zh-CN": "端午节", en: "Dragon Boat Festival" };
const MID_AUTUMN: Text = { "zh-CN": "中秋节", en: "Mid-Autumn Festival" };
const NATIONAL: Text = { "zh-CN": "国庆节", en: "National Day" };

export const CN_HOLIDAY_YEARS: readonly CnHolidayYear[] = [
  {
    year: 2026,
    status: "official",
    festivals: [
      { name: NEW_YEAR, off: ["2026-01-01", "2026-01-03"], work: ["2026-01-04"] },
      { name: SPRING, off: ["2026-02-15", "2026-02-23"], work: ["2026-02-14", "2026-02-28"] },
      { name: QINGMING, off: ["2026-04-04", "2026-04-06"], work: [] },
      { name: LABOUR, off: ["2026-05-01", "2026-05-05"], work: ["2026-05-09"] },
      { name: DRAGON_BOAT, off: ["2026-06-19", "2026-06-21"], work: [] },
      { name: MID_AUTUMN, off: ["2026-09-25", "2026-09-27"], work: [] },
      { name: NATIONAL, off: ["2026-10-01", "2026-10-07"], work: ["2026-09-20", "2026-10-10"] },
    ],
  },
  {
    year: 2027,
    status: "statutory",
    festivals: [
      { name: NEW_YEAR, off: ["2027-01-01", "2027-01-01"], work: [] },
      { name: SPRING, off: ["2027-02-05", "2027-02-08"], work: [] },
      { name: QINGMING, off: ["2027-04-05", "2027-04-05"], work: [] },
      { name: LABOUR, off: ["2027-05-01", "2027-05-02"], work: [] },
      { name: DRAGON_BOAT, off: ["2027-06-09", "2027-06-09"], work: [] },
      { name: MID_AUTUMN, off: ["2027-09-15", "2027-09-15"], work: [] },
      { name: NATIONAL, off: ["2027-10-01", "2027-10-03"], work: [] },
    ],
  },
];

const DAY = 86_400_000;

function daysFrom(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += DAY) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** Every day off in the data, "YYYY-MM-DD", ascending. */
export const CN_HOLIDAYS: readonly string[] = CN_HOLIDAY_YEARS.flatMap((y) =>
  y.festivals.flatMap((f) => daysFrom(f.off[0], f.off[1])),
).sort();

/** Every make-up working day in the data, "YYYY-MM-DD", ascending. */
export const CN_WORKDAYS: readonly string[] = CN_HOLIDAY_YEARS.flatMap((y) =>
  y.festivals.flatMap((f) => f.work),
).sort();

/** How far the data for a year can be trusted: the notice, the statutory days only, or nothing. */
export function cnHolidayDataStatus(year: number): CnHolidayYear["status"] | "missing" {
  return CN_HOLIDAY_YEARS.find((y) => y.year === year)?.status ?? "missing";
}

/** The festival a date belongs to (as a day off or a make-up working day), if any. */
export function cnFestivalOn(date: string): { festival: CnFestival; kind: "off" | "work" } | undefined {
  for (const year of CN_HOLIDAY_YEARS) {
    for (const festival of year.festivals) {
      if (festival.work.includes(date)) return { festival, kind: "work" };
      if (date >= festival.off[0] && date <= festival.off[1]) return { festival, kind: "off" };
    }
  }
  return undefined;
}
