/**
 * GraphiQL subscribes too: in headless Chromium, the fetcher the IDE page builds (the graphql-ws
 * client bundled in graphiql.js, `subscriptionUrl` on the same /graphql path) opens a WebSocket to
 * the gateway, with the Headers tab's identity in connection_init, and receives the caller's view.
 * CI installs chromium (.ci/run); without it, this is skipped.
 */

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTeleconsultationDocument } from '../../generated/graphql.js';
import { doctor, inMinutes, patient, startTestGateway } from '../../support/gateway.js';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/** A page that drives the IDE's own fetcher as the IDE does for a subscription, and prints what came back. */
function harness(gatewayUrl: string, id: string): string {
  const documentAST = {
    kind: 'Document',
    definitions: [
      { kind: 'OperationDefinition', operation: 'subscription', name: { kind: 'Name', value: 'Live' } },
    ],
  };
  return `<!doctype html><html><body><pre id="out">waiting</pre>
<script src="${gatewayUrl}/graphiql/assets/react.js"></script>
<script src="${gatewayUrl}/graphiql/assets/react-dom.js"></script>
<script src="${gatewayUrl}/graphiql/assets/graphiql.js"></script>
<script>
const report = (text) => {
  document.getElementById('out').textContent = text;
  return fetch('/done', { method: 'POST', body: text });
};
(async () => {
  try {
    const socketUrl = new URL('${gatewayUrl}/graphql');
    socketUrl.protocol = 'ws:';
    const fetcher = GraphiQL.createFetcher({ url: '${gatewayUrl}/graphql', subscriptionUrl: socketUrl.href });
    const result = await fetcher(
      { query: 'subscription Live { teleconsultationChanged(id: "${id}") { id status joinState } }', operationName: 'Live' },
      { headers: { miauserid: 'pat-1', miausergroups: 'customer' }, documentAST: ${JSON.stringify(documentAST)} },
    );
    const first = await result[Symbol.asyncIterator]().next();
    await report('RESULT ' + JSON.stringify(first.value));
  } catch (error) {
    await report('ERROR ' + (error && error.message));
  }
})();
</script></body></html>`;
}

describe('GraphiQL subscriptions', () => {
  (chromium ? it : it.skip)(
    'subscribes from the IDE in headless Chromium, identity from the Headers tab',
    async () => {
      const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
      let pageHtml = '';
      let reported: (text: string) => void = () => {};
      const result = new Promise<string>((resolve) => {
        reported = resolve;
      });
      const page = createServer((request, response) => {
        if (request.url === '/done') {
          let body = '';
          request.on('data', (chunk: Buffer) => {
            body += chunk.toString('utf8');
          });
          request.on('end', () => {
            reported(body);
            response.writeHead(204).end();
          });
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml);
      });
      await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
      // The harness page is another origin than the gateway: it is allowed as a deployment
      // allows its frontend's (a page of any other origin is refused the upgrade).
      const pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
      const gateway = await startTestGateway({ env: { SUBSCRIPTIONS_ALLOWED_ORIGINS: pageOrigin } });
      const { createTeleconsultation: visit } = await gateway.ok(CreateTeleconsultationDocument, {
        input: {
          startDate: inMinutes(60),
          durationInSeconds: 1800,
          participants: [doctor('doc-1'), patient('pat-1')],
        },
      });
      pageHtml = harness(gateway.url, visit.id);
      try {
        // Headless Chromium keeps the page open until it is stopped: it runs until the page
        // reports its result (or the test's own timeout).
        const browser = spawn(
          chromium as string,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--no-first-run',
            '--disable-background-networking',
            `--user-data-dir=${profile}`,
            '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
            `${pageOrigin}/`,
          ],
          // Its own process group: stopping it stops its renderer and helpers too.
          { stdio: 'ignore', detached: true },
        );
        const exited = new Promise((resolve) => browser.once('exit', resolve));
        let timer: NodeJS.Timeout | undefined;
        const printed = await Promise.race([
          result,
          new Promise((resolve) => {
            timer = setTimeout(resolve, 45_000, 'no result');
          }),
        ]);
        clearTimeout(timer);
        process.kill(-(browser.pid as number), 'SIGKILL');
        await exited;
        expect(printed).toBe(
          `RESULT ${JSON.stringify({ data: { teleconsultationChanged: { id: visit.id, status: 'SCHEDULED', joinState: 'NOT_YET' } } })}`,
        );
      } finally {
        page.closeAllConnections();
        page.close();
        rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
        await gateway.close();
      }
    },
    90_000,
  );
});
