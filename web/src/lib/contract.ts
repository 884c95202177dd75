/**
 * The HTTP contract of API.md, as the pages see it: the types inferred from the schemas that validate the
 * API's requests and make its OpenAPI document (src/api/contract/schemas.ts). Types only: no schema code
 * reaches the pages' bundle, and a change to a shape fails `npm run typecheck` wherever a page no longer fits.
 */
export type {
  AuditEvent,
  AuditLog,
  CalledTurn,
  Contact,
  JoinBody,
  JoinPlacement,
  Joined,
  LiveTicket,
  OpenedRotation,
  Placement,
  QueuedSong,
  QueueView,
  RotationSettings,
  SavedContact,
  Song,
  SongChoice,
  BookSongAnswer,
  ImportedSongbook,
  PopularSongs,
  SongbookMatches,
} from '../../../src/api/contract/schemas';
export type { GuestSignedIn, JoinCodeAnswer, KjSignedIn } from '../../../src/api/contract/venueSchemas';
export type { AwsPageConfig, PageConfig } from '../../../src/api/pageConfig';
