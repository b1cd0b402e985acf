"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createLogger = createLogger;
const pino_1 = __importDefault(require("pino"));
/** Structured JSON logs; every request's lines carry its requestId. */
function createLogger(level) {
    return (0, pino_1.default)({
        level,
        base: { service: 'moneygraph' },
        redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.secret', '*.token'], censor: '[redacted]' },
        serializers: { err: pino_1.default.stdSerializers.err },
    });
}
//# sourceMappingURL=logger.js.map