import * as z from 'zod';
import { SONGBOOK_MAX_SONGS, SONG_REF_MAX } from '../../songbook/limits';
import { JOIN_PLACEMENTS, ROTATION_PLACEMENTS, SETTING_BOUNDS, SONG_KEY_RANGE, SONG_TEXT_MAX } from '../../aggregates/rotation/settings';
import { parseRfc3339 } from '../http/rfc3339';
import { boolean, email, id, integer, listOf, object, oneOf, phone, query, text } from './fields';

/**
 * The HTTP contract of API.md as schemas: they validate requests (src/api/http/app.ts), make the OpenAPI
 * document (src/api/contract/openapi.ts), and give the web pages their types (web/src/lib/contract.ts imports
 * the inferred types below), so a change here breaks whatever no longer fits it.
 * `.meta({ id })` names a schema in the document's components.
 */

export const DISPLAY_NAME_MAX = 60;
export const VENUE_MAX = 200;
export const MOVE_POSITION_MAX = 10_000;

const placements = <T extends string>(values: readonly T[]) => values as unknown as readonly [T, ...T[]];

export const Placement = oneOf(placements(ROTATION_PLACEMENTS)).meta({ id: 'Placement' });
export type Placement = z.infer<typeof Placement>;
export const JoinPlacement = oneOf(placements(JOIN_PLACEMENTS)).meta({ id: 'JoinPlacement' });
export type JoinPlacement = z.infer<typeof JoinPlacement>;

export const Song = object({
  title: text(SONG_TEXT_MAX),
  artist: text(SONG_TEXT_MAX),
  key: integer(SONG_KEY_RANGE.min, SONG_KEY_RANGE.max).optional(),
}).meta({ id: 'Song', description: 'A song; `key` shifts the pitch in semitones.' });
export type Song = z.infer<typeof Song>;

/** API.md "The songbook": wherever a song is sent, a song of the KJ's book may be named instead. */
export const BookSongRef = object({ bookSongId: id() }).meta({ id: 'BookSongRef', description: 'A song of the rotation’s KJ’s songbook.' });
export const SongChoice = z.union([Song, BookSongRef]).meta({ id: 'SongChoice', description: 'A song typed in, or one picked from the KJ’s songbook.' });
export type SongChoice = z.infer<typeof SongChoice>;

const bounded = (name: keyof typeof SETTING_BOUNDS) => integer(SETTING_BOUNDS[name].min, SETTING_BOUNDS[name].max);


export const RotationSettings = object({
  placement: Placement.optional(),
  alertAheadTurns: bounded('alertAheadTurns').optional().meta({ description: 'default 2' }),
  noShowTimeoutSeconds: bounded('noShowTimeoutSeconds').optional().meta({ description: 'default 120' }),
  maxPendingSongs: bounded('maxPendingSongs').optional().meta({ description: 'default 3' }),
  maxNoShows: bounded('maxNoShows').optional().meta({ description: 'default 2' }),
  autoAdvance: boolean().optional().meta({ description: 'default true: the turn workflow calls the next singer by itself' }),
  maxSingers: bounded('maxSingers').optional().meta({ description: 'default 150: a join beyond it is refused with rotation-full' }),
  songsFromBookOnly: boolean().optional().meta({ description: 'default false: free-text songs are refused' }),
}).meta({ id: 'RotationSettings' });
export type RotationSettings = z.infer<typeof RotationSettings>;

// ---- Request bodies ----

export const OpenRotationBody = object({ venue: text(VENUE_MAX), settings: RotationSettings.optional() }).meta({ id: 'OpenRotationBody' });

