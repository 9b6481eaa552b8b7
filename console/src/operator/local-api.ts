import { request } from '../api/client.ts';

/** The embedded runtime's `/_local/*` controls the operator pages use (never in the AWS build). */

export interface OutboxEntry {
  readonly id: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly links: readonly string[];
  readonly sentAt: string;
}

export const OUTBOX_KEY = 'local:outbox';

export const getOutbox = async (): Promise<OutboxEntry[]> =>
  (await request<OutboxEntry[]>('GET', '/_local/outbox', { anonymous: true })).data;

export const messageHtmlUrl = (id: string): string => `/_local/outbox/${encodeURIComponent(id)}/html`;

export async function devToken(
  role: 'officer' | 'applicant',
  enterprises: readonly string[],
): Promise<string> {
  const query = new URLSearchParams({ role });
  if (role === 'applicant') query.set('enterprise', enterprises.join(','));
  return (await request<{ token: string }>('GET', `/_local/token?${query.toString()}`, { anonymous: true }))
    .data.token;
}
