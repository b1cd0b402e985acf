// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../core/module';
import { OrdersResolver } from './orders.resolver';

export const ordersModule: ModuleDefinition = { name: 'orders', resolvers: [OrdersResolver] };