export const SingerJoinBody = object({ displayName: text(DISPLAY_NAME_MAX), song: SongChoice }).meta({
  id: 'SingerJoinBody',
  description: 'A singer joins as themselves (the token’s `sub`).',
});
export const KjJoinBody = object({
  singerId: id().optional(),
  displayName: text(DISPLAY_NAME_MAX),
  song: SongChoice,
  placement: JoinPlacement.optional(),
}).meta({
  id: 'KjJoinBody',
  description: 'A KJ adds a singer by id, or a walk-up without one (a `walkup-…` id is made and answered). No alerts reach them until they act themselves.',
});
export type JoinBody = z.input<typeof SingerJoinBody> | z.input<typeof KjJoinBody>;

export const MoveBody = object({ position: integer(0, MOVE_POSITION_MAX) }).meta({ id: 'MoveBody' });

export const Channel = oneOf(['sms', 'email']);
const requires = (channel: string, field: string) => ({
  if: { properties: { channels: { contains: { const: channel } } }, required: ['channels'] },
  then: { required: [field] },
});
export const Contact = object({ phone: phone().optional(), email: email().optional(), channels: listOf(Channel, 2) })
  .superRefine((contact, ctx) => {
    if (!Array.isArray(contact.channels)) return;
    if (contact.channels.includes('sms') && !contact.phone) ctx.addIssue({ code: 'custom', path: [], message: 'To get SMS alerts, give a `phone` number.' });
    if (contact.channels.includes('email') && !contact.email) ctx.addIssue({ code: 'custom', path: [], message: 'To get email alerts, give an `email` address.' });
  })
  .meta({ id: 'Contact', description: 'SMS needs `phone`; email needs `email`.', allOf: [requires('sms', 'phone'), requires('email', 'email')] });
export type Contact = z.infer<typeof Contact>;

// ---- The songbook (API.md "The songbook", added 2026-12) ----

export const BookSongBody = object({
  title: text(SONG_TEXT_MAX),
  artist: text(SONG_TEXT_MAX),
  key: integer(SONG_KEY_RANGE.min, SONG_KEY_RANGE.max).optional(),
  ref: text(SONG_REF_MAX).optional().meta({ description: 'The KJ’s own reference: disc and track, or file name.' }),
}).meta({ id: 'BookSongBody', description: 'A song of a KJ’s songbook.' });
export type BookSongBody = z.infer<typeof BookSongBody>;

/** Documents the JSON form of `PUT /songbook`: each song is checked on its own, and a bad one is skipped, not fatal. */
export const SongbookJson = z
  .object({ songs: z.array(BookSongBody).max(SONGBOOK_MAX_SONGS) })
  .meta({ id: 'SongbookJson', description: 'A whole songbook; songs that do not fit are skipped and reported by position.' });
export const SongbookCsv = z.string().meta({
  description: 'CSV with a header line `title,artist[,key][,ref]`, one song a line (RFC 4180 quoting). Lines that do not fit are skipped and reported.',
  examples: ['title,artist,key\nJolene,Dolly Parton,\nValerie,Amy Winehouse,-2\n'],
});

export const ImportedSongbook = z
  .object({
    count: z.int().min(0),
    skipped: z.array(z.object({ line: z.int().min(1), reason: z.string() })).meta({ description: 'The first 1,000 lines left out, and why.' }),
    skippedTotal: z.int().min(0).meta({ description: 'How many lines were left out in all.' }),
  })
  .meta({ id: 'ImportedSongbook' });
export type ImportedSongbook = z.infer<typeof ImportedSongbook>;

const BookSongFields = {
  bookSongId: z.string(),
  title: z.string(),
  artist: z.string(),
};
export const BookSong = z
  .object({ ...BookSongFields, key: z.int().optional(), ref: z.string().optional() })
  .meta({ id: 'BookSong' });
export const SongbookPage = z.object({ songs: z.array(BookSong), total: z.int().min(0) }).meta({ id: 'SongbookPage' });
export const SongbookMatches = z
  .object({ songs: z.array(z.object(BookSongFields)) })
  .meta({ id: 'SongbookMatches', description: 'Best match first.' });
