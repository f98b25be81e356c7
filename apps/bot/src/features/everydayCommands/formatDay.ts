const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A date as chat shows it, e.g. "3 Dec 2026" (UTC). */
export function formatDay(at: Date): string {
  return DAY.format(at);
}
