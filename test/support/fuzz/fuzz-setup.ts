import { PARTIES } from '../../../domain/vocabulary.ts';
import type { Runtime } from '../../../local/runtime.ts';
import { send } from '../http-client.ts';
import { applicantToken, outbox, ReviewFlow } from '../review-flow.ts';
import { foreignToken } from './route-fuzz.ts';
import type { Credentials, KnownIds } from './route-requests.ts';

/**
 * What the fuzz needs to reach past "not found": an application under review (with its review
 * links and evidence), the demo enterprises with their facts, mail in the outbox, and tokens of an
 * officer, of applicants of those enterprises, and one the runtime did not sign.
 */
export async function fuzzWorld(runtime: Runtime): Promise<{ known: KnownIds; credentials: Credentials }> {
  const flow = new ReviewFlow(runtime, { prefix: 'FUZZ' });
  const underReview = await flow.applicationUnderReview();
  const waiting = await flow.applicationWithDocuments();
  const enterprises = [...runtime.demo.map((d) => d.id)];
  for (const id of [underReview.id, waiting.id]) {
    const app = await flow.application(id);
    enterprises.push(String(app.enterpriseId));
  }
  const facts: string[] = [];
  for (const id of enterprises) {
    const reply = await send(runtime.url, 'GET', `/enterprises/${id}`, { token: runtime.tokens.officer });
    for (const fact of (reply.body.facts as { id: string }[] | undefined) ?? []) facts.push(fact.id);
  }
  const messages = await outbox(runtime.url);
  const known: KnownIds = {
    enterprises,
    applications: [underReview.id, waiting.id],
    facts,
    linkIds: Object.values(underReview.links).map((url) => new URL(url).pathname.split('/').pop() ?? ''),
    outboxIds: messages.map((m) => (m as unknown as { id: string }).id),
    parties: [...PARTIES],
  };
  const credentials: Credentials = {
    officer: runtime.tokens.officer,
    applicants: [
      underReview.token,
      waiting.token,
      ...(await Promise.all(runtime.demo.slice(0, 2).map((d) => applicantToken(runtime.url, d.id)))),
    ],
    foreign: await foreignToken(),
  };
  return { known, credentials };
}
