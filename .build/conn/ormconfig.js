"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/** The DataSource the TypeORM CLI uses (migration:run / revert / generate). */
const config_1 = require("./src/config");
const data_source_1 = require("./src/db/data-source");
const config = (0, config_1.loadConfig)();
if (!config.databaseUrl) {
    throw new Error('Set DATABASE_URL for the migration commands (for example: the URL `npm run db:start` prints).');
}
exports.default = (0, data_source_1.createDataSource)(config.databaseUrl);
//# sourceMappingURL=ormconfig.js.map