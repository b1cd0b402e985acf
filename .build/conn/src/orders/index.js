"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.computeMoneyState = exports.listOrders = exports.MoneyState = exports.OrdersResolver = void 0;
/**
 * Order money view: owns no tables. It composes the modules' exports into the `orders` list
 * (filters that span modules) and `Order.moneyState`.
 */
var orders_resolver_1 = require("./orders.resolver");
Object.defineProperty(exports, "OrdersResolver", { enumerable: true, get: function () { return orders_resolver_1.OrdersResolver; } });
Object.defineProperty(exports, "MoneyState", { enumerable: true, get: function () { return orders_resolver_1.MoneyState; } });
var orders_service_1 = require("./orders.service");
Object.defineProperty(exports, "listOrders", { enumerable: true, get: function () { return orders_service_1.listOrders; } });
var money_state_1 = require("./money-state");
Object.defineProperty(exports, "computeMoneyState", { enumerable: true, get: function () { return money_state_1.computeMoneyState; } });
//# sourceMappingURL=index.js.map