import path from 'node:path';
import express, { Router } from 'express';

/**
 * The GraphiQL IDE for analysts, served from the project's own npm package (no CDN): the page
 * loads the bundled script, stylesheet and editor workers from /graphiql/.
 */
export function ideRouter(): Router {
  const dist = path.dirname(require.resolve('@graphql-yoga/graphiql/package.json')) + '/dist';
  const router = Router();
  router.use('/graphiql', express.static(dist, { immutable: true, maxAge: '1d', index: false }));
  return router;
}

/** The query the IDE opens on (unless the address gives one: GET /graphql?query=…). */
export const IDE_EXAMPLE_QUERY = `# Ask about an order, e.g.
query RecentOrders {
  orders(first: 5) {
    nodes {
      id
      status
      total { amount currencyCode }
      moneyState { captured { amount } refunded { amount } pendingRefund { amount } }
    }
  }
}
`;

/**
 * Whether a GET /graphql is a person's browser opening the IDE: it asks for HTML first and sends no
 * credential (GraphiQL's own requests are POSTs with JSON; a client with a token wants JSON).
 */
export function wantsIde(req: express.Request): boolean {
  return req.method === 'GET' && req.get('authorization') === undefined && req.accepts(['json', 'html']) === 'html';
}

// Yoga's GraphiQL reads `query` for the editor (the ?query= of the address wins over it) and `headers` for the headers tab.
export const IDE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>moneygraph — GraphiQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>html,body,#graphiql{height:100%;margin:0}</style></head>
<body><div id="graphiql"></div>
<script>
  window.MonacoEnvironment = { getWorkerUrl: function (_id, label) {
    var w = label === 'json' ? 'json.worker.bundle.js' : label === 'graphql' ? 'graphql.worker..bundle.js' : 'editor.worker.bundle.js';
    return '/graphiql/monacoeditorwork/' + w; } };
</script>
<script src="/graphiql/yoga-graphiql.umd.js"></script>
<script>
  var key = sessionStorage.getItem('moneygraph.credential') || localStorage.getItem('moneygraph.apiKey') || '';
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('graphiql'), {
    endpoint: '/graphql',
    title: 'moneygraph',
    headers: JSON.stringify({ Authorization: 'Bearer ' + (key || 'demo-support-key') }, null, 2),
    query: ${JSON.stringify(IDE_EXAMPLE_QUERY).replace(/</g, '\\u003c')},
  });
</script></body></html>`;
