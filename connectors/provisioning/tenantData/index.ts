/** Moving a tenant's rows from the shared (Tier 1) database into its dedicated (Tier 2) one: copy, verify, purge. */
export * from './options';
export * from './copy';
export * from './verify';
export * from './purge';
