"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.Money = void 0;
exports.toMoney = toMoney;
const type_graphql_1 = require("type-graphql");
const money_1 = require("../shared/money");
const scalars_1 = require("./scalars");
let Money = class Money {
};
exports.Money = Money;
__decorate([
    (0, type_graphql_1.Field)(() => scalars_1.DecimalScalar),
    __metadata("design:type", String)
], Money.prototype, "amount", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => scalars_1.CurrencyCode),
    __metadata("design:type", String)
], Money.prototype, "currencyCode", void 0);
exports.Money = Money = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'An amount of money: a decimal string in the currency\'s minor-unit precision, and the currency.' })
], Money);
function toMoney(minor, currency) {
    const m = new Money();
    m.amount = (0, money_1.formatMinor)(minor, currency);
    m.currencyCode = currency;
    return m;
}
//# sourceMappingURL=money.type.js.map