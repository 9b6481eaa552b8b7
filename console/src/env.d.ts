/** True in the build `npm start` serves (operator pages), false in the static site for AWS. */
declare const __EMBEDDED__: boolean;

declare module '*.css';

declare module 'swagger-ui-dist/swagger-ui-es-bundle.js' {
  const SwaggerUI: (options: Record<string, unknown>) => unknown;
  export default SwaggerUI;
}
