"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Hooks = void 0;
class Hooks {
    constructor() {
        this.map = new Map();
    }
    on(name, fn) {
        this.map.set(name, [...(this.map.get(name) ?? []), fn]);
    }
    async emit(name, ...args) {
        for (const fn of this.map.get(name) ?? [])
            await fn(...args);
    }
    has(name) {
        return (this.map.get(name)?.length ?? 0) > 0;
    }
}
exports.Hooks = Hooks;
//# sourceMappingURL=hooks.js.map