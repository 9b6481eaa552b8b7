import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../local/runtime.ts';

/**
 * The README's walkthrough, run as printed: its shell blocks go to bash against a fresh runtime
 * (only the base URL is swapped for the test's port), so a README that stops working fails here.
 */

const run = promisify(execFile);
const PRINTED_BASE = 'BASE=http://127.0.0.1:3000';

/** The first ```sh block after the heading that starts with `heading`. */
function shellBlockAfter(readme: string, heading: string): string {
  const at = readme.indexOf(`\n${heading}`);
  if (at < 0) throw new Error(`README has no heading "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (block?.[1] === undefined) throw new Error(`README has no shell block after "${heading}"`);
  return block[1];
}

let runtime: Runtime;
let dataDir: string;
let workDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'readme-data-'));
  workDir = await mkdtemp(join(tmpdir(), 'readme-shell-'));
  runtime = await startRuntime({ dataDir, port: 0, quiet: true, sweepIntervalMs: 3_600_000 });
});

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(workDir, { recursive: true, force: true });
});

describe('the README walkthrough', () => {
  it('takes a demo enterprise from DISHONEST to REGULAR with the curl commands as printed', async () => {
    const readme = await readFile(join(process.cwd(), 'README.md'), 'utf8');
    const walkthrough = shellBlockAfter(readme, '### Walkthrough');
    const time = shellBlockAfter(readme, '#### Time');
    expect(walkthrough).toContain(PRINTED_BASE);
    const script = `${walkthrough.replace(PRINTED_BASE, `BASE=${runtime.url}`)}\n${time}`;

    const { stdout } = await run('bash', ['-eo', 'pipefail', '-c', script], {
      cwd: workDir,
      timeout: 60_000,
    });
    const lines = stdout.trim().split('\n');

    expect(lines[0]).toBe('DISHONEST');
    const uploads = lines.filter((line) => / upload: /.test(line));
    expect(uploads.length).toBeGreaterThanOrEqual(3);
    expect(uploads.every((line) => line.endsWith('upload: 204'))).toBe(true);
    expect(lines).toContain('submit: 202');
    expect(lines.filter((line) => line === 'review: 200')).toHaveLength(2);
    const approved = lines.indexOf('APPROVED');
    expect(approved).toBeGreaterThan(0);
    expect(lines[approved + 1]).toBe('REGULAR');
    expect(JSON.parse(lines[approved + 2] ?? '')).toMatchObject({
      enterpriseId: 'DEMOTAX001',
      tier: 'REGULAR',
      listing: null,
    });
    // The same status as the page a browser gets.
    expect(lines[approved + 3]).toBe('public page: 200 text/html; charset=utf-8');
    // The time block: the clock, moved forward, then a sweep's counts for that day.
    const [clock, moved, swept] = lines.slice(approved + 4).map((line) => JSON.parse(line) as object);
    expect(clock).toHaveProperty('now');
    // It goes on passing with the wall clock from the moment it was set.
    expect((moved as { now: string }).now).toMatch(/^2027-06-01T02:00:00/);
    expect(swept).toHaveProperty('itemsRead');
  }, 90_000);
});
