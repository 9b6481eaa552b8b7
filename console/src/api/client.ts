import { currentToken, signOut } from '../session.ts';

/**
 * The console's only way to the API: JSON over fetch with the session's bearer token. Every
 * non-2xx answer becomes an ApiError carrying the problem document (RFC 9457) as the API sent it,
 * so screens show the API's own messages: `errors` at their fields, `reasons` as a list.
 */

export interface FieldIssue {
  readonly in: string;
  readonly path: string;
  readonly message: string;
}

export interface ProblemReason {
  readonly code: string;
  readonly detail?: string;
  readonly [extra: string]: unknown;
}

export interface Problem {
  readonly type?: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code: string;
  readonly errors?: readonly FieldIssue[];
  readonly reasons?: readonly ProblemReason[];
  readonly [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    /** Seconds, from a Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(problem.detail ?? problem.title);
  }

  get code(): string {
    return this.problem.code;
  }

  /** No answer at all, a 5xx, or a 429: the same request may succeed later. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

export interface Reply<T> {
  readonly status: number;
  readonly data: T;
  readonly headers: Headers;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Send without the session's token (the operator controls take none). */
  readonly anonymous?: boolean;
}

async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem> & { message?: string };
      if (typeof body.code === 'string') return body as Problem;
      // API Gateway's own answers (401, 413, 429 on AWS) are {"message"}.
      return {
        title: body.message ?? response.statusText,
        status: response.status,
        code: `HTTP_${response.status}`,
      };
    } catch {
      // fall through
    }
  }
  return {
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    code: `HTTP_${response.status}`,
  };
}

export async function request<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const token = options.anonymous ? undefined : currentToken();
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(0, {
      title: 'No answer from the service',
      status: 0,
      code: 'NETWORK',
      detail: (error as Error).message,
    });
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    if (response.status === 401 && token !== undefined) signOut();
    throw new ApiError(response.status, problem, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
  const text = await response.text();
  return {
    status: response.status,
    data: (text === '' ? undefined : JSON.parse(text)) as T,
    headers: response.headers,
  };
}

export const get = async <T>(path: string, options?: RequestOptions): Promise<T> =>
  (await request<T>('GET', path, options)).data;
