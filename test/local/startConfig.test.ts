import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPublicUrl, PublicUrlError } from '../../src/local/publicUrl';
import { startExpectingRefusal } from './support/refusedStart';

/**
 * `npm start` with a setting it cannot use (PUBLIC_URL, PORT, HOST) says which and how to fix it, in one line,
 * before the night starts. A PUBLIC_URL without `http://` used to start fine and print QR codes that phone
 * cameras read as text; a bad PORT or HOST printed a stack trace.
 */
const start = (env: Record<string, string>) => startExpectingRefusal({ HOST: '', PUBLIC_URL: '', ...env });

describe('npm start settings', () => {
  const root = mkdtempSync(join(tmpdir(), 'rotation-settings-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('takes PUBLIC_URL as the origin phones open, and refuses what a phone cannot open', () => {
    expect(checkPublicUrl('http://karaoke.lan:3000/')).toBe('http://karaoke.lan:3000');
    expect(checkPublicUrl(' https://karaoke.example ')).toBe('https://karaoke.example');
    expect(checkPublicUrl('http://[fd00::1]:3000')).toBe('http://[fd00::1]:3000');
    for (const given of ['karaoke.lan:3000', 'karaoke.lan', 'ftp://karaoke.lan', 'http://karaoke.lan:3000/night', 'http://karaoke.lan:3000/?x=1', 'http://kj:pw@karaoke.lan', 'http://karaoke.lan#top']) {
      expect(() => checkPublicUrl(given)).toThrow(PublicUrlError);
    }
  });

  it.each([
    ['PUBLIC_URL without a scheme', { PUBLIC_URL: 'karaoke.lan:3000' }, /^PUBLIC_URL must be the address phones open, like http:\/\/karaoke\.lan:3000 \(.*\); got `karaoke\.lan:3000`\.$/],
    ['PORT that is no port', { PORT: 'abc' }, /^PORT must be a port number from 0 to 65535, like PORT=3000; got `abc`\.$/],
    ['HOST that is not this machine', { PORT: '0', HOST: '192.0.2.1' }, /^HOST=192\.0\.2\.1 is not an address of this machine: use HOST=0\.0\.0\.0 /],
  ])('says what is wrong with a %s in one line and exits 1', async (_what, env, message) => {
    const dataDir = join(root, `data-${Object.keys(env).join('-')}`);
    const { code, stderr } = await start({ DATA_DIR: dataDir, ...env });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(message);
    if (!('HOST' in env)) expect(existsSync(dataDir)).toBe(false); // refused before anything was made
  });
});
