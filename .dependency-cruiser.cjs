/**
 * The house plan, enforced (`npm run lint:deps`, part of `npm run lint` and of `npm test`):
 * - no import cycles;
 * - the base layers (config, shared, core, db, graphql, logger, metrics) never import a feature
 *   module nor the composition root;
 * - a feature module is reached from outside only through its index.ts;
 * - feature modules never import the composition root (src/modules.ts) or the HTTP app.
 * Type-only imports count: they shape the design as much as runtime ones.
 */
const FEATURE = '(systems/oms|systems/psp|systems/erp|refunds|reconciliation|outbox|webhooks|audit|sync|orders|ops|simulators)';
const BASE = '^src/(config|shared|core|db|graphql)/|^src/(logger|metrics)\\.ts$';
const ROOT = '^src/(modules|app|server|main)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'An import cycle: split the shared part out, or pass it in as a parameter.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'base-imports-no-feature',
      severity: 'error',
      comment: 'db/, shared/, core/, config/ and graphql/ take what the modules give as parameters (src/modules.ts) and never import a module.',
      from: { path: BASE },
      to: { path: [`^src/${FEATURE}/`, ROOT] },
    },
    {
      name: 'feature-imports-no-root',
      severity: 'error',
      comment: 'Modules do not import the composition root or the HTTP app: the root imports them.',
      from: { path: `^src/${FEATURE}/` },
      to: { path: ROOT },
    },
    {
      name: 'module-through-its-index',
      severity: 'error',
      comment: "Another module's files are reached only through its index.ts (its public surface).",
      from: { path: `^src/${FEATURE}/` },
      to: { path: `^src/${FEATURE}/`, pathNot: ['^src/$1/', `^src/${FEATURE}/index\\.ts$`] },
    },
    {
      name: 'root-through-index',
      severity: 'error',
      comment: 'The composition root and the HTTP app reach a module only through its index.ts.',
      from: { path: ROOT },
      to: { path: `^src/${FEATURE}/`, pathNot: `^src/${FEATURE}/index\\.ts$` },
    },
    {
      name: 'production-code-installs-nothing',
      severity: 'error',
      comment: 'The private MariaDB (which may run apt-get) belongs to the dev scripts and the test support, never to src/.',
      from: { path: '^src/' },
      to: { path: '^(scripts|test)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
