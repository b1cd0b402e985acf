/**
 * Order money view: owns no tables. It composes the modules' exports into the `orders` list
 * (filters that span modules) and `Order.moneyState`.
 */
export { ordersModule } from './orders.module';
export { MoneyState } from './orders.resolver';
export { listOrders } from './orders.service';
export { computeMoneyState } from './money-state';
