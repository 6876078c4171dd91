// Cookie names shared by the server (lib/time/zone.ts) and the browser (components/time/).
/** The browser's IANA zone, written by the browser itself. */
export const TZ_COOKIE = "backout-tz";
/** "utc" when the viewer chose UTC; for pages without an account (the account's column wins). */
export const TIMES_COOKIE = "backout-times";
export const COOKIE_MAX_AGE_S = 400 * 24 * 3600;
