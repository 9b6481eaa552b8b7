import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import type { AslStateMachine } from '../../workflows/asl.ts';
import { aslFromTemplate, normalizeAsl, renderAsl, taskStateBindings } from '../../workflows/render-asl.ts';

let deployed: AslStateMachine;

beforeAll(() => {
  // A prefix other than the default proves the comparison ignores deployment naming.
  const { app, stateless } = buildApp({
    bundle: false,
    appProps: { outdir: mkdtempSync(join(tmpdir(), 'cdk-parity-')), context: { prefix: 'cr-prod' } },
  });
  deployed = aslFromTemplate(
    app.synth().getStackByName(stateless.stackName).template as Record<string, unknown>,
    {
      partition: 'aws-cn',
      region: 'cn-north-1',
      accountId: '123456789012',
    },
  );
});

describe('the ASL the embedded engine runs', () => {
  it('is the definition the CDK app deploys, up to function ARNs', () => {
    expect(normalizeAsl(renderAsl())).toEqual(normalizeAsl(deployed));
  });

  it('names functions by their deployed names, so the engine can map them back to modules', () => {
    const deployedTasks = taskStateBindings(deployed).map((b) => [b.stateName, b.task, b.callback]);
    const localTasks = taskStateBindings(renderAsl()).map((b) => [b.stateName, b.task, b.callback]);
    expect(localTasks).toEqual(deployedTasks);
    expect(JSON.stringify(deployed)).toContain(':function:cr-prod-check-eligibility');
  });

  it('differs once the definition differs', () => {
    const local = normalizeAsl(renderAsl()) as { States: Record<string, { TimeoutSeconds?: number }> };
    const tampered = structuredClone(local);
    tampered.States.AwaitEvidence!.TimeoutSeconds = 1;
    expect(tampered).not.toEqual(normalizeAsl(deployed));
  });

  it('contains no CloudFormation intrinsic left unresolved', () => {
    expect(JSON.stringify(renderAsl())).not.toMatch(/Fn::|"Ref"|\$\{Token/);
  });
});
