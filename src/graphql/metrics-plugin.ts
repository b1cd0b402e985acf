/**
 * GraphQL in the metrics: each operation's latency by its type and root field (names the schema
 * defines, so the label set is bounded whatever clients send), and the errors it answered by code.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '../metrics';
import type { GqlContext } from './context';

/** Codes are set by the service, never copied from a request; anything else is counted as OTHER. */
const CODE = /^[A-Z][A-Z0-9_]{0,47}$/;

export function graphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin<GqlContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      // Until the operation resolves (a document that does not parse or validate never does).
      let labels = { type: 'invalid', field: '' };
      return {
        async didResolveOperation({ operation }) {
          if (!operation) return;
          const fields = new Set(operation.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : '(fragment)')));
          labels = { type: operation.operation, field: fields.size === 1 ? [...fields][0]! : '(several)' }; // size 1: one element
        },
        async willSendResponse({ response }) {
          metrics.graphqlDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          if (response.body.kind !== 'single') return;
          for (const e of response.body.singleResult.errors ?? []) {
            const code = e.extensions?.code;
            metrics.graphqlErrors.inc({ code: typeof code === 'string' && CODE.test(code) ? code : 'OTHER' });
          }
        },
      };
    },
  };
}
