/** The HTTP contract of /work/shared/API.md, as the pages see it: the pages talk to nothing else. */

export interface Song {
  title: string;
  artist: string;
  key?: number;
}

export type Placement = 'fair' | 'full-rotation';
export type JoinPlacement = Placement | 'next';

export interface RotationSettings {
  placement?: Placement;
  alertAheadTurns?: number;
  noShowTimeoutSeconds?: number;
  maxPendingSongs?: number;
  maxNoShows?: number;
  autoAdvance?: boolean;
}

export interface QueueView {
  rotationId: string;
  venue: string;
  status: 'open' | 'closed';
  version: number;
  current: null | { turnId: string; singerId: string; displayName: string; song: Song; state: 'called' | 'performing' };
  upcoming: { singerId: string; displayName: string; turnsAway: number; estimatedWaitSeconds: number; song: Song }[];
  singers: {
    singerId: string;
    displayName: string;
    status: 'active' | 'away';
    pendingSongs: number;
    turnsCompleted: number;
    skipNext: boolean;
  }[];
}

export interface AuditEvent {
  seq: number;
  type: string;
  data: Record<string, unknown>;
  actor: { id: string; role: string };
  at: string;
}

export interface LiveTicket {
  ticket: string;
  expiresAt: string;
  url: string;
}

export interface Contact {
  phone?: string;
  email?: string;
  channels: ('sms' | 'email')[];
}
