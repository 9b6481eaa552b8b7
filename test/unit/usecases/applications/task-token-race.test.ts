import { describe, expect, it } from 'vitest';
import { setExecutionName } from '../../../../functions/usecases/applications/records.ts';
import {
  mirroredTaskToken,
  readTaskToken,
  storeTaskToken,
  waitTokensOf,
} from '../../../../functions/usecases/applications/task-tokens.ts';
import { keys } from '../../../../functions/ports/store/keys.ts';
import type { Store } from '../../../../functions/ports/store/store.ts';
import { memoryPorts } from '../../../support/memory-ports.ts';
import { submitted } from '../support.ts';

/**
 * A callback task of execution E1 reads the application (E1 recorded), then writes its token item,
 * then mirrors it. A restart may record E2 between any two of those calls, and E2's task may store
 * its own token meanwhile. Whatever the order, the token item must not end holding E1's token.
 */

const AT = '2026-05-04T02:00:00.000Z';
const SLOT = { task: 'AwaitEvidence' } as const;

type Method = 'get' | 'putNew' | 'updateVersioned' | 'updateIf';

/** The store, running `hook` once before the `nth` call (1-based) of `method`. */
function withHookBefore(store: Store, method: Method, nth: number, hook: () => Promise<void>): Store {
  let calls = 0;
  return new Proxy(store, {
    get(target, property) {
      // Bound to the store itself: its private fields are not reachable through the proxy.
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property !== method) return (value as (...a: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) => {
        calls += 1;
        if (calls === nth) await hook();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function waitingApplication(id: string) {
  const ports = memoryPorts(AT);
  await submitted(ports, id, AT);
  return ports.store;
}

const mirrorOf = async (store: Store, id: string) =>
  mirroredTaskToken(waitTokensOf((await store.get(keys.application(id)))!), SLOT, 1);

/** Both the token item and the application's mirror hold `token` (what a resumer would send to). */
async function expectHeldBy(store: Store, id: string, token: string): Promise<void> {
  expect(await readTaskToken(store, id, SLOT, 1)).toBe(token);
  expect(await mirrorOf(store, id)).toBe(token);
}

describe('a task token stored by an execution a restart replaced meanwhile', () => {
  it('does not replace the token the new execution stored between its read and its write', async () => {
    const store = await waitingApplication('APP-RACE-1');
    // E1 (the application's first execution, named by its id) has read the application; before it
    // reads the token item, a restart records E2 and E2's task stores and mirrors its token.
    const racing = withHookBefore(store, 'get', 2, async () => {
      await setExecutionName(store, 'APP-RACE-1', 'E2');
      expect(await storeTaskToken(store, 'APP-RACE-1', SLOT, 1, 'token-E2', AT, 'E2')).toBe('stored');
    });
    expect(await storeTaskToken(racing, 'APP-RACE-1', SLOT, 1, 'token-E1', AT, 'APP-RACE-1')).toBe('stale');
    await expectHeldBy(store, 'APP-RACE-1', 'token-E2');
  });

  it('does not replace it when the new execution writes between its read of the token item and its write', async () => {
    const store = await waitingApplication('APP-RACE-2');
    await storeTaskToken(store, 'APP-RACE-2', SLOT, 1, 'token-E1-first', AT, 'APP-RACE-2');
    // E1's second invocation read the item (its own first token) and is about to replace it.
    const racing = withHookBefore(store, 'updateVersioned', 1, async () => {
      await setExecutionName(store, 'APP-RACE-2', 'E2');
      await storeTaskToken(store, 'APP-RACE-2', SLOT, 1, 'token-E2', AT, 'E2');
    });
    expect(await storeTaskToken(racing, 'APP-RACE-2', SLOT, 1, 'token-E1', AT, 'APP-RACE-2')).toBe('stale');
    await expectHeldBy(store, 'APP-RACE-2', 'token-E2');
  });

  it('takes its token back when a restart comes between its write and its mirror', async () => {
    const store = await waitingApplication('APP-RACE-3');
    // E2 is recorded but has not reached its wait yet: E1's token must not stay in the item.
    const racing = withHookBefore(store, 'updateIf', 1, () => setExecutionName(store, 'APP-RACE-3', 'E2'));
    expect(await storeTaskToken(racing, 'APP-RACE-3', SLOT, 1, 'token-E1', AT, 'APP-RACE-3')).toBe('stale');
    expect(await readTaskToken(store, 'APP-RACE-3', SLOT, 1)).toBeUndefined();
    expect(await mirrorOf(store, 'APP-RACE-3')).toBeUndefined();
    // E2 then stores its own.
    expect(await storeTaskToken(store, 'APP-RACE-3', SLOT, 1, 'token-E2', AT, 'E2')).toBe('stored');
    expect(await readTaskToken(store, 'APP-RACE-3', SLOT, 1)).toBe('token-E2');
  });

  it('leaves the new execution its token when that came between its write and its mirror', async () => {
    const store = await waitingApplication('APP-RACE-4');
    const racing = withHookBefore(store, 'updateIf', 1, async () => {
      await setExecutionName(store, 'APP-RACE-4', 'E2');
      await storeTaskToken(store, 'APP-RACE-4', SLOT, 1, 'token-E2', AT, 'E2');
    });
    expect(await storeTaskToken(racing, 'APP-RACE-4', SLOT, 1, 'token-E1', AT, 'APP-RACE-4')).toBe('stale');
    await expectHeldBy(store, 'APP-RACE-4', 'token-E2');
  });

  it('replaces the token of an execution recorded before its own', async () => {
    const store = await waitingApplication('APP-RACE-5');
    await storeTaskToken(store, 'APP-RACE-5', SLOT, 1, 'token-E1', AT, 'APP-RACE-5');
    await setExecutionName(store, 'APP-RACE-5', 'E2');
    expect(await storeTaskToken(store, 'APP-RACE-5', SLOT, 1, 'token-E2', AT, 'E2')).toBe('stored');
    // The replaced execution's task, run again, keeps nothing.
    expect(await storeTaskToken(store, 'APP-RACE-5', SLOT, 1, 'token-E1b', AT, 'APP-RACE-5')).toBe('stale');
    await expectHeldBy(store, 'APP-RACE-5', 'token-E2');
  });
});
