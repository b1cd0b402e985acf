"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIGRATIONS_GLOB = void 0;
exports.dataSourceOptions = dataSourceOptions;
exports.createDataSource = createDataSource;
require("reflect-metadata");
const node_path_1 = __importDefault(require("node:path"));
const typeorm_1 = require("typeorm");
const naming_1 = require("./naming");
const sql_counter_1 = require("./sql-counter");
const entities_1 = require("./entities");
/** Compiled migrations live beside the compiled sources: dist/migrations/*.js. */
exports.MIGRATIONS_GLOB = node_path_1.default.join(__dirname, '..', '..', 'migrations', '*.js');
function dataSourceOptions(url, extra = {}) {
    return {
        type: url.startsWith('mariadb:') ? 'mariadb' : 'mysql',
        url,
        entities: entities_1.ENTITIES,
        migrations: [exports.MIGRATIONS_GLOB],
        migrationsTableName: 'migrations',
        namingStrategy: new naming_1.SnakeNamingStrategy(),
        synchronize: false,
        migrationsRun: false,
        timezone: 'Z',
        charset: 'utf8mb4_unicode_ci',
        supportBigNumbers: true,
        bigNumberStrings: true,
        dateStrings: false,
        poolSize: 20,
        logger: new sql_counter_1.CountingLogger(),
        extra: { connectionLimit: 20, waitForConnections: true, queueLimit: 0 },
        ...extra,
    };
}
function createDataSource(url, extra = {}) {
    return new typeorm_1.DataSource(dataSourceOptions(url, extra));
}
//# sourceMappingURL=data-source.js.map