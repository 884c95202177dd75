import { callApi } from './api';
import type {
  AuditLog,
  CalledTurn,
  Contact,
  JoinBody,
  JoinCodeAnswer,
  Joined,
  LiveTicket,
  OpenedRotation,
  QueuedSong,
  QueueView,
  RotationSettings,
  SavedContact,
  SongChoice,
} from './contract';

/** The routes of API.md the pages use, one function each, for one signed-in caller. */
export const rotationApi = (token: string, rotationId: string) => {
  const base = `/rotations/${encodeURIComponent(rotationId)}`;
  const singer = (singerId: string) => `${base}/singers/${encodeURIComponent(singerId)}`;
  return {
    queue: () => callApi<QueueView>('GET', `${base}/queue`, { token }),
    liveTicket: () => callApi<LiveTicket>('POST', `${base}/live-tickets`, { token, background: true }),
    join: (body: JoinBody) => callApi<Joined>('POST', `${base}/singers`, { token, body }),
    queueSong: (singerId: string, song: SongChoice) => callApi<QueuedSong>('POST', `${singer(singerId)}/songs`, { token, body: song }),
    singerAction: (singerId: string, action: 'skip' | 'away' | 'back') => callApi('POST', `${singer(singerId)}/${action}`, { token }),
    leave: (singerId: string) => callApi('DELETE', singer(singerId), { token }),
    move: (singerId: string, position: number) => callApi('POST', `${singer(singerId)}/move`, { token, body: { position } }),
    callNext: () => callApi<CalledTurn>('POST', `${base}/turns`, { token }),
    turnAction: (turnId: string, action: 'start' | 'complete' | 'forfeit') =>
      callApi('POST', `${base}/turns/${encodeURIComponent(turnId)}/${action}`, { token }),
    close: () => callApi('POST', `${base}/close`, { token }),
    events: () => callApi<AuditLog>('GET', `${base}/events`, { token }),
  };
};

export type RotationApi = ReturnType<typeof rotationApi>;

export const openRotation = (token: string, venue: string, settings: RotationSettings) =>
  callApi<OpenedRotation>('POST', '/rotations', { token, body: { venue, settings } });

/** `GET /join/{code}` (no sign-in): the open rotation a typed or scanned join code belongs to. */
export const findJoinCode = (code: string) => callApi<JoinCodeAnswer>('GET', `/join/${encodeURIComponent(code)}`);

export const saveContact = (token: string, singerId: string, contact: Contact) =>
  callApi<SavedContact>('PUT', `/singers/${encodeURIComponent(singerId)}/contact`, { token, body: contact });
