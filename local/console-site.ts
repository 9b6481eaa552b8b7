/**
 * Serves the web console (CONTRACT.md Revision 2: the console owns `/` and `/console/*`, the API
 * stays at the root). Files come from the `embedded` build (console/dist/embedded, built by
 * `npm ci`/`npm start`/`npm test`); they are read once, at start, into memory, so a request can
 * only ever name a file the build made (no path reaches the disk).
 *
 * Headers: HTML is revalidated on every load (`no-cache`), the content-hashed files under
 * `/console/assets/` are cached for a year (`immutable`); every answer has a strict CSP: scripts
 * and styles from this origin only, no inline code, no eval, no framing. Uploads go straight to the
 * object store, so `connect-src` names its origin. The API docs page alone allows inline styles
 * and data: images (Swagger UI uses both), and renders nothing but this service's own OpenAPI
 * document.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { ProblemError, problemResponse } from '../functions/http/problem.ts';
import type { ExtraRoute } from './gateway/gateway.ts';

export const CONSOLE_PATH = '/console';
export const CONSOLE_CONFIG_PATH = `${CONSOLE_PATH}/config.json`;
export const API_DOCS_PAGE = 'api-docs.html';

/** What the console learns about where it runs; the AWS site serves its own (no operator pages there). */
export interface ConsoleConfig {
  readonly runtime: 'embedded';
  /** The demo enterprises of this data folder, offered by the dev sign-in. */
  readonly demoEnterprises: readonly { id: string; name: string; tier: string }[];
}

export interface ConsoleSiteOptions {
  /** The built console (console/dist/embedded). */
  readonly dir: string;
  /** Origins the browser may send requests to besides this one: the object store's presigned POSTs. */
  readonly connectOrigins: readonly string[];
  readonly config: ConsoleConfig;
}

interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Build bookkeeping that is not part of the site. */
const NOT_SERVED = new Set(['build-stamp.json']);

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export function consoleCsp(connectOrigins: readonly string[], options: { docsPage?: boolean } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Swagger UI sets inline styles and draws its icons as data: SVGs (its page only).
    `style-src 'self'${options.docsPage ? " 'unsafe-inline'" : ''}`,
    `img-src 'self'${options.docsPage ? ' data:' : ''}`,
    "font-src 'self'",
    ['connect-src', "'self'", ...connectOrigins].join(' '),
    // The inbox shows a message's HTML part in a sandboxed frame, from the runtime's own origin.
    "frame-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The built files by their URL path under /console/ (`index.html`, `assets/index-abc.js`). */
export async function loadConsoleFiles(dir: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  let paths: string[];
  try {
    paths = await filesUnder(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return files;
    throw error;
  }
  for (const path of paths) {
    const name = relative(dir, path).split(sep).join('/');
    if (NOT_SERVED.has(name)) continue;
    const contentType = CONTENT_TYPES[extname(name)] ?? 'application/octet-stream';
    files.set(name, { body: await readFile(path), contentType });
  }
  return files;
}

const AssetPath = z.string().min(1).max(300);

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Console not built</title></head>
<body><h1>The console is not built</h1><p>Run <code>npm run build:console</code> (npm start and npm test do it), then restart.</p>
<p lang="zh-CN">控制台尚未构建：请运行 <code>npm run build:console</code> 后重新启动。</p></body></html>`;

export async function consoleRoutes(options: ConsoleSiteOptions): Promise<ExtraRoute[]> {
  const files = await loadConsoleFiles(options.dir);
  const csp = consoleCsp(options.connectOrigins);
  const docsCsp = consoleCsp([], { docsPage: true });
  const common = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };

  const serve = (name: string): APIGatewayProxyResultV2 => {
    const file = files.get(name);
    if (file === undefined) {
      if (files.size === 0) {
        return {
          statusCode: 503,
          headers: { ...common, 'content-type': CONTENT_TYPES['.html']!, 'cache-control': 'no-store' },
          body: NOT_BUILT_PAGE,
        };
      }
      return problemResponse(ProblemError.of('NOT_FOUND', `No console file ${CONSOLE_PATH}/${name}.`));
    }
    return {
      statusCode: 200,
      headers: {
        ...common,
        'content-type': file.contentType,
        'content-security-policy': name === API_DOCS_PAGE ? docsCsp : csp,
        'cache-control': name.startsWith('assets/') ? IMMUTABLE : REVALIDATE,
      },
      body: file.body.toString('base64'),
      isBase64Encoded: true,
    };
  };

  const configBody = JSON.stringify(options.config);
  return [
    { method: 'GET', path: '/', handler: async () => serve('index.html') },
    {
      method: 'GET',
      path: CONSOLE_PATH,
      handler: async () => ({ statusCode: 308, headers: { location: '/' }, body: '' }),
    },
    {
      method: 'GET',
      path: CONSOLE_CONFIG_PATH,
      handler: async () => ({
        statusCode: 200,
        headers: { ...common, 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: configBody,
      }),
    },
    {
      method: 'GET',
      path: `${CONSOLE_PATH}/{path+}`,
      handler: async (event) => {
        const parsed = AssetPath.safeParse(event.pathParameters?.['path']);
        if (!parsed.success) return problemResponse(ProblemError.of('NOT_FOUND', 'No such console file.'));
        return serve(parsed.data);
      },
    },
  ];
}