export type SongbookMatches = z.infer<typeof SongbookMatches>;
export const PopularSongs = z
  .object({ songs: z.array(z.object({ ...BookSongFields, requests: z.int().min(1) })) })
  .meta({ id: 'PopularSongs', description: 'Most sung at this venue first: `requests` counts the completed turns of each song here.' });
export type PopularSongs = z.infer<typeof PopularSongs>;
export const BookSongAnswer = z.object({ bookSongId: z.string() }).meta({ id: 'BookSongAnswer' });
export type BookSongAnswer = z.infer<typeof BookSongAnswer>;

export const SEARCH_LIMIT = { default: 20, max: 100 } as const;
/** `?limit=`: how many songs a page holds, the same rule wherever songs are listed. */
const songLimit = z
  .string()
  .regex(/^[1-9]\d{0,2}$/, { error: `must be a whole number from 1 to ${SEARCH_LIMIT.max}` })
  .refine((v) => Number(v) <= SEARCH_LIMIT.max, { error: `must be a whole number from 1 to ${SEARCH_LIMIT.max}` })
  .optional()
  .meta({ description: `default ${SEARCH_LIMIT.default}` });
export const SongbookQuery = query({
  q: z.string().max(200, { error: 'must be at most 200 characters' }).optional().meta({ description: 'what the person typed so far' }),
  limit: songLimit,
});
export const LimitQuery = query({
  limit: songLimit,
});

export const DevTokenBody = object({ sub: id(), name: text(DISPLAY_NAME_MAX), role: oneOf(['kj', 'singer']) }).meta({ id: 'DevTokenBody' });

/** Routes that take no body accept none, or an empty object. */
export const NoBody = object({}).optional();

// ---- Query parameters ----

export const StateQuery = query({
  seq: z.string().regex(/^[1-9]\d{0,8}$/, { error: 'must be a whole number, 1 or more' }).optional().meta({ description: 'an event number' }),
  at: z
    .string()
    // Strict RFC 3339 with a zone and a round trip: 2026-02-30 is refused, not read as 2 March.
    .refine((value) => parseRfc3339(value) !== null, { error: 'must be a real RFC 3339 time with a zone, like 2026-11-21T22:30:00Z' })
    .optional()
    .meta({ format: 'date-time', description: 'an RFC 3339 time with a zone (Z or ±hh:mm)' }),
}).refine((q) => (q.seq === undefined) !== (q.at === undefined), {
  error: 'Give exactly one of `seq` (an event number) or `at` (an ISO-8601 time).',
});

export const LiveQuery = query({ ticket: z.string().optional().meta({ description: 'from `POST …/live-tickets`' }) });

// ---- Answers ----

const Version = z.int().min(0);
/** Hash of the commit at `version`: note it, and `rotation audit --verify --expect-head <hash>@<version>` checks the log still holds it. */
const HeadHash = z.string().regex(/^[0-9a-f]{64}$/).meta({ description: 'Hash of the commit at `version` (the head this answer saw); check it later with `rotation audit --verify --expect-head <hash>@<version>`.' });
export const VersionAnswer = z.object({ version: Version, headHash: HeadHash }).meta({ id: 'Version', description: 'The rotation’s version after the command, and that commit’s hash.' });
export const OpenedRotation = z
  .object({ rotationId: z.string(), joinCode: z.string(), version: Version, headHash: HeadHash })
  .meta({ id: 'OpenedRotation', description: '`joinCode`: what phones type, or scan from the venue screen’s QR code (`GET /j/{code}`).' });
export type OpenedRotation = z.infer<typeof OpenedRotation>;
export const Joined = z.object({ singerId: z.string(), version: Version, headHash: HeadHash }).meta({ id: 'Joined' });
export type Joined = z.infer<typeof Joined>;
export const QueuedSong = z.object({ songId: z.string(), version: Version, headHash: HeadHash }).meta({ id: 'QueuedSong' });
export type QueuedSong = z.infer<typeof QueuedSong>;
export const CalledTurn = z.object({ turnId: z.string(), singerId: z.string(), song: Song, version: Version, headHash: HeadHash }).meta({ id: 'CalledTurn' });
export type CalledTurn = z.infer<typeof CalledTurn>;

