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
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.OrderErpResolver = exports.ErpPosting = void 0;
exports.toErpPosting = toErpPosting;
const type_graphql_1 = require("type-graphql");
const money_type_1 = require("../../../graphql/money.type");
const oms_1 = require("../../oms");
const entities_1 = require("../entities");
(0, type_graphql_1.registerEnumType)(entities_1.ErpPostingKind, { name: 'ErpPostingKind' });
(0, type_graphql_1.registerEnumType)(entities_1.ErpPostingStatus, { name: 'ErpPostingStatus' });
let ErpPosting = class ErpPosting {
};
exports.ErpPosting = ErpPosting;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { description: "The ERP's document id." }),
    __metadata("design:type", String)
], ErpPosting.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.ErpPostingKind),
    __metadata("design:type", String)
], ErpPosting.prototype, "kind", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: 'The idempotency key sent to the ERP: PSP refund id, capture id or invoice number.' }),
    __metadata("design:type", String)
], ErpPosting.prototype, "externalRef", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true }),
    __metadata("design:type", Object)
], ErpPosting.prototype, "orderId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], ErpPosting.prototype, "amount", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.ErpPostingStatus),
    __metadata("design:type", String)
], ErpPosting.prototype, "status", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", Object)
], ErpPosting.prototype, "reasonCode", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], ErpPosting.prototype, "postedAt", void 0);
exports.ErpPosting = ErpPosting = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'A journal document in the ERP.' })
], ErpPosting);
function toErpPosting(e) {
    return Object.assign(new ErpPosting(), {
        id: e.id,
        kind: e.kind,
        externalRef: e.externalRef,
        orderId: e.orderId,
        amount: (0, money_type_1.toMoney)(e.amountMinor, e.currency),
        status: e.status,
        reasonCode: e.reasonCode,
        postedAt: e.postedAt,
    });
}
let OrderErpResolver = class OrderErpResolver {
    async erpPostings(order, { loaders }) {
        return (await loaders.erpPostingsByOrderId.load(order.id)).map(toErpPosting);
    }
};
exports.OrderErpResolver = OrderErpResolver;
__decorate([
    (0, type_graphql_1.FieldResolver)(() => [ErpPosting]),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_1.Order, Object]),
    __metadata("design:returntype", Promise)
], OrderErpResolver.prototype, "erpPostings", null);
exports.OrderErpResolver = OrderErpResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => oms_1.Order)
], OrderErpResolver);
//# sourceMappingURL=erp.resolver.js.map