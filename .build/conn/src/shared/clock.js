"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ManualClock = exports.systemClock = void 0;
exports.systemClock = { now: () => new Date() };
class ManualClock {
    constructor(t = new Date()) {
        this.t = t;
    }
    now() {
        return new Date(this.t);
    }
    set(t) {
        this.t = new Date(t);
    }
    advance(ms) {
        this.t = new Date(this.t.getTime() + ms);
    }
}
exports.ManualClock = ManualClock;
//# sourceMappingURL=clock.js.map