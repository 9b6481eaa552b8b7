import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireApplication } from '../../functions/usecases/applications/records.ts';
import { submitApplication } from '../../functions/usecases/applications/submit.ts';
import { submitEvidence } from '../../functions/usecases/applications/evidence.ts';
import { installPorts } from '../../functions/composition/installed.ts';
import { functionNameFor } from '../../workflows/task-names.ts';
import { useAwsEnv } from '../support/aws-env.ts';
import { startRecordingEndpoint, type RecordingEndpoint } from '../support/recording-endpoint.ts';
import { SesAndOutboxMailer } from '../support/ses-and-outbox-mailer.ts';
import {
  applicantFor,
  decide,
  eligibleDishonestEnterprise,
  registerReviewers,
  reviewLinks,
  startWorkflowHarness,
  uploadDocuments,
  type WorkflowHarness,
} from '../support/workflow-harness.ts';

/**
 * SES throttles (one message a second in the sandbox) while the review emails of a round go out at
 * once. The OpenReview handlers fail with SES's real TooManyRequestsException (scripted on the SES
 * wire, parsed by the real client), which they raise as the one transient name; the state machine
 * (the rendered ASL, on the embedded engine) retries them and the application is decided normally
 * instead of ending as WORKFLOW_FAILED.
 */

let h: WorkflowHarness;
let ses: RecordingEndpoint;
let restoreEnv: () => void;
let uninstallMailer: () => void = () => {};
let throttled = 0;

beforeAll(async () => {
  h = await startWorkflowHarness();
  ses = await startRecordingEndpoint();
  restoreEnv = useAwsEnv({
    // The harness's s3rver checks signatures against its one key pair.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_SESV2: ses.url,
    // The SDK's own retries off: the state machine's Retry is what is tested.
    AWS_MAX_ATTEMPTS: '1',
  });
  uninstallMailer = installPorts({
    mailer: new SesAndOutboxMailer(h.outboxDir, 'no-reply@customs.example', h.clock),
  });
  await registerReviewers(h.store, h.clock.now().toISOString());
});

afterAll(async () => {
  uninstallMailer();
  restoreEnv();
  await ses.stop();
  await h.stop();
});

describe('SES throttling during a review round', () => {
  it('is retried by the state machine; the application is decided, not failed', async () => {
    const enterpriseId = 'WT00000001';
    await eligibleDishonestEnterprise(h.store, enterpriseId, h.clock.now().toISOString());
    const applicant = applicantFor(enterpriseId);
    const { state } = await submitApplication(
      h.ports,
      { enterpriseId, statement: 'Paid in full.' },
      applicant,
      h.clock.now(),
    );
    const openReviews = h.registry.invocationCount(functionNameFor('openReview'));
    // The first two review emails are refused as SES refuses them above its sending rate.
    ses.reply(() => {
      if (throttled < 2) {
        throttled += 1;
        return {
          status: 429,
          body: { __type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
        };
      }
      return { status: 200, body: { MessageId: `m-${ses.requests.length}` } };
    });
    await uploadDocuments(h, state.id, applicant);
    await submitEvidence(h.ports, state.id, applicant, h.clock.now());

    const links = await reviewLinks(h, state.id, 1, ['CUSTOMS', 'TAX']);
    expect(throttled).toBe(2);
    // Two parties, each OpenReview throttled once and run again.
    expect(h.registry.invocationCount(functionNameFor('openReview')) - openReviews).toBe(4);

    await decide(h, links.CUSTOMS, 'APPROVE');
    await decide(h, links.TAX, 'APPROVE');
    const execution = await h.engine.waitForExecution(h.executionArn(state.id));
    expect(execution.status).toBe('SUCCEEDED');
    const decided = await requireApplication(h.store, state.id);
    expect(decided.state.status).toBe('APPROVED');
    expect(decided.state.outcome?.reason).not.toBe('WORKFLOW_FAILED');
  });
});
