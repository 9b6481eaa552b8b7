import {
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  type Idempotency,
  type IdempotentRequest,
} from '../../ports/idempotency.ts';

/**
 * The in-memory twin of the Powertools idempotency layer: one record per subject and key, with the
 * body it was first asked with, in progress until `run` settles. A failed run frees its key, so
 * the client may retry; records never expire here (tests are short).
 */
export class MemoryIdempotency implements Idempotency {
  readonly #records = new Map<string, { body: string; result?: { value: unknown } }>();

  async once<T>(request: IdempotentRequest, run: () => Promise<T>): Promise<T> {
    const id = JSON.stringify([request.subject, request.key]);
    const body = JSON.stringify(request.body);
    const record = this.#records.get(id);
    if (record !== undefined) {
      if (record.body !== body) throw new IdempotencyKeyReusedError();
      if (record.result === undefined) throw new IdempotencyInProgressError();
      return structuredClone(record.result.value) as T;
    }
    const mine: { body: string; result?: { value: unknown } } = { body };
    this.#records.set(id, mine);
    try {
      const value = await run();
      mine.result = { value: structuredClone(value) };
      return value;
    } catch (error) {
      this.#records.delete(id);
      throw error;
    }
  }
}
