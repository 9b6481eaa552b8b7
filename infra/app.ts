/** CDK entry point (cdk.json `app`): `npm run synth` synthesizes this offline, bundling with local esbuild. */
import { buildApp } from './build-app.ts';

buildApp().app.synth();
