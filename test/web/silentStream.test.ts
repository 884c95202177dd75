import { waitForText } from './support/browser';
import { PHONE, startPagesNight, joinWithJolene } from './support/pagesNight';
import { openWifiLink } from './support/wifiLink';

/**
 * A live stream that dies without a word while the phone stays awake and online (a router forgot it): nothing
 * reaches the page, not even an error, so only the server's pings going missing can tell it. Pings every 200 ms
 * here (15 s in a venue).
 */
const night = startPagesNight({ liveHeartbeatMs: 200 });

const { post } = night;

describe('a live stream that dies in silence', () => {
  it('is replaced once its pings stop, and the page shows the current queue without being touched', async () => {
    const link = await openWifiLink(night.engine.port);
    try {
      const kj = night.engine.tokens.issue({ sub: 'kj-silent', name: 'Kim', role: 'kj' });
      const { rotationId } = await post('/rotations', kj, { venue: 'The Quiet Room', settings: { autoAdvance: false } });
      const amy = await night.open(`${link.url}/singer.html?rotation=${rotationId}`, PHONE, { isMobile: true });
      await joinWithJolene(amy, 'Amy');
      await waitForText(amy.locator('#my-turn'), "You're next");
      await waitForText(amy.locator('#live-status'), 'Live');

      // The stream dies on the way; the page stays visible and online, so no event of the browser's revives it.
      link.dropSilently();
      await post(`/rotations/${rotationId}/singers`, kj, { displayName: 'Bo', song: { title: 'Hurt', artist: 'Johnny Cash' }, placement: 'next' });
      await waitForText(amy.locator('#my-turn'), '2 turns away');
      await waitForText(amy.locator('#upcoming'), 'Bo');
      await waitForText(amy.locator('#live-status'), 'Live');
    } finally {
      await link.close();
    }
  });
});
