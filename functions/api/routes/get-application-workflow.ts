import { route } from '../../http/route.ts';
import { ApplicationPathParams } from '../schemas/common.ts';
import { NOT_FOUND } from './shared.ts';

/** `GET /applications/{id}/workflow`. */
export const getApplicationWorkflowRoute = route('getApplicationWorkflow', {
  method: 'GET',
  path: '/applications/{id}/workflow',
  module: 'functions/api/applications/get-application-workflow.ts',
  auth: 'jwt',
  roles: ['officer', 'applicant'],
  tag: 'applications',
  summary:
    "The application's workflow: the state machine's definition with the states its executions visited",
  description:
    'The graph is the deployed definition (DescribeStateMachine); visited and current states come from the ' +
    'execution history (DescribeExecution, GetExecutionHistory).',
  request: { params: ApplicationPathParams },
  responses: {
    200: {
      description: 'the workflow',
      schema: 'ApplicationWorkflow',
    },
  },
  problems: [NOT_FOUND('application')],
});
