export { JobAdminModule } from './job-admin.module';
export { JOB_ADMIN_SCOPES } from './scopes';
export { CONSOLE_CSP, CONSOLE_PATH } from './operator-console';
