/** Times as a person at the venue reads them: 24-hour clock in one time zone (the machine's, or TZ). */
export interface Clock {
  readonly timeZone: string;
  /** "21:04:10" */
  time(iso: string): string;
  /** "Sat 21 Nov 2026" */
  day(iso: string): string;
}

export const createClock = (timeZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone): Clock => {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  return {
    timeZone,
    time: (iso) => time.format(new Date(iso)),
    day: (iso) => day.format(new Date(iso)).replace(/,/g, ''),
  };
};
