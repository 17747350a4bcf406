import { TEST_DATABASE_URL } from './test-database';

export default function globalSetup(): void {
  const target = TEST_DATABASE_URL
    ? `PostgreSQL (${TEST_DATABASE_URL.replace(/\/\/[^@]*@/, '//***@')})`
    : 'SQLite; set TEST_DATABASE_URL=postgres://... to run the same suites on PostgreSQL';
  console.log(`\nEnd-to-end suites run on ${target}.`);
}
