/** What a singer reads. Plain text: the same words go by SMS, email and into the local outbox. */
import type { OutgoingAlert } from './port';

export const alertMessage = ({ kind, venue, turnsAway, songTitle }: OutgoingAlert): string => {
  if (kind === 'up-now') {
    return songTitle ? `You're up at ${venue}: take the stage for '${songTitle}'!` : `You're up at ${venue}: take the stage!`;
  }
  return `You're ${turnsAway} ${turnsAway === 1 ? 'turn' : 'turns'} away at ${venue} — get ready.`;
};

/** Subjects kept plain ASCII on one line, under 100 characters: every mail client shows them as written. */
const SUBJECT_MAX = 99;
const toSubject = (text: string): string => {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents off: "Café" → "Cafe"
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ') // line breaks are not allowed in a subject
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return ascii.length > SUBJECT_MAX ? `${ascii.slice(0, SUBJECT_MAX - 3)}...` : ascii;
};

export const alertEmailSubject = ({ kind, venue, turnsAway }: OutgoingAlert): string =>
  toSubject(kind === 'up-now' ? `You're up at ${venue}` : `${turnsAway} ${turnsAway === 1 ? 'turn' : 'turns'} away at ${venue}`);

export const alertEmailBody = (alert: OutgoingAlert): string => `Hi ${alert.displayName},\n\n${alertMessage(alert)}`;
