// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../core/module';
import { opsRouter } from './ops.routes';
import { ViewerResolver } from './viewer.resolver';

export const opsModule: ModuleDefinition = { name: 'ops', resolvers: [ViewerResolver], routes: () => opsRouter() };
