import type { LiveStatus } from './live';

const LABELS: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Live updates stopped',
};

/** The small "Live" badge: tells the room whether what they see is current. */
export const renderLiveStatus = (element: HTMLElement, status: LiveStatus, detail?: string): void => {
  element.dataset.status = status;
  element.textContent = detail ? `${LABELS[status]}: ${detail}` : LABELS[status];
};
