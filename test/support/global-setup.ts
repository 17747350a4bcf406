import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { TEST_DATABASE_URL } from './test-database';

export default function globalSetup(): void {
  const target = TEST_DATABASE_URL
    ? `PostgreSQL (${TEST_DATABASE_URL.replace(/\/\/[^@]*@/, '//***@')})`
    : 'SQLite; set TEST_DATABASE_URL=postgres://... to run the same suites on PostgreSQL';
  console.log(`\nEnd-to-end suites run on ${target}.`);
  // The API, run from its sources, serves the operators' console from this bundle.
  execFileSync(
    process.execPath,
    [join(__dirname, '../../libs/job-admin/console/build.js'), '--for-sources'],
    { stdio: 'inherit' },
  );
}
