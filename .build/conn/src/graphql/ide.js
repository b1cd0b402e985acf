"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.IDE_HTML = void 0;
exports.ideRouter = ideRouter;
const node_path_1 = __importDefault(require("node:path"));
const express_1 = __importStar(require("express"));
/**
 * The GraphiQL IDE for analysts, served from the project's own npm package (no CDN): the page
 * loads the bundled script, stylesheet and editor workers from /graphiql/.
 */
function ideRouter() {
    const dist = node_path_1.default.dirname(require.resolve('@graphql-yoga/graphiql/package.json')) + '/dist';
    const router = (0, express_1.Router)();
    router.use('/graphiql', express_1.default.static(dist, { immutable: true, maxAge: '1d', index: false }));
    return router;
}
exports.IDE_HTML = `<!doctype html>
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
//# sourceMappingURL=ide.js.map