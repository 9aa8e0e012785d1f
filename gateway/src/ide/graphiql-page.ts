import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);

/** Where each browser asset of the IDE lives in node_modules; nothing comes from a CDN. */
const assets: Record<string, string> = {
  'react.production.min.js': join(dirname(require.resolve('react/package.json')), 'umd', 'react.production.min.js'),
  'react-dom.production.min.js': join(dirname(require.resolve('react-dom/package.json')), 'umd', 'react-dom.production.min.js'),
  'graphiql.min.js': join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.js'),
  'graphiql.min.css': join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.css'),
};

const ASSET_PATH = '/graphql/ide';

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>deskgraph GraphQL IDE</title>
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="stylesheet" href="${ASSET_PATH}/graphiql.min.css" />
    <style>html, body, #ide { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="ide"></div>
    <script src="${ASSET_PATH}/react.production.min.js"></script>
    <script src="${ASSET_PATH}/react-dom.production.min.js"></script>
    <script src="${ASSET_PATH}/graphiql.min.js"></script>
    <script src="${ASSET_PATH}/ide.js"></script>
  </body>
</html>`;

// Kept out of the HTML so a strict Content-Security-Policy (no inline scripts) holds.
const script = `
const fetcher = GraphiQL.createFetcher({ url: location.origin + '/graphql' });
ReactDOM.createRoot(document.getElementById('ide')).render(
  React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true, shouldPersistHeaders: true }),
);`;

/** GraphiQL at `GET /graphql` for browsers, served from local files so offline deployments work. */
export function graphiqlRouter(): Router {
  const router = express.Router();
  router.get('/graphql', (request, response, next) => {
    if (request.accepts(['application/json', 'text/html']) !== 'text/html' || request.query.query) {
      next();
      return;
    }
    response.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
    response.type('html').send(page);
  });
  router.get(`${ASSET_PATH}/ide.js`, (_request, response) => {
    response.type('application/javascript').send(script);
  });
  for (const [name, file] of Object.entries(assets)) {
    router.get(`${ASSET_PATH}/${name}`, (_request, response) => {
      response.setHeader('Cache-Control', 'public, max-age=86400');
      response.sendFile(file, { dotfiles: 'allow' });
    });
  }
  return router;
}
