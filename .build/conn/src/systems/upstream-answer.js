"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseAnswer = parseAnswer;
const http_client_1 = require("../shared/http-client");
/** An answer that does not fit its contract is the upstream's fault: reported like a bad gateway, outcome unknown. */
function parseAnswer(system, what, schema, body) {
    const r = schema.safeParse(body);
    if (r.success)
        return r.data;
    const issue = r.error.issues[0];
    throw new http_client_1.UpstreamError(system, 'http', `${system} ${what}: answer does not fit the contract (${issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'invalid'})`, 502);
}
//# sourceMappingURL=upstream-answer.js.map