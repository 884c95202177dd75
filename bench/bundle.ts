/**
 * Bundles every Lambda of the function table (infra/functions.ts) with esbuild, with the exact settings the CDK
 * app deploys (infra/bundling.ts), and prints each one's minified size. Fails if any is 1 MB or more.
 * The "SDK external" column is for comparison only: the same bundle with @aws-sdk/* left to the runtime.
 *
 *   npm run bench:bundle
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { esbuildOptionsFor } from '../infra/bundling';
import { FUNCTIONS } from '../infra/functions';

const LIMIT_BYTES = 1024 * 1024;

interface Row {
  readonly id: string;
  readonly entry: string;
  readonly minified: number;
  readonly gzipped: number;
  readonly sdkExternal: number;
  readonly ms: number;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const bundleSize = async (entry: string, outfile: string, external: string[] = []) => {
  const options = esbuildOptionsFor(entry, outfile);
  await build({ ...options, external: [...options.external, ...external] });
  const code = fs.readFileSync(outfile);
  return { bytes: code.length, gzipped: gzipSync(code).length };
};

const main = async () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bundle-'));
  try {
    // One at a time, so each build time is that function's own.
    const rows: Row[] = [];
    for (const { id, entry } of FUNCTIONS) {
      const started = Date.now();
      const deployed = await bundleSize(entry, path.join(outDir, id, 'index.js'));
      const ms = Date.now() - started;
      const lean = await bundleSize(entry, path.join(outDir, `${id}-sdk-external`, 'index.js'), ['@aws-sdk/*']);
      rows.push({ id, entry, minified: deployed.bytes, gzipped: deployed.gzipped, sdkExternal: lean.bytes, ms });
    }

    const header = ['function', 'entry', 'minified', 'gzipped', 'SDK external', 'build', 'under 1 MB'];
    const table = rows.map((r) => [r.id, r.entry, kb(r.minified), kb(r.gzipped), kb(r.sdkExternal), `${r.ms} ms`, r.minified < LIMIT_BYTES ? 'yes' : 'NO']);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
    console.log('Lambda bundles (esbuild, settings of infra/bundling.ts: minified, cjs, node22, AWS SDK bundled)\n');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of table) console.log(line(row));
    const largest = rows.reduce((a, b) => (b.minified > a.minified ? b : a));
    console.log(`\n${rows.length} functions; largest ${largest.id} ${kb(largest.minified)} of the ${kb(LIMIT_BYTES)} budget.`);

    const over = rows.filter((r) => r.minified >= LIMIT_BYTES);
    if (over.length > 0) {
      console.error(`Over budget: ${over.map((r) => `${r.id} (${kb(r.minified)})`).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
};

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
