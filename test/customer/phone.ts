/** A small phone for the customer pages' browser tests and screenshots: 375 CSS pixels wide, touch, 2x. */
export const PHONE = {
  viewport: { width: 375, height: 667 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  timezoneId: "Asia/Shanghai",
} as const;
