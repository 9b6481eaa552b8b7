import SwaggerUI from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';
import './api-docs.css';

/**
 * Browsable API docs (embedded runtime only): Swagger UI, bundled (no CDN), reading the OpenAPI
 * document this service serves. Its page has a CSP of its own that allows inline styles, which
 * Swagger UI sets; nothing else loosens. Deep links are off: they make each operation's path a
 * link inside its toggle button, which nests one control in another for assistive technology.
 */
SwaggerUI({
  url: '/openapi.json',
  dom_id: '#api-docs',
  deepLinking: false,
  tryItOutEnabled: false,
  validatorUrl: null,
  // Schemas show with each operation; the separate models list adds nothing but more controls.
  defaultModelsExpandDepth: -1,
});
