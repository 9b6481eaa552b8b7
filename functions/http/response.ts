import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * What a handler returns. Handlers speak in statuses and values; turning them into API Gateway
 * results (serialising, content types) happens once, here.
 */
export interface JsonResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cookies?: readonly string[];
  /** `application/json` unless named (a problem document replayed as it was first sent). */
  readonly contentType?: string;
}

export interface HtmlResult {
  readonly status: number;
  readonly html: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type HandlerResult = JsonResult | HtmlResult;

export const isHtmlResult = (result: HandlerResult): result is HtmlResult => 'html' in result;

/** Headers every HTML page gets: nothing cached, nothing leaked by referrer, no script, no framing. */
export const HTML_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

export const json = (
  status: number,
  body?: unknown,
  headers?: Readonly<Record<string, string>>,
): JsonResult => (headers === undefined ? { status, body } : { status, body, headers });

export const html = (
  status: number,
  markup: string,
  headers?: Readonly<Record<string, string>>,
): HtmlResult => (headers === undefined ? { status, html: markup } : { status, html: markup, headers });

export function toApiGatewayResult(result: HandlerResult): APIGatewayProxyStructuredResultV2 {
  if (isHtmlResult(result)) {
    return {
      statusCode: result.status,
      headers: { ...HTML_PAGE_HEADERS, ...result.headers, 'content-type': 'text/html; charset=utf-8' },
      body: result.html,
    };
  }
  const hasBody = result.body !== undefined && result.status !== 204;
  return {
    statusCode: result.status,
    headers: {
      'cache-control': 'no-store',
      ...result.headers,
      // A JSON answer is never rendered as something else, whatever a browser would sniff.
      'x-content-type-options': 'nosniff',
      ...(hasBody ? { 'content-type': result.contentType ?? 'application/json' } : {}),
    },
    ...(hasBody ? { body: JSON.stringify(result.body) } : {}),
    ...(result.cookies === undefined ? {} : { cookies: [...result.cookies] }),
  };
}
