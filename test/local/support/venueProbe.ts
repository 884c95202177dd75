/**
 * Run inside a network namespace the test made (test/local/venueNetwork.test.ts): starts the engine on the
 * venue address given, then calls it from that address, as a phone on the Wi-Fi would (not loopback), and
 * prints what came back as one JSON line.
 */
import { startEngine } from '../../../src/local/engine';
import { requestJson } from '../../support/api';

const host = process.argv[2]!;

const main = async () => {
  const engine = await startEngine({ port: 0, host });
  try {
    const call = async (method: string, path: string, options: Parameters<typeof requestJson>[3] = {}) => {
      const { status, body } = await requestJson(engine.url, method, path, options);
      return { status, code: body?.error?.code as string | undefined, body };
    };
    const devToken = await call('POST', '/dev/token', { body: { sub: 'amy', name: 'Amy', role: 'kj' } });
    const outbox = await call('GET', '/dev/outbox');
    const chosenId = await call('POST', '/auth/guest', { body: { name: 'Amy', singerId: 'amy' } });
    const kj = await call('POST', '/auth/kj', { body: { name: 'Kim', passphrase: engine.passphrase.current() } });
    const amy = await call('POST', '/auth/guest', { body: { name: 'Amy' } });
    const bo = await call('POST', '/auth/guest', { body: { name: 'Bo' } });
    const opened = await call('POST', '/rotations', { token: kj.body.token, body: { venue: 'Netns Bar' } });
    const rotationId = opened.body.rotationId as string;
    const song = { title: 'Jolene', artist: 'Dolly Parton' };
    const amyJoins = await call('POST', `/rotations/${rotationId}/singers`, { token: amy.body.token, body: { displayName: 'Amy', song } });
    const boSkipsAmy = await call('POST', `/rotations/${rotationId}/singers/${amy.body.singerId}/skip`, { token: bo.body.token });
    const boRemovesAmy = await call('DELETE', `/rotations/${rotationId}/singers/${amy.body.singerId}`, { token: bo.body.token });
    const boSetsAmysContact = await call('PUT', `/singers/${amy.body.singerId}/contact`, { token: bo.body.token, body: { channels: [] } });
    const boAddsAmy = await call('POST', `/rotations/${rotationId}/singers`, {
      token: bo.body.token,
      body: { singerId: amy.body.singerId, displayName: 'Amy', song },
    });
    const config = await call('GET', '/config');
    console.log(
      JSON.stringify({
        url: engine.url,
        publicUrl: engine.publicUrl,
        devToken: devToken.status,
        outbox: outbox.status,
        chosenId: chosenId.status,
        kj: kj.status,
        amy: { status: amy.status, singerId: amy.body.singerId },
        amyJoins: { status: amyJoins.status, singerId: amyJoins.body.singerId },
        boSkipsAmy: boSkipsAmy.status,
        boRemovesAmy: boRemovesAmy.status,
        boSetsAmysContact: boSetsAmysContact.status,
        boAddsAmy: boAddsAmy.status,
        config: config.body,
      }),
    );
  } finally {
    await engine.stop();
  }
};

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
