/** Regenerates docs/workflow.md from the RepairApplication state machine (npm run docs:workflow). */
import { writeFile } from 'node:fs/promises';
import { renderAsl } from '../workflows/render-asl.ts';
import { renderWorkflowDoc, WORKFLOW_DOC_PATH } from '../workflows/workflow-doc.ts';

const target = new URL(`../${WORKFLOW_DOC_PATH}`, import.meta.url);
await writeFile(target, await renderWorkflowDoc(renderAsl()));
console.log(`wrote ${WORKFLOW_DOC_PATH}`);
