"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.newRequestId = exports.newId = void 0;
const node_crypto_1 = require("node:crypto");
const newId = () => (0, node_crypto_1.randomUUID)();
exports.newId = newId;
const newRequestId = () => (0, node_crypto_1.randomUUID)();
exports.newRequestId = newRequestId;
//# sourceMappingURL=ids.js.map