/**
 * Imported first by the read benchmark: libraries read NODE_ENV when they load (graphql-js checks
 * every `instanceof` across realms outside production), and the service is deployed with
 * NODE_ENV=production, so the benchmark runs it the same way.
 */
process.env.NODE_ENV = 'production';
