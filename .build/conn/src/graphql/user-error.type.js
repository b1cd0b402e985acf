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
exports.UserError = void 0;
exports.toUserError = toUserError;
const type_graphql_1 = require("type-graphql");
const errors_1 = require("../shared/errors");
(0, type_graphql_1.registerEnumType)(errors_1.ErrorCode, { name: 'UserErrorCode', description: 'Stable codes of expected failures.' });
let UserError = class UserError {
};
exports.UserError = UserError;
__decorate([
    (0, type_graphql_1.Field)(() => errors_1.ErrorCode),
    __metadata("design:type", String)
], UserError.prototype, "code", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], UserError.prototype, "message", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [String], { nullable: true, description: 'Path to the input field at fault.' }),
    __metadata("design:type", Array)
], UserError.prototype, "field", void 0);
exports.UserError = UserError = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'An expected failure of a mutation: nothing was changed.' })
], UserError);
function toUserError(e) {
    return Object.assign(new UserError(), { code: e.code, message: e.message, field: e.field });
}
//# sourceMappingURL=user-error.type.js.map