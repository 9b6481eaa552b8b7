import { literal, object, schema } from '../../../domain/zod.ts';

/** The service routes' shapes (health). */
export const HealthResponse = /* @__PURE__ */ schema(() => object({ status: literal('ok') }));
