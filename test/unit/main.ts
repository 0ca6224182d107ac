import { runMochaInHost } from '../host/runMochaInHost';

/** Plain-Node entry for the unit tier (npm test spawns it; `npm run test:unit` uses mocha's own CLI). */
runMochaInHost(__dirname, 'unit', 10_000).then(
  () => process.exit(0),
  () => process.exit(1),
);
