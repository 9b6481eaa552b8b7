import { literal, object } from '../../../domain/zod.ts';

/** The service routes' shapes (health). */
export const HealthResponse = object({ status: literal('ok') });
