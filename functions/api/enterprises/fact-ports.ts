import { clock } from '../../composition/clock.ts';
import { store } from '../../composition/store.ts';
import { workflowOnDemand } from '../../composition/workflow-on-demand.ts';

/**
 * The ports of an officer's fact change: its records, and the open application it may end
 * (RULES.md §6.1: a new cause ends it at once, by failing its waiting task). Only some changes end
 * one, so Step Functions is loaded on demand.
 */
export const factPorts = () => ({ store: store(), clock: clock(), workflow: workflowOnDemand() });
