/**
 * Who may talk to the embedded object store: requests signed with this runtime's key only.
 * s3rver checks a signature when one is present but serves unsigned requests anonymously (an
 * object GET, a bucket listing) and knows a well-known key pair of its own; so a Koa middleware
 * placed before all of s3rver's refuses every request that is not signed with the runtime's key,
 * and s3rver then verifies that signature itself. Two kinds pass unsigned, as on S3: CORS
 * preflights (answered from the bucket's CORS rule) and browser uploads by presigned POST, whose
 * credential, policy and signature travel in the form.
 */
import { createRequire } from 'node:module';
import type { LocalCredentials } from './signature.ts';

interface KoaContext {
  readonly method: string;
  readonly query: Record<string, string | string[] | undefined>;
  get(header: string): string;
  set(header: string, value: string): void;
  remove(header: string): void;
  readonly response: { get(header: string): string };
  is(type: string): string | false | null;
  status: number;
  type: string;
  body: unknown;
}

type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

const require = createRequire(import.meta.url);
// s3rver keeps its key pairs in one registry per process; ours is added to its built-in account.
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
};

const ACCESS_DENIED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';

/** The access key a request names (Authorization header, or a presigned URL's query). */
function accessKeyOf(ctx: KoaContext): string | undefined {
  const header = /Credential=([^/,\s]+)\//.exec(ctx.get('authorization'))?.[1];
  if (header !== undefined) return header;
  const query = ctx.query['X-Amz-Credential'];
  return typeof query === 'string' ? query.split('/')[0] : undefined;
}

export function requireRuntimeKey(
  server: { readonly middleware: unknown[] },
  credentials: LocalCredentials,
): void {
  DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);
  const check: KoaMiddleware = async (ctx, next) => {
    const unsigned = ctx.method === 'OPTIONS' || (ctx.method === 'POST' && ctx.is('multipart/form-data'));
    if (!unsigned && accessKeyOf(ctx) !== credentials.accessKeyId) {
      ctx.status = 403;
      ctx.type = 'application/xml';
      ctx.body = ACCESS_DENIED;
      return;
    }
    try {
      await next();
    } finally {
      // s3rver answers `Access-Control-Allow-Origin: *` once the bucket's rule admits the origin;
      // S3 names that origin, and so do we: never a wildcard.
      if (ctx.response.get('access-control-allow-origin') === '*') {
        const origin = ctx.get('origin');
        if (origin === '') ctx.remove('access-control-allow-origin');
        else ctx.set('access-control-allow-origin', origin);
      }
    }
  };
  server.middleware.unshift(check);
}
