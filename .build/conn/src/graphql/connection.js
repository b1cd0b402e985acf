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
exports.Int = exports.PageInfo = void 0;
exports.ConnectionType = ConnectionType;
exports.encodeCursor = encodeCursor;
exports.decodeCursor = decodeCursor;
exports.pageSize = pageSize;
exports.toConnection = toConnection;
/** Relay connections with opaque keyset cursors: pages stay stable while rows are inserted. */
const type_graphql_1 = require("type-graphql");
Object.defineProperty(exports, "Int", { enumerable: true, get: function () { return type_graphql_1.Int; } });
const errors_1 = require("./errors");
let PageInfo = class PageInfo {
};
exports.PageInfo = PageInfo;
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Boolean)
], PageInfo.prototype, "hasNextPage", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Boolean)
], PageInfo.prototype, "hasPreviousPage", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", Object)
], PageInfo.prototype, "startCursor", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", Object)
], PageInfo.prototype, "endCursor", void 0);
exports.PageInfo = PageInfo = __decorate([
    (0, type_graphql_1.ObjectType)()
], PageInfo);
function ConnectionType(name, node) {
    let Edge = class Edge {
    };
    __decorate([
        (0, type_graphql_1.Field)(() => node),
        __metadata("design:type", Object)
    ], Edge.prototype, "node", void 0);
    __decorate([
        (0, type_graphql_1.Field)(),
        __metadata("design:type", String)
    ], Edge.prototype, "cursor", void 0);
    Edge = __decorate([
        (0, type_graphql_1.ObjectType)(`${name}Edge`)
    ], Edge);
    let Connection = class Connection {
    };
    __decorate([
        (0, type_graphql_1.Field)(() => [Edge]),
        __metadata("design:type", Array)
    ], Connection.prototype, "edges", void 0);
    __decorate([
        (0, type_graphql_1.Field)(() => [node], { description: 'The nodes of `edges`, for clients that do not need cursors.' }),
        __metadata("design:type", Array)
    ], Connection.prototype, "nodes", void 0);
    __decorate([
        (0, type_graphql_1.Field)(() => PageInfo),
        __metadata("design:type", PageInfo)
    ], Connection.prototype, "pageInfo", void 0);
    Connection = __decorate([
        (0, type_graphql_1.ObjectType)(`${name}Connection`)
    ], Connection);
    return Connection;
}
function encodeCursor(key) {
    return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}
function decodeCursor(cursor, arity) {
    try {
        if (cursor.length > 512)
            throw new Error('too long');
        const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
        if (!Array.isArray(key) || key.length !== arity || !key.every((k) => typeof k === 'string' || typeof k === 'number')) {
            throw new Error('shape');
        }
        return key;
    }
    catch {
        throw (0, errors_1.badInput)('Invalid cursor: pass back a cursor this API returned', 'after');
    }
}
function pageSize(first, max, dflt = 20) {
    if (first === null || first === undefined)
        return Math.min(dflt, max);
    if (!Number.isInteger(first) || first < 0)
        throw (0, errors_1.badInput)('`first` must be a non-negative integer', 'first');
    if (first > max)
        throw (0, errors_1.badInput)(`\`first\` must be at most ${max}`, 'first');
    return first;
}
/** Builds a connection from up to `size + 1` rows fetched in cursor order. */
function toConnection(rows, size, keyOf, map, hasPrevious) {
    const page = rows.slice(0, size);
    const edges = page.map((r) => ({ node: map(r), cursor: encodeCursor(keyOf(r)) }));
    return {
        edges,
        nodes: edges.map((e) => e.node),
        pageInfo: Object.assign(new PageInfo(), {
            hasNextPage: rows.length > size,
            hasPreviousPage: hasPrevious,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges[edges.length - 1]?.cursor ?? null,
        }),
    };
}
//# sourceMappingURL=connection.js.map