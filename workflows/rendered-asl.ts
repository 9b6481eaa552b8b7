import { readFileSync } from 'node:fs';
import type { AslStateMachine } from './asl.ts';

/**
 * The state machines as the embedded runtime runs them: the plain ASL that workflows/render-asl.ts
 * renders from the same CDK code as the deployed ones (default function names, the placeholder
 * account and region below), written to workflows/rendered/ by `npm run workflows:asl`. Reading the
 * rendered files spares every start of the runtime (`npm start`, each test that starts one) loading
 * aws-cdk-lib and building a CDK app only to print the same JSON; test/unit/workflows/rendered-asl.test.ts
 * fails when a file is not what the definition renders now.
 */

/** The account and region the embedded engine's ARNs name (no AWS account is involved). */
export const LOCAL_ASL_ENVIRONMENT = {
  partition: 'aws',
  region: 'us-east-1',
  accountId: '000000000000',
} as const;

/** Where each rendered definition is kept, from the repository root. */
export const RENDERED_ASL_PATHS = {
  repairApplication: 'workflows/rendered/repair-application.asl.json',
  sweep: 'workflows/rendered/sweep.asl.json',
} as const;

export type RenderedStateMachine = keyof typeof RENDERED_ASL_PATHS;

const ROOT = new URL('../', import.meta.url);

/** The rendered definition of one state machine, read from its file. */
export function renderedAsl(name: RenderedStateMachine): AslStateMachine {
  return JSON.parse(readFileSync(new URL(RENDERED_ASL_PATHS[name], ROOT), 'utf8')) as AslStateMachine;
}

/** A definition as its file holds it. */
export const renderedAslText = (asl: AslStateMachine): string => `${JSON.stringify(asl, null, 2)}\n`;