export const QueueView = z
  .object({
    rotationId: z.string(),
    venue: z.string(),
    status: z.enum(['open', 'closed']),
    joinCode: z.string().optional().meta({ description: 'The code phones join by (API.md "Joining by code")' }),
    version: Version,
    headHash: HeadHash.optional(),
    songsFromBookOnly: z.literal(true).optional().meta({ description: 'Present when free-text songs are refused: pick from the songbook.' }),
    current: z
      .object({ turnId: z.string(), singerId: z.string(), displayName: z.string(), song: Song, state: z.enum(['called', 'performing']) })
      .nullable(),
    upcoming: z.array(
      z.object({ singerId: z.string(), displayName: z.string(), turnsAway: z.int().min(1), estimatedWaitSeconds: z.int().min(0), song: Song }),
    ),
    singers: z.array(
      z.object({
        singerId: z.string(),
        displayName: z.string(),
        status: z.enum(['active', 'away']),
        pendingSongs: z.int().min(0),
        turnsCompleted: z.int().min(0),
        skipNext: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'QueueView', description: 'Who sings now, who is next and how long each waits (ROTATION.md "The views").' });
export type QueueView = z.infer<typeof QueueView>;

export const AuditEvent = z
  .object({
    seq: z.int().min(1),
    type: z.string(),
    data: z.record(z.string(), z.unknown()),
    actor: z.object({ id: z.string(), role: z.string().meta({ description: 'kj, singer or system (the turn workflow)' }) }),
    at: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;
export const AuditLog = z.object({ events: z.array(AuditEvent) }).meta({ id: 'AuditLog' });
export type AuditLog = z.infer<typeof AuditLog>;

export const History = z
  .object({
    performances: z.array(
      z.object({
        rotationId: z.string(),
        venue: z.string(),
        song: Song,
        startedAt: z.string().meta({ format: 'date-time' }),
        completedAt: z.string().meta({ format: 'date-time' }),
        durationSeconds: z.int().min(0),
        addedByKj: z.literal(true).optional().meta({ description: 'The KJ added this singer; they did not join themselves' }),
      }),
    ),
  })
  .meta({ id: 'History' });

/** Never the phone or email themselves: the answer is logged, replayed, and kept in the idempotency record. */
export const SavedContact = z
  .object({ singerId: z.string(), channels: z.array(Channel), phone: z.boolean(), email: z.boolean() })
  .meta({ id: 'SavedContact', description: 'What was saved: the channels, and whether a phone and an email are on file (never the details).' });
export type SavedContact = z.infer<typeof SavedContact>;

export const LiveTicket = z
  .object({ ticket: z.string(), expiresAt: z.string().meta({ format: 'date-time' }), url: z.string() })
  .meta({ id: 'LiveTicket', description: 'Opens the rotation’s live feed: `GET url` as Server-Sent Events.' });
export type LiveTicket = z.infer<typeof LiveTicket>;

export const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
export const DevToken = z.object({ token: z.string() }).meta({ id: 'DevToken' });
export const Outbox = z
  .object({
    alerts: z.array(
      z.object({
        singerId: z.string(),
        rotationId: z.string(),
        turnId: z.string(),
        kind: z.string(),
        channel: z.string(),
        message: z.string(),
        at: z.string().meta({ format: 'date-time' }),
      }),
    ),
  })
  .meta({ id: 'Outbox' });

export const ErrorAnswer = z
  .object({ error: z.object({ code: z.string().regex(/^[a-z]+(-[a-z]+)*$/), message: z.string() }) })
  .meta({ id: 'Error', description: 'Every answer that is not a success: a stable kebab-case `code` and a `message` for a person.' });
