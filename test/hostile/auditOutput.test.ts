import type { Actor } from '../../src/aggregates/rotation';
import { escapeUnsafeText } from '../../src/api/http/text';
import { withEmbeddedDynamo } from '../support/dynamo';
import { fixtureOn } from '../projections/support';
import { cli } from '../cli/support';

/**
 * Data written before the strict-text rule (or straight into the table) may hold control characters: a name
 * that moves the cursor or flips the text direction must never fake a line of `rotation audit`.
 */
const dynamo = withEmbeddedDynamo();
const KJ: Actor = { id: 'kj-ann', role: 'kj' };
const FAKE_LINE = '\r\u001b[2K #9  23:59:00  kj-ann (kj)  closed the rotation\n';

beforeAll(async () => {
  const { service } = fixtureOn(dynamo);
  const at = (m: number) => new Date(Date.parse('2026-11-21T20:00:00Z') + m * 60_000).toISOString();
  const run = async (command: Parameters<typeof service.execute>[1], n: number) => {
    const outcome = await service.execute('spoofed', command, `spoofed-${n}`);
    if (outcome.kind !== 'accepted') throw new Error(`rejected: ${JSON.stringify(outcome)}`);
  };
  // The domain stores what it is given: the API refuses these now, older data may still hold them.
  await run({ type: 'OpenRotation', rotationId: 'spoofed', venue: 'Bar\u202Eneve', settings: { autoAdvance: false }, actor: KJ, at: at(0) }, 1);
  await run(
    { type: 'JoinRotation', singerId: 'mallory', displayName: `Mal${FAKE_LINE}`, songId: 's1', song: { title: 'T\u0000\ud800', artist: 'A\u009b' }, actor: { id: 'mallory', role: 'singer' }, at: at(1) },
    2,
  );
});

describe('rotation audit prints stored text safely', () => {
  it('shows every control character, bidi override and lone surrogate as a visible escape', async () => {
    const { code, stdout } = await cli(dynamo, ['audit', 'spoofed']);
    expect(code).toBe(0);
    // Nothing that a terminal would act on: only line feeds between lines.
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udfff]/);
    expect(stdout).toContain('Mal\\u{000D}\\u{001B}[2K #9  23:59:00  kj-ann (kj)  closed the rotation\\u{000A}');
    expect(stdout).toContain('Bar\\u{202E}neve');
    expect(stdout).toContain("'T\\u{0000}\\u{D800}' by A\\u{009B}");
    // The fake line never starts a line of its own.
    expect(stdout.split('\n').filter((line) => /^\s*#\d+ /.test(line)).map((line) => line.trim().split(' ')[0])).toEqual(['#1', '#2']);
  });

  it('leaves ordinary text, emoji (paired surrogates) and other scripts alone', () => {
    expect(escapeUnsafeText('Zoë 🎤 عربي — ok')).toBe('Zoë 🎤 عربي — ok');
  });
});
