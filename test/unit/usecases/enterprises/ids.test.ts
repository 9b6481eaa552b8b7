import { describe, expect, it } from 'vitest';
import { newFactId } from '../../../../functions/usecases/enterprises/ids.ts';

describe('newFactId', () => {
  it('sorts by recording time and differs at the same instant', () => {
    const a = newFactId('2026-06-15T02:00:00.000Z');
    const b = newFactId('2026-06-15T02:00:00.000Z');
    const later = newFactId('2026-06-15T02:00:00.001Z');
    expect(a).not.toBe(b);
    expect([later, a].sort()[1]).toBe(later);
    expect(a).toMatch(/^[a-z0-9]{9}-[0-9a-f]{20}$/);
  });
});
