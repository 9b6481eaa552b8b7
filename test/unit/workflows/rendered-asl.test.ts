import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderAsl, renderSweepAsl } from '../../../workflows/render-asl.ts';
import { RENDERED_ASL_PATHS, renderedAsl, renderedAslText } from '../../../workflows/rendered-asl.ts';

/**
 * The embedded runtime runs the ASL kept in workflows/rendered/; what deploys is rendered from the
 * CDK definitions. They must be the same text: when a definition changes, `npm run workflows:asl`
 * rewrites the files, and this fails until it has.
 */
describe('the rendered state machines the embedded runtime runs', () => {
  const current = { repairApplication: renderAsl(), sweep: renderSweepAsl() };

  for (const name of ['repairApplication', 'sweep'] as const) {
    it(`${name}: the file is exactly what the CDK definition renders now (npm run workflows:asl)`, () => {
      const file = readFileSync(new URL(`../../../${RENDERED_ASL_PATHS[name]}`, import.meta.url), 'utf8');
      expect(file).toBe(renderedAslText(current[name]));
      expect(renderedAsl(name)).toEqual(current[name]);
    });
  }
});
