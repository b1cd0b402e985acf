/** The DataSource the TypeORM CLI uses (migration:run / revert / generate). */
import { loadConfig } from './src/config';
import { createAppDataSource } from './src/modules';

const config = loadConfig();
if (!config.databaseUrl) {
  throw new Error('Set DATABASE_URL for the migration commands (for example: the URL `npm run db:start` prints).');
}
export default createAppDataSource(config.databaseUrl);
