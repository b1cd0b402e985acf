"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerModules = registerModules;
function registerModules(_services) {
    const workers = [];
    return {
        apolloPlugins: [],
        validationRules: [],
        workers,
        startWorkers: () => workers.forEach((w) => w.start()),
        stopWorkers: async () => {
            await Promise.all(workers.map((w) => w.stop()));
        },
    };
}
//# sourceMappingURL=modules.js.map