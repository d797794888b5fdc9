import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

/** GraphiQL and React from node_modules, so the IDE works with no internet access. */
const ASSETS = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
} as const;

/** The UMD builds are not in the packages' `exports`, so resolve the package folder instead. */
function assetPath(asset: { pkg: string; file: string }): string {
  return join(dirname(require.resolve(`${asset.pkg}/package.json`)), asset.file);
}

const SAMPLE_QUERY = `# The caller is set in Headers below (what the platform's API gateway sends): an id and groups.
# Try {"miauserid": "patient-1", "miausergroups": "customer"} to see what a patient may do.
query ServiceConfig {
  serviceConfig {
    privileges { plus { groups } basic { groups } }
    environment
  }
}
`;

export interface GraphiqlOptions {
  endpoint: string;
  userIdHeaderKey: string;
  groupsHeaderKey: string;
}

export function graphiqlPage(options: GraphiqlOptions): string {
  const config = JSON.stringify({
    endpoint: options.endpoint,
    query: SAMPLE_QUERY,
    headers: JSON.stringify(
      { [options.userIdHeaderKey]: 'doctor-1', [options.groupsHeaderKey]: 'doctor' },
      null,
      2,
    ),
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>teleconsultation-gateway · GraphiQL</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/assets/react.js"></script>
<script src="/graphiql/assets/react-dom.js"></script>
<script src="/graphiql/assets/graphiql.js"></script>
<script>
const config = ${config};
// Subscriptions go over a WebSocket on the same path (graphql-ws; the client is in graphiql.js).
// Browsers cannot set headers on a WebSocket: the Headers tab travels in connection_init.
const socketUrl = new URL(config.endpoint, location.href);
socketUrl.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
const fetcher = GraphiQL.createFetcher({ url: config.endpoint, subscriptionUrl: socketUrl.href });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery: config.query, defaultHeaders: config.headers, headerEditorEnabled: true, shouldPersistHeaders: true })
);
</script>
</body>
</html>
`;
}

export function registerGraphiql(server: FastifyInstance, options: GraphiqlOptions): void {
  const page = graphiqlPage(options);
  const cache = new Map<string, Buffer>();
  server.get('/graphiql', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  server.get<{ Params: { name: string } }>('/graphiql/assets/:name', async (request, reply) => {
    const asset = ASSETS[request.params.name as keyof typeof ASSETS];
    if (!asset) return reply.code(404).send({ error: 'not found' });
    let body = cache.get(request.params.name);
    if (!body) {
      body = await readFile(assetPath(asset));
      cache.set(request.params.name, body);
    }
    return reply.type(asset.type).header('cache-control', 'public, max-age=86400').send(body);
  });
}
