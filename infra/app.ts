/**
 * CDK entry point (cdk.json `app`): `npm run synth` synthesizes this offline, bundling with local
 * esbuild, and fails on any cdk-nag or Control Tower guard finding.
 */
import { buildApp } from './build-app.ts';

buildApp({ guard: true }).app.synth();
