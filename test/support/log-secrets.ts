import type { ProcessLog } from './npm-start.ts';

/**
 * Log hygiene (DESIGN.md principle 6, CONTRACT.md "Start banner"): what a run's output must never
 * hold. A harness collects every secret it saw (the tokens it was issued, the link ids in the
 * emails, the nonces on the pages, the presigned POST fields, the task tokens in the store) and
 * `findSecrets` looks for each of them, and for the generic shapes of such secrets, in the output.
 * Findings are masked: a failing test must not print the secret it found.
 */

export const SECRET_KINDS = [
  'jwt',
  'review-link-id',
  'nonce',
  'task-token',
  'presigned-signature',
  'presigned-policy',
] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

/** The shapes of secrets, for what no harness saw (another life's tokens, a link never fetched). */
const GENERIC_PATTERNS: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  { kind: 'jwt', pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g },
  { kind: 'bearer header', pattern: /bearer\s+[A-Za-z0-9._~+/-]{20,}/gi },
  { kind: 'review link', pattern: /\/review\/[A-Za-z0-9_-]{16,}/g },
  { kind: 'presigned signature', pattern: /x-amz-signature["'\s:=]+[0-9a-f]{64}/gi },
  { kind: 'presigned policy', pattern: /"policy"\s*:\s*"eyJ[A-Za-z0-9+/=]{20,}/gi },
  { kind: 'nonce field', pattern: /nonce["'\s:=]+(?!"?\[REDACTED\])"?[A-Za-z0-9_-]{16,}/gi },
  { kind: 'task token field', pattern: /task_?token["'\s:=]+(?!"?\[REDACTED\])"?[A-Za-z0-9_-]{20,}/gi },
];

/** Shorter values would match by chance (and no secret of ours is this short). */
const MIN_SECRET_LENGTH = 12;

export class SecretCollector {
  readonly #secrets = new Map<string, SecretKind>();

  add(kind: SecretKind, value: string | undefined): void {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) return;
    this.#secrets.set(value, kind);
  }

  /** The review link id of a `/review/{id}` URL (and of its document links). */
  addReviewLink(url: string): void {
    const match = /\/review\/([A-Za-z0-9_-]+)/.exec(url);
    this.add('review-link-id', match?.[1]);
  }

  /** The signed fields of a presigned POST. */
  addPresignedFields(fields: Readonly<Record<string, string>>): void {
    for (const [name, value] of Object.entries(fields)) {
      const lower = name.toLowerCase();
      if (lower === 'x-amz-signature') this.add('presigned-signature', value);
      if (lower === 'policy') this.add('presigned-policy', value);
    }
  }

  counts(): Record<SecretKind, number> {
    const counts = Object.fromEntries(SECRET_KINDS.map((kind) => [kind, 0])) as Record<SecretKind, number>;
    for (const kind of this.#secrets.values()) counts[kind] += 1;
    return counts;
  }

  entries(): IterableIterator<[string, SecretKind]> {
    return this.#secrets.entries();
  }
}

export interface SecretFinding {
  readonly kind: string;
  /** The first characters and the length, never the secret itself. */
  readonly masked: string;
  /** The line it was found on, with every secret on it masked. */
  readonly line: string;
}

const mask = (value: string): string => `${value.slice(0, 4)}…(${value.length} chars)`;

function maskLine(line: string, collector: SecretCollector): string {
  let masked = line;
  for (const [secret] of collector.entries()) masked = masked.split(secret).join(mask(secret));
  for (const { pattern } of GENERIC_PATTERNS) masked = masked.replace(pattern, (m) => mask(m));
  return masked.length > 300 ? `${masked.slice(0, 300)}…` : masked;
}

/** Every known secret and every secret-shaped string in `text`, one finding per line and secret. */
export function findSecrets(text: string, collector: SecretCollector): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const lines = text.split('\n');
  for (const line of lines) {
    for (const [secret, kind] of collector.entries()) {
      if (line.includes(secret)) {
        findings.push({ kind, masked: mask(secret), line: maskLine(line, collector) });
      }
    }
    for (const { kind, pattern } of GENERIC_PATTERNS) {
      for (const match of line.matchAll(pattern)) {
        findings.push({ kind: `${kind} (pattern)`, masked: mask(match[0]), line: maskLine(line, collector) });
      }
    }
  }
  return findings;
}

/**
 * Lines of `npm start`'s start banner (local/main.ts): the ready line and what follows it up to
 * the first line of another shape. The banner may print dev tokens; nothing else may.
 */
const BANNER_START = /^credit-repair ready at /;
const BANNER_LINE = /^(?:$| {2}\S|Dev tokens |Restarted the workflows )/;

export interface SplitOutput {
  /** Every banner, in order of the lives that printed them. */
  readonly banners: string[];
  /** Everything else every life wrote on stdout and stderr. */
  readonly rest: string;
}

/** Splits a run's output into its start banners and the rest. */
export function splitBanner(log: ProcessLog): SplitOutput {
  const banners: string[] = [];
  const rest: string[] = [];
  const lives = [...new Set(log.chunks.map((c) => c.life))];
  for (const life of lives) {
    const lines = log.text({ life, stream: 'stdout' }).split('\n');
    let inBanner = false;
    let banner: string[] = [];
    for (const line of lines) {
      if (BANNER_START.test(line)) {
        inBanner = true;
        banner = [line];
        continue;
      }
      if (inBanner && BANNER_LINE.test(line)) {
        banner.push(line);
        continue;
      }
      if (inBanner) {
        banners.push(banner.join('\n'));
        inBanner = false;
      }
      rest.push(line);
    }
    if (inBanner) banners.push(banner.join('\n'));
    rest.push(log.text({ life, stream: 'stderr' }));
  }
  return { banners, rest: rest.join('\n') };
}

/** The dev tokens a banner printed: secrets that may appear in the banner only. */
export const bannerTokens = (banner: string): string[] =>
  [...banner.matchAll(/^ {2}[A-Z_0-9]+=(\S+)$/gm)].map((m) => m[1] ?? '');
