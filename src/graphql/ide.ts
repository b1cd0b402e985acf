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
  var key = localStorage.getItem('moneygraph.apiKey') || '';
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('graphiql'), {
    endpoint: '/graphql',
    title: 'moneygraph',
    headers: key ? JSON.stringify({ Authorization: 'Bearer ' + key }, null, 2) : '{\\n  "Authorization": "Bearer demo-support-key"\\n}',
    defaultQuery: '# Ask about an order, e.g.\\nquery { orders(first: 5) { nodes { id status total { amount currencyCode } moneyState { captured { amount } refunded { amount } pendingRefund { amount } } } } }\\n',
  });
</script></body></html>`;
