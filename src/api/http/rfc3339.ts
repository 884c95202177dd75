/**
 * Strict RFC 3339 times for `?at=` and `rotation audit --at`: a full date and time with a zone (`Z` or ±hh:mm),
 * and a round-trip check, so `2026-02-30T00:00:00Z` is refused instead of read as 2 March, and a time without
 * a zone is refused instead of read in the server's own time zone.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** The time as a UTC ISO string (milliseconds), or null if it is not a real RFC 3339 time with a zone. */
export const parseRfc3339 = (value: string): string | null => {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fields = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Round trip: every field must come back as written (no 30 February, no hour 24, no second 60).
  if (
    fields.getUTCFullYear() !== year ||
    fields.getUTCMonth() !== month - 1 ||
    fields.getUTCDate() !== day ||
    fields.getUTCHours() !== hour ||
    fields.getUTCMinutes() !== minute ||
    fields.getUTCSeconds() !== second
  ) {
    return null;
  }
  if (m[9] !== undefined && (Number(m[10]) > 23 || Number(m[11]) > 59)) return null;
  const ms = Date.parse(value.toUpperCase());
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};
