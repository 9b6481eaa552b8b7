import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { AslStateMachine } from '../../../workflows/asl.ts';
import { aslToMermaid } from '../../../workflows/mermaid.ts';
import { renderAsl } from '../../../workflows/render-asl.ts';
import { renderWorkflowDoc, WORKFLOW_DOC_PATH } from '../../../workflows/workflow-doc.ts';

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:credit-repair-${name}`;

const sample: AslStateMachine = {
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Task',
      Resource: fn('check-eligibility'),
      Next: 'Ok',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Boom' }],
    },
    Ok: {
      Type: 'Choice',
      Choices: [{ Variable: '$.check.eligible', BooleanEquals: true, Next: 'Fan' }],
      Default: 'Boom',
    },
    Fan: {
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'Wait',
        States: {
          Wait: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: fn('open-review'), Payload: { 'a.$': '$.a' } },
            TimeoutSeconds: 172_800,
            End: true,
          },
        },
      },
      End: true,
    },
    Boom: { Type: 'Fail', Error: 'Nope' },
  },
};

describe('aslToMermaid', () => {
  const diagram = aslToMermaid(sample);

  it('draws a stateDiagram-v2 from the start state', () => {
    expect(diagram.startsWith('stateDiagram-v2\n  [*] --> Check\n')).toBe(true);
  });

  it('draws choices as choice nodes with a labelled edge per rule and the default', () => {
    expect(diagram).toContain('  state Ok <<choice>>\n');
    expect(diagram).toContain('  Ok --> Fan: eligible = true\n');
    expect(diagram).toContain('  Ok --> Boom: otherwise\n');
  });

  it('draws Map iterators as composite states, with callback tasks and their timeout', () => {
    expect(diagram).toContain('  state Fan {\n    [*] --> Wait\n');
    expect(diagram).toContain(
      '    Wait: Wait<br/>openReview, waits for its task token, timeout 2 d\n    Wait --> [*]\n  }\n',
    );
  });

  it('draws catches as labelled edges and terminal states into [*]', () => {
    expect(diagram).toContain('  Check --> Boom: catch States.ALL\n');
    expect(diagram).toContain('  Check: Check<br/>checkEligibility\n');
    expect(diagram).toContain('  Fan --> [*]\n');
    expect(diagram).toContain('  Boom --> [*]\n');
  });
});

describe(WORKFLOW_DOC_PATH, () => {
  it('is the diagram of the current state machine (run `npm run docs:workflow` to refresh it)', async () => {
    const committed = await readFile(new URL(`../../../${WORKFLOW_DOC_PATH}`, import.meta.url), 'utf8');
    expect(committed).toBe(await renderWorkflowDoc(renderAsl()));
  });
});
