// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../core/module';
import { SyncOrderResolver } from './sync-order.resolver';

export const syncModule: ModuleDefinition = { name: 'sync', resolvers: [SyncOrderResolver] };
