/**
 * `npm run workflows:asl`: renders both state machines from their CDK definitions and writes the
 * ASL the embedded runtime runs to workflows/rendered/ (workflows/rendered-asl.ts).
 * test/unit/workflows/rendered-asl.test.ts fails when a file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { renderAsl, renderSweepAsl } from '../workflows/render-asl.ts';
import { RENDERED_ASL_PATHS, renderedAslText } from '../workflows/rendered-asl.ts';

const root = new URL('../', import.meta.url);
const rendered = { repairApplication: renderAsl(), sweep: renderSweepAsl() };
for (const [name, path] of Object.entries(RENDERED_ASL_PATHS)) {
  await writeFile(new URL(path, root), renderedAslText(rendered[name as keyof typeof rendered]));
  console.log(`wrote ${path}`);
}
