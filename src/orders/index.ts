/**
 * Order money view: owns no tables. It composes the modules' exports into the `orders` list
 * (filters that span modules) and `Order.moneyState`.
 */
export { ordersModule } from './orders.module';
/** @public */
export { listOrders } from './orders.service';
/** @public */
export { computeMoneyState } from './money-state';
