/** The DataSource the TypeORM CLI uses (migration:run / revert / generate). */
import { loadConfig } from './src/config';
import { createDataSource } from './src/db/data-source';

const config = loadConfig();
if (!config.databaseUrl) {
  throw new Error('Set DATABASE_URL for the migration commands (for example: the URL `npm run db:start` prints).');
}
export default createDataSource(config.databaseUrl);
