export * from './runMigrations';
